// Contract tests for `resources(tags:, types:, ...)` (search by tag, across services) against moto_server, through
// the built gateway: listings equal the Resource Groups Tagging API's own (the SDK's paginateGetResources, same
// filters, same order), walks with random page sizes and resumes, regions in the order asked, each TaggedResource's
// `node` the gateway's own node (batched: one DescribeInstances for a page of instances in a region), null for a
// type the gateway does not serve, and bad filters refused before any AWS call.
//
// moto (5.x) differs from AWS here, and the tests assert what moto does:
// - A PaginationToken is good for one call: moto deletes it once used ("Token does not exist",
//   PaginationTokenExpiredException, which the gateway answers as CURSOR_EXPIRED). AWS's tokens can be asked again
//   (for 15 minutes), which a cursor resumed in the middle of a page needs. Walks resumed after random edges
//   therefore run through a loopback proxy that answers GetResources as AWS does (below); on moto itself, walks
//   resume after each page's last edge, so every token is asked once.
// - ResourceARNList is ignored: moto answers the region's whole (first page of the) listing. The gateway picks the
//   ARNs it asked for out of it; the proxy answers only those ARNs, as AWS does.
// - ResourcesPerPage is honoured, but its 1..100 range is not checked (nor TagsPerPage's 100..500); moto also cuts
//   a page before the tags on it reach TagsPerPage (default 100).
// - S3 buckets are global in moto: every region's GetResources lists every bucket (AWS: each in its own region).
// - IAM is not in moto's GetResources at all: tagged roles are never listed (AWS lists them, in us-east-1).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateCustomerGatewayCommand, CreateTagsCommand, EC2Client, RunInstancesCommand, type Tag } from "@aws-sdk/client-ec2";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetResourcesCommand, paginateGetResources, ResourceGroupsTaggingAPIClient, type GetResourcesCommandInput, type ResourceTagMapping } from "@aws-sdk/client-resource-groups-tagging-api";
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zipOf } from "../../demo/services/lambda.js";
import { readBody } from "../support/aws-proxy.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { all, awsOperations, checkRandomWalks, dataOf, opaquePage, regionalClients } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const EAST = "us-east-1";
const WEST = "eu-west-1";
const ACCOUNT_ID = "123456789012";
const PAYMENTS = [{ key: "team", values: ["payments"] }];

let moto: Moto;
/** the gateway on moto itself */
let gateway: TestGateway;
/** the gateway behind the proxy that pages GetResources as AWS does */
let proxied: TestGateway;
let proxy: TaggingProxy;
const tagging = regionalClients((region) => new ResourceGroupsTaggingAPIClient(motoClientConfig(moto.endpoint, region)));
const ec2 = regionalClients((region) => new EC2Client(motoClientConfig(moto.endpoint, region)));
const lambda = regionalClients((region) => new LambdaClient(motoClientConfig(moto.endpoint, region)));
const s3 = regionalClients((region) => new S3Client({ ...motoClientConfig(moto.endpoint, region), forcePathStyle: true }));

/** What was seeded, by region: instance ids by tag set, and the customer gateway (a type the gateway does not serve). */
const seeded = { instances: {} as Record<string, { payments: string[]; search: string[]; untagged: string[] }>, customerGateway: "" };

const tags = (team: string, env: string): { Key: string; Value: string }[] => [
  { Key: "team", Value: team },
  { Key: "env", Value: env },
];

async function runInstances(region: string, count: number, tagged?: Tag[]): Promise<string[]> {
  const out = await ec2(region).send(
    new RunInstancesCommand({
      ImageId: "ami-12c6146b",
      MinCount: count,
      MaxCount: count,
      InstanceType: "t3.micro",
      TagSpecifications: tagged && [{ ResourceType: "instance", Tags: tagged }],
    }),
  );
  return out.Instances!.map((i) => i.InstanceId!);
}

