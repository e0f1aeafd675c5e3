// Contract tests for `sqsQueues` and `sqsQueue(queueUrl)` against moto_server, through the built gateway:
// listings equal the SDK's, both directions, counts, single items, every field of the contract, and the
// "list, then describe" rule: GetQueueAttributes, one call per queue, only when a selected field needs it.
//
// moto (5.x) differs from AWS here, and the tests assert what moto does:
// - ListQueues ignores MaxResults and NextToken: one answer with every queue (up to 1,000), no NextToken.
//   (AWS pages only when MaxResults is sent: without it, up to 1,000 URLs and never a NextToken.)
// - Queue URLs carry the host the request went to (http://127.0.0.1:<port>/<account>/<name>), and moto finds a
//   queue by the URL's last segment alone, whatever host or account the URL names.
// - ApproximateNumberOfMessages is exact at once (AWS: approximate, and eventually consistent).
// The last describe block puts a loopback proxy between the gateway and moto that pages ListQueues as AWS does
// (MaxResults and NextToken; no NextToken at all when MaxResults was not sent).
import { GetQueueAttributesCommand, ListQueuesCommand, paginateListQueues, SQSClient } from "@aws-sdk/client-sqs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSqs, type SqsSeed } from "../../../demo/services/sqs.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, checkRandomBackwardWalks, checkRandomWalks, dataOf, regionalClients, startRewritingProxy } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGION = "us-east-1";
const OTHER = "eu-west-1";
const PLAN = { queues: { [REGION]: 38, [OTHER]: 3 }, fifoQueues: { [REGION]: 5, [OTHER]: 1 } };

let moto: Moto;
let gateway: TestGateway;
let seed: SqsSeed;
const sqs = regionalClients((region) => new SQSClient(motoClientConfig(moto.endpoint, region)));

beforeAll(async () => {
  moto = await startMoto();
  seed = await seedSqs({ endpoint: moto.endpoint }, PLAN);
  gateway = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  sqs.destroy();
  await moto?.stop();
});

/** ListQueues as the SDK's paginator walks it (MaxResults sent, as AWS needs for NextToken). */
const sdkUrls = (region: string): Promise<string[]> => all(paginateListQueues({ client: sqs(region), pageSize: 1000 }, {}), (page) => page.QueueUrls ?? []);

const nameOf = (queueUrl: string) => new URL(queueUrl).pathname.split("/").at(-1)!;

/** What the contract's fields say for a queue, from its URL and GetQueueAttributes. */
async function expectedQueue(region: string, queueUrl: string) {
  const attributes = (await sqs(region).send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["All"] }))).Attributes!;
  return {
    accountId: "123456789012",
    accountName: "default",
    region,
    queueUrl,
    queueName: nameOf(queueUrl),
    queueArn: attributes.QueueArn,
    approximateNumberOfMessages: Number(attributes.ApproximateNumberOfMessages),
    visibilityTimeout: Number(attributes.VisibilityTimeout),
    // AWS has FifoQueue on FIFO queues only
    fifo: attributes.FifoQueue === "true",
  };
}

