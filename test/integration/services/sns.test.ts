// SNS against moto_server: topics (ListTopics: NextToken, 100 a page, no page size to ask for) in
// two regions, and each topic's subscriptions (ListSubscriptionsByTopic, 100 a page as well).
//
// moto, unlike SNS (checked below, and asserted as moto does it):
// - NextToken is the offset of the next item as a decimal string ("100"); a malformed one is an
//   HTML 500, not InvalidParameter;
// - a listing of exactly 100 items answers a NextToken and then one more, empty, page (SNS may do
//   the same: the gateway must take an empty page with a token in its stride either way);
// - every subscription is confirmed at once: SNS answers SubscriptionArn "PendingConfirmation"
//   for unconfirmed email/HTTP(S) subscriptions, which moto never does;
// - HTTP(S) endpoints come back exactly as subscribed, basic-auth password and URL tokens included
//   (the gateway serves only their origin).
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient, paginateListSubscriptionsByTopic, paginateListTopics, type Subscription } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSns, type SnsSeeded } from "../../../demo/services/sns.js";
import { motoEnv, startGateway, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, checkRandomWalks, dataOf, walkThereAndBack } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const ACCOUNT = "123456789012";
const REGIONS = ["us-east-1", "eu-west-1"];

let moto: Moto;
let gateway: TestGateway;
let seeded: SnsSeeded;
const sns = new Map<string, SNSClient>();
/** topic ARNs by region, as ListTopics pages them */
const topics = new Map<string, string[]>();
/** every topic's subscriptions, as ListSubscriptionsByTopic pages them */
const subscriptions = new Map<string, Subscription[]>();

const regionOf = (arn: string) => arn.split(":")[3]!;
const nameOf = (arn: string) => arn.split(":")[5]!;

beforeAll(async () => {
  moto = await startMoto();
  for (const region of REGIONS) sns.set(region, new SNSClient(motoClientConfig(moto.endpoint, region)));
  seeded = await seedSns({ endpoint: moto.endpoint }, { regions: REGIONS, topics: 131, topicsPerOtherRegion: 6, bigTopicSubscriptions: 150, fullPageSubscriptions: 100 });
  for (const region of REGIONS) {
    const arns = (await all(paginateListTopics({ client: sns.get(region)! }, {}), (page) => page.Topics)).map((t) => t.TopicArn!);
    topics.set(region, arns);
    for (const arn of arns) subscriptions.set(arn, await all(paginateListSubscriptionsByTopic({ client: sns.get(region)! }, { TopicArn: arn }), (page) => page.Subscriptions));
  }
  // the test gateway calls SNS as fast as moto answers (UNBOUNDED_BUDGET; AWS documents 30 a second for the list calls)
  gateway = await startGateway(motoEnv(moto.endpoint));
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  for (const client of sns.values()) client.destroy();
  await moto?.stop();
});

const PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
const TOPICS = (selection: string, regions?: string[]) => `query($first: Int, $after: String, $last: Int, $before: String) {
  snsTopics(first: $first, after: $after, last: $last, before: $before${regions ? `, regions: ${JSON.stringify(regions)}` : ""}) { edges { cursor node { ${selection} } } ${PAGE_INFO} } }`;
const SUBSCRIPTIONS = (selection: string) => `query($topic: String!, $first: Int, $after: String, $last: Int, $before: String) {
  snsTopic(topicArn: $topic) { subscriptions(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { ${selection} } } ${PAGE_INFO} } } }`;