async function seed(): Promise<void> {
  const iam = new IAMClient(motoClientConfig(moto.endpoint, EAST));
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  const role = await iam.send(new CreateRoleCommand({ RoleName: "payments-exec", AssumeRolePolicyDocument: trust, Tags: tags("payments", "prod") }));
  await iam.send(new CreateRoleCommand({ RoleName: "search-exec", AssumeRolePolicyDocument: trust, Tags: tags("search", "prod") }));
  iam.destroy();

  for (const [region, plan] of [
    [EAST, { payments: [4, 3], search: 3, untagged: 2 }],
    [WEST, { payments: [3], search: 1, untagged: 1 }],
  ] as const) {
    const payments: string[] = [];
    for (const [r, count] of plan.payments.entries()) payments.push(...(await runInstances(region, count, tags("payments", r === 0 ? "prod" : "dev"))));
    seeded.instances[region] = { payments, search: await runInstances(region, plan.search, tags("search", "prod")), untagged: await runInstances(region, plan.untagged) };
  }

  // a type moto's GetResources lists that the gateway does not serve
  const cgw = await ec2(EAST).send(new CreateCustomerGatewayCommand({ BgpAsn: 65000, PublicIp: "203.0.113.12", Type: "ipsec.1" }));
  seeded.customerGateway = cgw.CustomerGateway!.CustomerGatewayId!;
  await ec2(EAST).send(new CreateTagsCommand({ Resources: [seeded.customerGateway], Tags: tags("payments", "prod") }));

  const code = { ZipFile: zipOf("index.mjs", "export const handler = async () => ({ statusCode: 200 });\n") };
  for (const [region, name, team] of [
    [EAST, "payments-api", "payments"],
    [EAST, "search-indexer", "search"],
    [WEST, "payments-worker", "payments"],
  ] as const) {
    await lambda(region).send(
      new CreateFunctionCommand({ FunctionName: name, Runtime: "nodejs20.x", Handler: "index.handler", Role: role.Role!.Arn!, Code: code, Tags: { team, env: "prod" } }),
    );
  }

  for (const [region, bucket, team] of [
    [EAST, "payments-receipts", "payments"],
    [WEST, "payments-archive-eu", "payments"],
    [EAST, "search-logs", "search"],
  ] as const) {
    await s3(region).send(new CreateBucketCommand({ Bucket: bucket, ...(region === EAST ? {} : { CreateBucketConfiguration: { LocationConstraint: region } }) }));
    await s3(region).send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags(team, "prod") } }));
  }
}

// ---- a proxy that answers GetResources as AWS does ---------------------------------------------------------------

interface TaggingProxy {
  url: string;
  /** every call that came through, in order: its X-Amz-Target (or method and path) and JSON body */
  calls: { operation: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive", "expect"]);
const forwardHeaders = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([k, v]) => !HOP_BY_HOP.has(k) && typeof v === "string")) as Record<string, string>;

/**
 * In front of moto_server: every call passed on as it came, except GetResources, which the proxy answers from
 * moto's whole listing for the same filters, cut into pages of ResourcesPerPage with tokens that can be asked
 * again (AWS's), only the ARNs of a ResourceARNList (AWS's), and an empty PaginationToken at the end (AWS's).
 */
async function startTaggingProxy(target: string): Promise<TaggingProxy> {
  const calls: TaggingProxy["calls"] = [];
  const motoListing = async (headers: Record<string, string>, filters: Record<string, unknown>): Promise<ResourceTagMapping[]> => {
    const listed: ResourceTagMapping[] = [];
    let token: string | undefined;
    do {
      const body = JSON.stringify({ ...filters, ResourcesPerPage: 1000, TagsPerPage: 100_000, ...(token ? { PaginationToken: token } : {}) });
      const answer = await fetch(new URL("/", target), { method: "POST", headers, body });
      if (!answer.ok) throw new Error(`moto answered GetResources with ${answer.status}: ${await answer.text()}`);
      const page = (await answer.json()) as { ResourceTagMappingList: ResourceTagMapping[]; PaginationToken?: string | null };
      listed.push(...page.ResourceTagMappingList);
      token = page.PaginationToken ?? undefined;
    } while (token);
    return listed;
  };
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const headers = forwardHeaders(req.headers);
      const operation = String(req.headers["x-amz-target"] ?? `${req.method} ${req.url}`);
      const json = /json/.test(String(req.headers["content-type"])) && body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
      calls.push({ operation, body: json });
      if (operation.endsWith(".GetResources")) {
        const { PaginationToken, ResourcesPerPage, ResourceARNList, ...filters } = json as GetResourcesCommandInput;
        let listed = await motoListing(headers, filters);
        let page: { items: ResourceTagMapping[]; next: string | undefined };
        if (ResourceARNList) {
          listed = listed.filter((r) => ResourceARNList.includes(r.ResourceARN!));
          page = { items: listed, next: undefined };
        } else {
          page = opaquePage(listed, PaginationToken || undefined, ResourcesPerPage ?? 100);
        }
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ ResourceTagMappingList: page.items, PaginationToken: page.next ?? "" }));
        return;
      }
      const upstream = await fetch(new URL(req.url!, target), { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined });
      const text = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/xml" }).end(text);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- setup ----------------------------------------------------------------------------------------------------