const ARGS = "$first: Int, $after: String, $last: Int, $before: String, $region: String";
const PAGING = "first: $first, after: $after, last: $last, before: $before, region: $region";
const FIELDS = "id accountId accountName region queueUrl queueName queueArn approximateNumberOfMessages visibilityTimeout fifo";
const listQuery = (selection: string) => `query(${ARGS}) { sqsQueues(${PAGING}) {
  edges { cursor node { ${selection} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

describe("SQS queues against moto_server", () => {
  it("the seed is as the SDK lists it: standard, dead-letter and FIFO queues, some with messages", async () => {
    const urls = await sdkUrls(REGION);
    expect(urls).toEqual(seed[REGION]!.queueUrls);
    expect(urls.length).toBe(43);
    // moto ignores MaxResults: every queue in one answer, no token
    const small = await sqs(REGION).send(new ListQueuesCommand({ MaxResults: 5 }));
    expect([small.QueueUrls!.length, small.NextToken]).toEqual([urls.length, undefined]);
    expect(seed[REGION]!.fifoQueueUrls.length).toBe(5);
    expect(urls.filter((u) => u.endsWith(".fifo"))).toEqual(seed[REGION]!.fifoQueueUrls);
    expect(urls.some((u) => u.endsWith("-dlq"))).toBe(true);
    expect(Object.keys(seed[REGION]!.messages).length).toBeGreaterThan(5);
    expect(await sdkUrls(OTHER)).toEqual(seed[OTHER]!.queueUrls);
  });

  it("sqsQueues: walks with random page sizes, resumed after random edges, equal the SDK's listing", async () => {
    const expected = await sdkUrls(REGION);
    const query = listQuery("id region queueUrl");
    await checkRandomWalks(gateway, query, ["sqsQueues"], { maxFirst: 15, runs: 4, variables: { region: REGION } }, (walk) => {
      expect(walk.nodes.map((n: any) => n.queueUrl)).toEqual(expected);
      expect(walk.nodes.every((n: any) => n.region === REGION)).toBe(true);
      expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
      // only ids selected: no GetQueueAttributes over the whole walk
      expect(Object.keys(walk.operations)).toEqual(["ListQueues"]);
    });
  });

  it("sqsQueues: walks another region, and both regions as one listing", async () => {
    const other = await walkConnection(gateway, listQuery("region queueUrl fifo"), ["sqsQueues"], { firsts: [2], variables: { region: OTHER } });
    expect(other.nodes.map((n: any) => n.queueUrl)).toEqual(await sdkUrls(OTHER));
    expect(other.nodes.every((n: any) => n.region === OTHER)).toBe(true);
    expect(other.nodes.filter((n: any) => n.fifo).map((n: any) => n.queueUrl)).toEqual(seed[OTHER]!.fifoQueueUrls);
    const query = `query($first: Int, $after: String) { sqsQueues(first: $first, after: $after, regions: ["${REGION}", "${OTHER}"]) {
      edges { cursor node { region queueUrl } } pageInfo { hasNextPage endCursor } } }`;
    const both = await walkConnection(gateway, query, ["sqsQueues"], { firsts: [11, 4] });
    expect(both.nodes.map((n: any) => `${n.region} ${n.queueUrl}`)).toEqual([
      ...(await sdkUrls(REGION)).map((url) => `${REGION} ${url}`),
      ...(await sdkUrls(OTHER)).map((url) => `${OTHER} ${url}`),
    ]);
  });

  it("sqsQueues: a walk backward from the last edge (last/before) is the forward listing reversed", async () => {
    const expected = await sdkUrls(REGION);
    const walks = { expected, key: (node: any) => node.queueUrl, maxLast: 10, runs: 2, variables: { region: REGION } };
    await checkRandomBackwardWalks(gateway, listQuery("queueUrl"), ["sqsQueues"], walks);
  });

  it("sqsQueues: totalCount is the SDK's count, in each region, without describing any queue", async () => {
    for (const region of [REGION, OTHER]) {
      const answer = await gateway.query(`query($region: String) { sqsQueues(region: $region, first: 1) { totalCount edges { node { queueUrl } } } }`, { region });
      expect(dataOf(answer, region).sqsQueues.totalCount, region).toBe((await sdkUrls(region)).length);
      expect(answer.extensions?.aws?.operations?.GetQueueAttributes).toBeUndefined();
    }
  });

  it("sqsQueues: every field of the contract, for every queue, equals what GetQueueAttributes says", async () => {
    const urls = await sdkUrls(REGION);
    // pages of 20: one GetQueueAttributes per queue stays within MAX_AWS_CALLS_PER_PAGE
    const walk = await walkConnection(gateway, listQuery(FIELDS), ["sqsQueues"], { firsts: [20], variables: { region: REGION } });
    expect(walk.nodes.map((n: any) => n.queueUrl)).toEqual(urls);
    for (const [index, node] of (walk.nodes as any[]).entries()) {
      const { id, ...fields } = node;
      expect(typeof id).toBe("string");
      expect(fields, urls[index]).toEqual(await expectedQueue(REGION, urls[index]!));
    }
    const nodes = walk.nodes as any[];
    expect(nodes.filter((n) => n.fifo).map((n) => n.queueUrl)).toEqual(seed[REGION]!.fifoQueueUrls);
    expect(nodes.every((n) => n.fifo === n.queueName.endsWith(".fifo"))).toBe(true);
    expect(new Set(nodes.map((n) => n.visibilityTimeout)).size).toBeGreaterThan(3);
    expect(nodes.some((n) => n.approximateNumberOfMessages > 0) && nodes.some((n) => n.approximateNumberOfMessages === 0)).toBe(true);
    for (const [url, count] of Object.entries(seed[REGION]!.messages)) expect(nodes.find((n) => n.queueUrl === url)!.approximateNumberOfMessages, url).toBe(count);
    // one GetQueueAttributes per queue, none twice
    expect(walk.operations.GetQueueAttributes).toBe(urls.length);
  });

  it("sqsQueues: a page selecting the id alone makes no GetQueueAttributes call; one selecting a describe field makes one per queue", async () => {
    const bare = await gateway.query(listQuery("id queueUrl"), { first: 7, region: REGION });
    expect(dataOf(bare, "ids").sqsQueues.edges).toHaveLength(7);
    expect(bare.extensions?.aws?.operations).toEqual({ ListQueues: 1 });
    for (const field of ["queueArn", "approximateNumberOfMessages", "visibilityTimeout"]) {
      const described = await gateway.query(listQuery(`queueUrl ${field}`), { first: 7, region: REGION });
      expect(dataOf(described, field).sqsQueues.edges).toHaveLength(7);
      expect(described.extensions?.aws?.operations, field).toEqual({ ListQueues: 1, GetQueueAttributes: 7 });
    }
  });

  it("sqsQueue(queueUrl): finds a queue (standard, dead-letter, FIFO) with every field as GetQueueAttributes says, refetches it by id, and answers null for a missing one", async () => {
    const urls = await sdkUrls(REGION);
    const query = `query($url: String!, $region: String) { sqsQueue(queueUrl: $url, region: $region) { ${FIELDS} } }`;
    const picks = [urls[0]!, urls[1]!, urls.find((u) => u.endsWith(".fifo"))!, urls.at(-1)!];
    for (const url of picks) {
      const node = dataOf(await gateway.query(query, { url }), url).sqsQueue;
      expect(node, url).not.toBeNull();
      const { id, ...fields } = node;
      expect(fields).toEqual(await expectedQueue(REGION, url));
      const refetched = dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { id ... on SqsQueue { queueUrl region fifo } } }`, { id }), "node").node;
      expect(refetched).toEqual({ id, queueUrl: url, region: REGION, fifo: url.endsWith(".fifo") });
    }
    const [otherUrl] = await sdkUrls(OTHER);
    expect(dataOf(await gateway.query(query, { url: otherUrl, region: OTHER }), "other region").sqsQueue).toEqual(await expectedQueue(OTHER, otherUrl!).then((q) => ({ id: expect.any(String), ...q })));
    const missing = [
      [`${moto.endpoint}/123456789012/no-such-queue`, REGION],
      [`${moto.endpoint}/123456789012/no-such-queue.fifo`, REGION],
      // the other region has queues of the same names as this one's first: this one it has not
      [urls.at(-2)!, OTHER],
      // a queue of this name exists, but not in another account (moto would answer for it: it reads the name alone)
      [urls[0]!.replace("/123456789012/", "/210987654321/"), REGION],
    ] as const;
    expect((await sdkUrls(OTHER)).map(nameOf)).not.toContain(nameOf(urls.at(-2)!));
    for (const [url, region] of missing) {
      const answer = await gateway.query(query, { url, region });
      expect(answer.errors, `${url} in ${region}`).toBeUndefined();
      expect(answer.data!.sqsQueue, `${url} in ${region}`).toBeNull();
    }
  });

  it("sqsQueue(queueUrl): never sends a request to the host a caller's queue URL names (the SDK's useQueueUrlAsEndpoint)", async () => {
    // Without a configured endpoint (as in production), SQSClient sends each call to the origin of its QueueUrl
    // unless built with useQueueUrlAsEndpoint: false: a caller could aim the gateway's signed requests anywhere.
    const received: string[] = [];
    const trap = createServer((request, response) => {
      received.push(`${request.method} ${request.url} ${request.headers.authorization ? "signed" : "unsigned"}`);
      response.writeHead(400, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify({ __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "trap" }));
    });
    await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
    const port = (trap.address() as AddressInfo).port;
    // AWS itself is unreachable here (no endpoint, and the test machine may have no network): only the trap answers
    const production = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET, AWS_ENDPOINT_URL: undefined });
    try {
      for (const url of [`http://127.0.0.1:${port}/123456789012/payments-events-prod-00`, `http://127.0.0.1:${port}/queue`]) {
        const answer = await production.query(`query($url: String!) { sqsQueue(queueUrl: $url) { queueUrl queueArn approximateNumberOfMessages } }`, { url });
        expect(answer.errors?.filter((e) => e.extensions?.reason === "GRAPHQL_VALIDATION_FAILED") ?? [], url).toEqual([]);
        expect(answer.data?.sqsQueue ?? null, url).toBeNull();
      }
    } finally {
      await production.close();
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    }
    expect(received).toEqual([]);
  });
});