describe("SNS against moto_server", () => {
  it("moto pages ListTopics and ListSubscriptionsByTopic by 100, its NextToken an offset, a full last page followed by an empty one", async () => {
    const client = sns.get("us-east-1")!;
    const first = await client.send(new ListTopicsCommand({}));
    expect([first.Topics!.length, first.NextToken]).toEqual([100, "100"]);
    const second = await client.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect([second.Topics!.length, second.NextToken]).toEqual([31, undefined]);
    const full = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: seeded.fullPageTopicArn }));
    expect([full.Subscriptions!.length, full.NextToken]).toEqual([100, "100"]);
    const after = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: seeded.fullPageTopicArn, NextToken: full.NextToken }));
    expect([after.Subscriptions!.length, after.NextToken]).toEqual([0, undefined]);
    expect(topics.get("us-east-1")).toEqual(seeded.topicArns["us-east-1"]);
    expect(subscriptions.get(seeded.bigTopicArn)).toHaveLength(150);
  });

  it("snsTopics: walks with random page sizes, resumed after random edges, equal ListTopics' listing", async () => {
    const expected = topics.get("us-east-1")!;
    await checkRandomWalks(gateway, TOPICS("id topicArn region"), ["snsTopics"], { maxFirst: 60, runs: 3 }, (walk) => {
      expect(walk.nodes.map((n: any) => n.topicArn)).toEqual(expected);
      expect(walk.nodes.every((n: any) => n.region === "us-east-1")).toBe(true);
    });
  });

  it("snsTopics: over two regions, the regions' listings one after the other", async () => {
    const walk = await walkConnection(gateway, TOPICS("topicArn region", REGIONS), ["snsTopics"], { firsts: [45] });
    expect(walk.nodes).toEqual(REGIONS.flatMap((region) => topics.get(region)!.map((topicArn) => ({ topicArn, region }))));
  });

  it("snsTopics: a walk of pages of 7 costs at most about one ListTopics call a page, and no call per topic", async () => {
    const walk = await walkConnection(gateway, TOPICS("topicArn name"), ["snsTopics"], { firsts: [7] });
    expect(walk.nodes).toHaveLength(131);
    expect(walk.operations.ListTopics).toBeLessThanOrEqual(Math.ceil(131 / 7) + 2);
    // nothing selected needs a topic's own call
    expect([walk.operations.GetTopicAttributes, walk.operations.ListSubscriptionsByTopic]).toEqual([undefined, undefined]);
  });

  it("snsTopics: a walk backward from the end equals the forward listing reversed", async () => {
    const { forward, backward } = await walkThereAndBack(gateway, TOPICS("topicArn"), ["snsTopics"], { first: 23, last: 9 });
    expect(forward.map((n) => n.topicArn)).toEqual(topics.get("us-east-1"));
    expect(backward).toEqual(forward);
  });

  it("snsTopics: every field as ListTopics and the ARN say; totalCount, fetchedAt, failedSources", async () => {
    const data = dataOf(
      await gateway.query(`{ snsTopics(regions: ${JSON.stringify(REGIONS)}, first: 200) { totalCount fetchedAt failedSources { code }
        edges { node { id topicArn name region accountId accountName } } } }`),
      "snsTopics",
    );
    const connection = data.snsTopics;
    const expected = REGIONS.flatMap((region) => topics.get(region)!);
    expect(connection.totalCount).toBe(expected.length);
    expect(Number.isNaN(Date.parse(connection.fetchedAt))).toBe(false);
    expect(connection.failedSources).toEqual([]);
    expect(connection.edges.map(({ node: { id, ...fields } }: any) => fields)).toEqual(
      expected.map((arn) => ({ topicArn: arn, name: nameOf(arn), region: regionOf(arn), accountId: ACCOUNT, accountName: "default" })),
    );
    expect(new Set(connection.edges.map((e: any) => e.node.id)).size).toBe(expected.length);
    expect(connection.edges.some((e: any) => e.node.name.endsWith(".fifo"))).toBe(true);
  });

  it("snsTopic: finds topics by ARN, fields as GetTopicAttributes says; node(id:) refetches them; null for a missing ARN", async () => {
    const arns = [...topics.get("us-east-1")!.slice(0, 3), topics.get("us-east-1")!.find((a) => a.endsWith(".fifo"))!];
    for (const arn of arns) {
      const attributes = (await sns.get("us-east-1")!.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
      const data = dataOf(await gateway.query(`query($arn: String!) { snsTopic(topicArn: $arn) { id topicArn name region accountId accountName } }`, { arn }), arn);
      const { id, ...fields } = data.snsTopic;
      expect(fields).toEqual({ topicArn: attributes.TopicArn, name: nameOf(arn), region: "us-east-1", accountId: attributes.Owner, accountName: "default" });
      expect(dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { id ... on SnsTopic { topicArn } } }`, { id }), `node ${arn}`).node).toEqual({ id, topicArn: arn });
    }
    const missingArn = `arn:aws:sns:us-east-1:${ACCOUNT}:no-such-topic`;
    await expect(sns.get("us-east-1")!.send(new GetTopicAttributesCommand({ TopicArn: missingArn }))).rejects.toMatchObject({ name: "NotFoundException" });
    const missing = await gateway.query(`query($arn: String!) { snsTopic(topicArn: $arn) { topicArn } }`, { arn: missingArn });
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ snsTopic: null });
  });

  it("snsTopic: a topic of another region is found in the region its ARN names, or in `region` when one is given", async () => {
    // Without `region`, the single-item field asks in the region the ARN names; with it, there.
    const arn = topics.get("eu-west-1")![1]!;
    const inRegion = dataOf(await gateway.query(`query($arn: String!) { snsTopic(topicArn: $arn, region: "eu-west-1") { id topicArn region } }`, { arn }), "with region");
    expect(inRegion.snsTopic).toMatchObject({ topicArn: arn, region: "eu-west-1" });
    expect(dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { ... on SnsTopic { topicArn region } } }`, { id: inRegion.snsTopic.id }), "node").node).toEqual({ topicArn: arn, region: "eu-west-1" });
    const byArn = await gateway.query(`query($arn: String!) { snsTopic(topicArn: $arn) { topicArn region } }`, { arn });
    expect(byArn.errors).toBeUndefined();
    expect(byArn.data).toEqual({ snsTopic: { topicArn: arn, region: "eu-west-1" } });
    // moto, asked in us-east-1 for an eu-west-1 ARN, answers NotFound
    const elsewhere = await gateway.query(`query($arn: String!) { snsTopic(topicArn: $arn, region: "us-east-1") { topicArn region } }`, { arn });
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data).toEqual({ snsTopic: null });
  });

  it("snsTopic: something that is not a topic ARN is null or BAD_USER_INPUT, never an internal or upstream error", async () => {
    // moto answers an HTML 500 for it; SNS answers InvalidParameter
    const answer = await gateway.query(`{ snsTopic(topicArn: "not-an-arn") { topicArn } }`);
    expect(answer.data?.snsTopic ?? null).toBeNull();
    for (const error of answer.errors ?? []) {
      expect(error.extensions?.reason, "the field must exist").not.toBe("GRAPHQL_VALIDATION_FAILED");
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });

  it("subscriptions: walks with random page sizes, resumed after random edges, equal ListSubscriptionsByTopic's listing", async () => {
    for (const topic of [seeded.bigTopicArn, seeded.fullPageTopicArn]) {
      const expected = subscriptions.get(topic)!.map((s) => s.SubscriptionArn);
      await checkRandomWalks(gateway, SUBSCRIPTIONS("subscriptionArn"), ["snsTopic", "subscriptions"], { maxFirst: 60, runs: 2, variables: { topic } }, (walk) => {
        expect(walk.nodes.map((n: any) => n.subscriptionArn)).toEqual(expected);
      });
    }
  });

  it("subscriptions: exactly one full AWS page, then moto's empty page with its token, ends where it should", async () => {
    const expected = subscriptions.get(seeded.fullPageTopicArn)!.map((s) => s.SubscriptionArn);
    expect(expected).toHaveLength(100);
    for (const firsts of [[100], [50], [99, 1], [33]]) {
      const walk = await walkConnection(gateway, SUBSCRIPTIONS("subscriptionArn"), ["snsTopic", "subscriptions"], { firsts, variables: { topic: seeded.fullPageTopicArn } });
      expect(walk.nodes.map((n: any) => n.subscriptionArn), JSON.stringify(firsts)).toEqual(expected);
    }
    // hasNextPage is exact (the contract): after the 100th there is nothing, though only moto's empty page tells so
    const one = dataOf(await gateway.query(SUBSCRIPTIONS("subscriptionArn"), { topic: seeded.fullPageTopicArn, first: 100 }), "first 100");
    expect(one.snsTopic.subscriptions.edges).toHaveLength(100);
    expect(one.snsTopic.subscriptions.pageInfo.hasNextPage).toBe(false);
    const ninetyNine = dataOf(await gateway.query(SUBSCRIPTIONS("subscriptionArn"), { topic: seeded.fullPageTopicArn, first: 99 }), "first 99");
    expect(ninetyNine.snsTopic.subscriptions.pageInfo.hasNextPage).toBe(true);
  });

  it("subscriptions: a walk backward from the end equals the forward listing reversed", async () => {
    const { forward, backward } = await walkThereAndBack(gateway, SUBSCRIPTIONS("subscriptionArn"), ["snsTopic", "subscriptions"], { first: 41, last: 13, variables: { topic: seeded.bigTopicArn } });
    expect(forward.map((n) => n.subscriptionArn)).toEqual(subscriptions.get(seeded.bigTopicArn)!.map((s) => s.SubscriptionArn));
    expect(backward).toEqual(forward);
  });

  it("subscriptions: every field as ListSubscriptionsByTopic says, except the secrets in HTTP(S) endpoints, which are never served", async () => {
    const data = dataOf(await gateway.query(SUBSCRIPTIONS("subscriptionArn protocol endpoint"), { topic: seeded.mixedTopicArn, first: 50 }), "mixed topic");
    const nodes = data.snsTopic.subscriptions.edges.map((e: any) => e.node);
    const aws = subscriptions.get(seeded.mixedTopicArn)!;
    expect(nodes.map((n: any) => [n.subscriptionArn, n.protocol])).toEqual(aws.map((s) => [s.SubscriptionArn, s.Protocol]));
    expect(new Set(aws.map((s) => s.Protocol))).toEqual(new Set(["email", "email-json", "sms", "sqs", "lambda", "http", "https", "firehose"]));
    for (const [index, node] of nodes.entries()) {
      const { Endpoint: endpoint, Protocol: protocol } = aws[index]!;
      if (protocol === "http" || protocol === "https") {
        // any HTTP(S) URL may hold credentials or a token: only its origin is served, which still tells where notifications go
        expect(node.endpoint).toBe(new URL(endpoint!).origin);
        for (const secret of seeded.secrets) expect(node.endpoint).not.toContain(secret);
      } else {
        expect(node.endpoint).toBe(endpoint);
      }
    }
    expect(nodes.filter((n: any) => n.protocol === "https").map((n: any) => n.endpoint)).toEqual(["https://status.example.com", "https://alerts.example.com", "https://hooks.chat.example"]);
    expect(aws.filter((s) => seeded.secrets.some((secret) => s.Endpoint!.includes(secret)))).toHaveLength(2);
  });

  it("subscriptions: no answer anywhere carries an endpoint's secret", async () => {
    const answer = await gateway.query(`{ snsTopics(first: 10) { edges { node { topicArn subscriptions(first: 100) { edges { node { subscriptionArn protocol endpoint } } } } } } }`);
    dataOf(answer, "topics with subscriptions");
    const text = JSON.stringify(answer);
    expect(text).toContain("hooks.chat.example");
    for (const secret of seeded.secrets) expect(text).not.toContain(secret);
  });

  it("subscriptions: totalCount of the first dozen topics equals the SDK's count, and each topic's first subscriptions come through the list connection", async () => {
    const data = dataOf(
      await gateway.query(`{ snsTopics(first: 12) { edges { node { topicArn subscriptions(first: 2) { totalCount fetchedAt failedSources { code } edges { node { subscriptionArn protocol } } } } } } }`),
      "subscriptions of every topic",
    );
    const edges = data.snsTopics.edges;
    expect(edges.map((e: any) => e.node.topicArn)).toEqual(topics.get("us-east-1")!.slice(0, 12));
    const counts = new Set<number>();
    for (const { node } of edges) {
      const expected = subscriptions.get(node.topicArn)!;
      expect(node.subscriptions.totalCount, node.topicArn).toBe(expected.length);
      counts.add(expected.length);
      expect(node.subscriptions.edges.map((e: any) => e.node)).toEqual(expected.slice(0, 2).map((s) => ({ subscriptionArn: s.SubscriptionArn, protocol: s.Protocol })));
      expect(node.subscriptions.failedSources).toEqual([]);
      expect(Number.isNaN(Date.parse(node.subscriptions.fetchedAt))).toBe(false);
    }
    // topics without subscriptions, with a few, with exactly a page and with more than a page
    expect([0, 1, 100, 150].every((n) => counts.has(n))).toBe(true);
  });

  it("subscriptions: each is a Node that node(id:) refetches by its ARN (GetSubscriptionAttributes), its endpoint still only an origin, and links to its topic", async () => {
    const fields = "id subscriptionKey subscriptionArn topicArn protocol endpoint topic { topicArn }";
    const data = dataOf(await gateway.query(SUBSCRIPTIONS(fields), { topic: seeded.mixedTopicArn, first: 50 }), "mixed topic");
    const nodes = data.snsTopic.subscriptions.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.subscriptionKey)).toEqual(subscriptions.get(seeded.mixedTopicArn)!.map((s) => s.SubscriptionArn));
    for (const n of nodes) expect([n.topicArn, n.topic]).toEqual([seeded.mixedTopicArn, { topicArn: seeded.mixedTopicArn }]);
    const answer = await gateway.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on SnsSubscription { ${fields.slice(3)} } } }`, { ids: nodes.map((n: any) => n.id) });
    expect(dataOf(answer, "nodes").nodes).toEqual(nodes);
    for (const secret of seeded.secrets) expect(JSON.stringify(answer)).not.toContain(secret);
    const goneArn = `${seeded.mixedTopicArn}:00000000-0000-0000-0000-000000000000`;
    const goneId = Buffer.from(`SnsSubscription:us-east-1/${goneArn}`).toString("base64url");
    const missing = await gateway.query(`query($id: ID!) { node(id: $id) { id } }`, { id: goneId });
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ node: null });
  });
});