beforeAll(async () => {
  moto = await startMoto();
  await seed();
  proxy = await startTaggingProxy(moto.endpoint);
  [gateway, proxied] = await Promise.all([startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET }), startGateway({ ...motoEnv(proxy.url), ...UNBOUNDED_BUDGET })]);
}, 180_000);

afterAll(async () => {
  await Promise.all([gateway?.close(), proxied?.close()]);
  await proxy?.close();
  for (const clients of [tagging, ec2, lambda, s3]) clients.destroy();
  await moto?.stop();
});

/** The Tagging API's own listing: GetResources as the SDK's paginator walks it (moto honours the page size). */
async function sdkListing(region: string, input: GetResourcesCommandInput, pageSize = 3): Promise<ResourceTagMapping[]> {
  // a copy: the SDK's paginator writes each page's PaginationToken into the input it is given
  return all(paginateGetResources({ client: tagging(region), pageSize }, { ...input }), (page) => page.ResourceTagMappingList);
}
const sdkArns = async (region: string, input: GetResourcesCommandInput) => (await sdkListing(region, input)).map((r) => r.ResourceARN!);
const PAYMENTS_INPUT: GetResourcesCommandInput = { TagFilters: [{ Key: "team", Values: ["payments"] }] };

const ARGS = "$first: Int, $after: String, $last: Int, $before: String, $region: String, $regions: [String!], $tags: [TagFilter!], $types: [String!]";
const PAGING = "first: $first, after: $after, last: $last, before: $before, region: $region, regions: $regions, tags: $tags, types: $types";
const listQuery = (selection: string) => `query(${ARGS}) { resources(${PAGING}) {
  edges { cursor node { ${selection} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

const sorted = (list: readonly { key?: string; Key?: string; value?: string; Value?: string }[]) =>
  list.map((t) => `${t.key ?? t.Key}=${t.value ?? t.Value}`).sort();

describe("moto's GetResources, as these tests find it", () => {
  it("lists the seed: tagged resources only, by ARN, IAM left out, every bucket in every region", async () => {
    const east = await sdkArns(EAST, PAYMENTS_INPUT);
    const ids = (arns: string[], type: string) => arns.filter((a) => a.includes(`:${type}/`)).map((a) => a.split("/").pop());
    expect(ids(east, "instance").sort()).toEqual([...seeded.instances[EAST]!.payments].sort());
    expect(ids(east, "customer-gateway")).toEqual([seeded.customerGateway]);
    expect(east).toContain(`arn:aws:lambda:${EAST}:${ACCOUNT_ID}:function:payments-api`);
    // S3 buckets are global in moto: both payments buckets, the eu-west-1 one too, in both regions
    for (const region of [EAST, WEST]) {
      const arns = await sdkArns(region, PAYMENTS_INPUT);
      expect(arns.filter((a) => a.startsWith("arn:aws:s3:::")).sort()).toEqual(["arn:aws:s3:::payments-archive-eu", "arn:aws:s3:::payments-receipts"]);
    }
    // IAM roles are tagged, but moto's GetResources does not list IAM
    expect((await sdkArns(EAST, {})).some((a) => a.includes(":iam:"))).toBe(false);
    // untagged instances are not listed at all
    const everything = await sdkArns(EAST, {});
    for (const id of seeded.instances[EAST]!.untagged) expect(everything.some((a) => a.endsWith(`/${id}`))).toBe(false);
  });

  it("takes a token once, ignores ResourceARNList, and does not check ResourcesPerPage's range", async () => {
    const first = await tagging(EAST).send(new GetResourcesCommand({ ...PAYMENTS_INPUT, ResourcesPerPage: 2 }));
    expect(first.ResourceTagMappingList).toHaveLength(2);
    const token = first.PaginationToken!;
    expect(token).toBeTruthy();
    await tagging(EAST).send(new GetResourcesCommand({ ...PAYMENTS_INPUT, ResourcesPerPage: 2, PaginationToken: token }));
    await expect(tagging(EAST).send(new GetResourcesCommand({ ...PAYMENTS_INPUT, ResourcesPerPage: 2, PaginationToken: token }))).rejects.toMatchObject({
      name: "PaginationTokenExpiredException",
    });
    const arn = first.ResourceTagMappingList![0]!.ResourceARN!;
    const byArn = await tagging(EAST).send(new GetResourcesCommand({ ResourceARNList: [arn] }));
    expect(byArn.ResourceTagMappingList!.length).toBeGreaterThan(1);
    const large = await tagging(EAST).send(new GetResourcesCommand({ ...PAYMENTS_INPUT, ResourcesPerPage: 500 }));
    expect(large.ResourceTagMappingList!.map((r) => r.ResourceARN)).toEqual(await sdkArns(EAST, PAYMENTS_INPUT));
  });
});

describe("resources(tags:, types:) against moto_server", () => {
  it("walks with random page sizes, resumed after random edges, equal the Tagging API's listing with the same tags, in its order (AWS's tokens: the proxy)", async () => {
    const expected = await sdkListing(EAST, PAYMENTS_INPUT);
    expect(expected.length).toBeGreaterThan(8);
    const query = listQuery("id arn resourceType accountId region tags { key value }");
    const from = proxy.calls.length;
    await checkRandomWalks(proxied, query, ["resources"], { maxFirst: 6, runs: 5, variables: { tags: PAYMENTS, region: EAST } }, (walk) => {
      expect(walk.nodes.map((n: any) => n.arn)).toEqual(expected.map((r) => r.ResourceARN));
      walk.nodes.forEach((n: any, i) => expect(sorted(n.tags), n.arn).toEqual(sorted(expected[i]!.Tags!)));
      expect(walk.nodes.every((n: any) => n.region === EAST && n.accountId === ACCOUNT_ID)).toBe(true);
      expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
    });
    // every page the gateway asked for named its size and the filter, pushed down
    const asked = proxy.calls.slice(from).filter((c) => c.operation.endsWith(".GetResources"));
    expect(asked.length).toBeGreaterThan(0);
    for (const call of asked) {
      expect(call.body.TagFilters).toEqual([{ Key: "team", Values: ["payments"] }]);
      expect(call.body.ResourcesPerPage).toBeGreaterThanOrEqual(1);
      expect(call.body.ResourcesPerPage).toBeLessThanOrEqual(100);
    }
  });

  it("on moto itself: walks with random page sizes, each resumed after its last edge (each token asked once), equal the same listing", async () => {
    const expected = await sdkArns(EAST, PAYMENTS_INPUT);
    const query = listQuery("arn resourceType");
    for (const firsts of [[1], [4, 2, 7], [3, 5], [100]]) {
      const walk = await walkConnection(gateway, query, ["resources"], { firsts, variables: { tags: PAYMENTS } });
      expect(walk.nodes.map((n: any) => n.arn), JSON.stringify(firsts)).toEqual(expected);
      expect(walk.operations, JSON.stringify(firsts)).toMatchObject({ GetResources: expect.any(Number) });
    }
    // resourceType as the Tagging API names it, from the ARN
    const types = new Set((await walkConnection(gateway, query, ["resources"], { firsts: [50], variables: { tags: PAYMENTS } })).nodes.map((n: any) => n.resourceType));
    expect(types).toEqual(new Set(["ec2:instance", "ec2:customer-gateway", "lambda:function", "s3"]));
  });

  it("a cursor whose token moto has let go of is CURSOR_EXPIRED (moto takes a token once; AWS keeps it 15 minutes)", async () => {
    const query = listQuery("arn");
    const page1 = dataOf(await gateway.query(query, { first: 3, tags: PAYMENTS })).resources;
    const after = page1.pageInfo.endCursor;
    const page2 = dataOf(await gateway.query(query, { first: 3, after, tags: PAYMENTS })).resources;
    expect(page2.edges).toHaveLength(3);
    // the same page again: its token was used up by the first read
    const again = await gateway.query(query, { first: 3, after, tags: PAYMENTS });
    expect(again.errors?.[0]?.extensions?.code).toBe("CURSOR_EXPIRED");
    // behind the proxy (AWS's tokens), the same page reads the same twice
    const p1 = dataOf(await proxied.query(query, { first: 3, tags: PAYMENTS })).resources;
    const reads = [];
    for (let i = 0; i < 2; i += 1) reads.push(dataOf(await proxied.query(query, { first: 3, after: p1.pageInfo.endCursor, tags: PAYMENTS })).resources.edges.map((e: any) => e.node.arn));
    expect(reads[1]).toEqual(reads[0]);
  });

  it("types: [\"ec2:instance\"] equals the Tagging API's listing of that type, and types with tags both pushed down", async () => {
    const query = listQuery("arn resourceType");
    for (const region of [EAST, WEST]) {
      const expected = await sdkArns(region, { ResourceTypeFilters: ["ec2:instance"] });
      const tagged = seeded.instances[region]!;
      expect(expected.map((a) => a.split("/").pop()).sort()).toEqual([...tagged.payments, ...tagged.search].sort());
      const walk = await walkConnection(gateway, query, ["resources"], { firsts: [4, 1, 3], variables: { region, types: ["ec2:instance"] } });
      expect(walk.nodes.map((n: any) => n.arn)).toEqual(expected);
      expect(walk.nodes.every((n: any) => n.resourceType === "ec2:instance")).toBe(true);
    }
    const both = await sdkArns(EAST, { ...PAYMENTS_INPUT, ResourceTypeFilters: ["ec2:instance", "lambda"] });
    expect(both.length).toBe(seeded.instances[EAST]!.payments.length + 1);
    const walk = await walkConnection(gateway, query, ["resources"], { firsts: [5], variables: { tags: PAYMENTS, types: ["lambda", "ec2:instance"] } });
    expect(walk.nodes.map((n: any) => n.arn)).toEqual(both);
    // a tag filter without values: any value of the key
    const anyTeam = await sdkArns(EAST, { TagFilters: [{ Key: "team" }], ResourceTypeFilters: ["ec2:instance"] });
    const anyWalk = await walkConnection(gateway, query, ["resources"], { firsts: [6], variables: { tags: [{ key: "team", values: [] }], types: ["ec2:instance"] } });
    expect(anyWalk.nodes.map((n: any) => n.arn)).toEqual(anyTeam);
    expect(anyTeam).toHaveLength(seeded.instances[EAST]!.payments.length + seeded.instances[EAST]!.search.length);
  });

  it("node: each instance's Ec2Instance, one DescribeInstances for a page of instances in one region", async () => {
    const query = listQuery("arn tags { key value } node { __typename id ... on Ec2Instance { instanceId region tags { key value } } }");
    for (const [region, first] of [
      [EAST, 50],
      [EAST, 4],
      [WEST, 10],
    ] as const) {
      const answer = await gateway.query(query, { region, first, types: ["ec2:instance"] });
      const edges = dataOf(answer).resources.edges;
      const tagged = seeded.instances[region]!;
      expect(edges.length).toBe(Math.min(first, tagged.payments.length + tagged.search.length));
      for (const { node: r } of edges) {
        expect(r.node, r.arn).not.toBeNull();
        expect(r.node.__typename).toBe("Ec2Instance");
        expect(r.node.instanceId).toBe(r.arn.split("/").pop());
        expect(r.node.region).toBe(region);
        expect(sorted(r.node.tags)).toEqual(sorted(r.tags));
      }
      expect(awsOperations(answer.extensions?.aws?.operations), `${region} first ${first}`).toEqual({ GetResources: 1, DescribeInstances: 1 });
    }
  });

  it("node: the gateway's node for each served type, null for a type it does not serve (ec2:customer-gateway)", async () => {
    const query = listQuery("arn resourceType node { __typename ... on Ec2Instance { instanceId } ... on LambdaFunction { functionName } ... on S3Bucket { name } }");
    const answer = await gateway.query(query, { region: EAST, first: 50, tags: PAYMENTS });
    const nodes = dataOf(answer).resources.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.arn)).toEqual(await sdkArns(EAST, PAYMENTS_INPUT));
    const typenames: Record<string, string | null> = { "ec2:instance": "Ec2Instance", "lambda:function": "LambdaFunction", s3: "S3Bucket", "ec2:customer-gateway": null };
    for (const n of nodes) {
      expect(n.resourceType in typenames, n.arn).toBe(true);
      expect(n.node?.__typename ?? null, n.arn).toBe(typenames[n.resourceType]);
      const last = n.arn.split(/[:/]/).pop();
      if (n.resourceType === "ec2:instance") expect(n.node.instanceId).toBe(last);
      if (n.resourceType === "lambda:function") expect(n.node.functionName).toBe(last);
      if (n.resourceType === "s3") expect(n.node.name).toBe(last);
    }
    expect(nodes.filter((n: any) => n.resourceType === "ec2:customer-gateway").map((n: any) => n.arn)).toEqual([
      `arn:aws:ec2:${EAST}:${ACCOUNT_ID}:customer-gateway/${seeded.customerGateway}`,
    ]);
    // looked up in batches per type: one DescribeInstances for the page's instances
    expect(awsOperations(answer.extensions?.aws?.operations).DescribeInstances).toBe(1);
  });

  it("regions: [us-east-1, eu-west-1] lists both regions' resources, in that order", async () => {
    const query = listQuery("arn region");
    const expected = [...(await sdkArns(EAST, PAYMENTS_INPUT)).map((a) => `${EAST} ${a}`), ...(await sdkArns(WEST, PAYMENTS_INPUT)).map((a) => `${WEST} ${a}`)];
    for (const [client, firsts] of [
      [gateway, [4, 3]],
      [proxied, [7]],
    ] as const) {
      const walk = await walkConnection(client, query, ["resources"], { firsts: [...firsts], variables: { regions: [EAST, WEST], tags: PAYMENTS } });
      expect(walk.nodes.map((n: any) => `${n.region} ${n.arn}`)).toEqual(expected);
    }
    const west = expected.filter((e) => e.startsWith(WEST));
    expect(west.some((e) => e.includes(":instance/")) && west.some((e) => e.includes("function:payments-worker"))).toBe(true);
  });

  it("node(id:) of a TaggedResource is looked up by its ARN (ResourceARNList, no page size)", async () => {
    const query = listQuery("id arn tags { key value }");
    for (const client of [gateway, proxied]) {
      const edges = dataOf(await client.query(query, { region: WEST, first: 3, tags: PAYMENTS })).resources.edges;
      for (const { node: listed } of edges) {
        const found = dataOf(await client.query(`query($id: ID!) { node(id: $id) { __typename ... on TaggedResource { arn tags { key value } } } }`, { id: listed.id })).node;
        expect(found).toEqual({ __typename: "TaggedResource", arn: listed.arn, tags: listed.tags });
      }
    }
    const lookups = proxy.calls.filter((c) => c.operation.endsWith(".GetResources") && c.body.ResourceARNList);
    expect(lookups.length).toBeGreaterThan(0);
    for (const call of lookups) expect([call.body.ResourcesPerPage, call.body.PaginationToken, call.body.TagFilters]).toEqual([undefined, undefined, undefined]);
  });

  it("refuses bad filters (61 tag filters, an empty key, 21 values, a malformed type, 101 types) as BAD_USER_INPUT before any AWS call", async () => {
    const query = listQuery("arn");
    const many = Array.from({ length: 61 }, (_, i) => ({ key: `k${i}`, values: ["v"] }));
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ tags: many }, "tags", /at most 50 tag filters/],
      [{ tags: [{ key: "", values: ["payments"] }] }, "tags", /key takes 1 to 128/],
      [{ tags: [{ key: "team", values: Array.from({ length: 21 }, (_, i) => `v${i}`) }] }, "tags", /at most 20 values/],
      [{ types: ["EC2 instance"] }, "types", /Not a resource type/],
      [{ types: Array.from({ length: 101 }, (_, i) => `svc${i}`) }, "types", /at most 100 resource types/],
    ];
    const before = proxy.calls.length;
    for (const [variables, argument, message] of refusals) {
      const answer = await proxied.query(query, { first: 5, ...variables });
      expect(answer.errors?.[0]?.extensions, JSON.stringify(variables).slice(0, 80)).toMatchObject({ code: "BAD_USER_INPUT", argument });
      expect(answer.errors?.[0]?.message).toMatch(message);
      expect(answer.data?.resources ?? null).toBeNull();
    }
    expect(proxy.calls.slice(before)).toEqual([]);
  });
});