/**
 * A loopback proxy in front of moto whose ListQueues pages as AWS does: MaxResults (1-1,000) URLs a call and a
 * NextToken while more remain, but only when MaxResults was sent; without it, up to 1,000 URLs and no token.
 */
async function startAwsLikeSqs(target: string) {
  const listCalls: { maxResults?: number; nextToken: boolean }[] = [];
  const proxy = await startRewritingProxy(target, "application/x-amz-json-1.0", ({ headers, body, text }) => {
    if (!String(headers["x-amz-target"]).endsWith(".ListQueues")) return text;
    const input = JSON.parse(body.toString() || "{}");
    listCalls.push({ maxResults: input.MaxResults, nextToken: Boolean(input.NextToken) });
    const all: string[] = JSON.parse(text || "{}").QueueUrls ?? [];
    const start = input.NextToken ? Number(Buffer.from(input.NextToken, "base64url").toString()) : 0;
    const size = input.MaxResults ?? 1000;
    const more = input.MaxResults !== undefined && start + size < all.length;
    return JSON.stringify({ QueueUrls: all.slice(start, start + size), ...(more ? { NextToken: Buffer.from(String(start + size)).toString("base64url") } : {}) });
  });
  return { ...proxy, listCalls };
}

describe("SQS queues as AWS pages them (moto behind a proxy that honours MaxResults and NextToken)", () => {
  let proxy: Awaited<ReturnType<typeof startAwsLikeSqs>>;
  let awsLike: TestGateway;
  beforeAll(async () => {
    proxy = await startAwsLikeSqs(moto.endpoint);
    awsLike = await startGateway({ ...motoEnv(proxy.url), ...UNBOUNDED_BUDGET });
  }, 60_000);
  afterAll(async () => {
    await awsLike?.close();
    await proxy?.close();
  });

  it("the proxy pages as AWS does", async () => {
    const client = new SQSClient(motoClientConfig(proxy.url, REGION));
    try {
      const page = await client.send(new ListQueuesCommand({ MaxResults: 5 }));
      expect(page.QueueUrls).toHaveLength(5);
      expect(page.NextToken).toBeTruthy();
      const unpaged = await client.send(new ListQueuesCommand({}));
      expect([unpaged.QueueUrls!.length, unpaged.NextToken]).toEqual([(await sdkUrls(REGION)).length, undefined]);
    } finally {
      client.destroy();
    }
  });

  it("walks every queue once in order with random page sizes, sending MaxResults (1-1,000) on every ListQueues", async () => {
    // moto names the host the request reached in its URLs: the proxy forwards to moto's own host, so the URLs are moto's
    const expected = await sdkUrls(REGION);
    const query = listQuery("queueUrl");
    const walks = { maxFirst: 15, runs: 3, cycle: 3, variables: { region: REGION }, beforeWalk: () => (proxy.listCalls.length = 0) };
    await checkRandomWalks(awsLike, query, ["sqsQueues"], walks, (walk) => {
      expect(walk.nodes.map((n: any) => n.queueUrl)).toEqual(expected);
      expect(proxy.listCalls.length).toBeGreaterThan(0);
      expect(proxy.listCalls.every((c) => c.maxResults !== undefined && c.maxResults >= 1 && c.maxResults <= 1000), JSON.stringify(proxy.listCalls)).toBe(true);
    });
    const counted = await awsLike.query(`{ sqsQueues(first: 1) { totalCount } }`);
    expect(dataOf(counted, "count").sqsQueues.totalCount).toBe(expected.length);
  });

  it("one page of 30 with a describe field: the ListQueues calls it needs, and one GetQueueAttributes per queue", async () => {
    const answer = await awsLike.query(listQuery("queueUrl visibilityTimeout"), { first: 30, region: REGION });
    const nodes = dataOf(answer, "page").sqsQueues.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(30);
    const urls = (await sdkUrls(REGION)).slice(0, 30);
    for (const [index, node] of nodes.entries()) {
      expect(node.queueUrl).toBe(urls[index]!);
      expect(node.visibilityTimeout).toBe((await expectedQueue(REGION, urls[index]!)).visibilityTimeout);
    }
    expect(answer.extensions?.aws?.operations?.GetQueueAttributes).toBe(30);
    expect(answer.extensions?.aws?.operations?.ListQueues).toBeGreaterThanOrEqual(1);
  });

  it("sqsQueue(queueUrl): looked up with ListQueues by its name in the place asked, MaxResults sent there too", async () => {
    const urls = await sdkUrls(REGION);
    proxy.listCalls.length = 0;
    for (const url of [urls[0]!, urls.find((u) => u.endsWith(".fifo"))!]) {
      const answer = await awsLike.query(`query($url: String!) { sqsQueue(queueUrl: $url) { queueUrl fifo visibilityTimeout } }`, { url });
      expect(dataOf(answer, url).sqsQueue).toEqual({ queueUrl: url, fifo: url.endsWith(".fifo"), visibilityTimeout: (await expectedQueue(REGION, url)).visibilityTimeout });
      expect(answer.extensions?.aws?.operations).toEqual({ ListQueues: 1, GetQueueAttributes: 1 });
    }
    expect(proxy.listCalls.length).toBe(2);
    expect(proxy.listCalls.every((c) => c.maxResults !== undefined && c.maxResults >= 1 && c.maxResults <= 1000), JSON.stringify(proxy.listCalls)).toBe(true);
  });
});
