// Contract tests for `lambdaFunctions` and `lambdaFunction(functionName)` against moto_server, through the built
// gateway: listings equal the SDK's, both directions, counts, single items, links to IAM and EC2, every field of
// the contract, and no answer ever carrying an environment variable's value.
//
// moto (5.x) differs from AWS here, and the tests assert what moto does:
// - ListFunctions ignores MaxItems and Marker: one answer with every function, no NextMarker (AWS: 50 at most).
// - ListFunctions answers State too (AWS leaves State out of ListFunctions: only GetFunction/GetFunctionConfiguration
//   have it); State is always "Active".
// - VpcConfig.VpcId is the fixed fake "vpc-123abc" whenever SecurityGroupIds is not empty, a VPC that EC2 does not
//   know: the `vpc` link is then null (AWS answers the real VPC of the subnets).
// - LastModified is "2024-01-01T00:00:00.123456000Z" (AWS: "2024-01-01T00:00:00.123+0000"): compared as instants.
// The last describe block puts a loopback proxy between the gateway and moto that answers as AWS does on each of
// these points (50 functions a page with NextMarker, no State in ListFunctions, the subnets' real VpcId, AWS's
// LastModified format), so the gateway is also tested against what AWS really says.
import { EC2Client, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  paginateListFunctions,
  type FunctionConfiguration,
  type GetFunctionConfigurationCommandOutput,
} from "@aws-sdk/client-lambda";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedLambda, type LambdaSeed } from "../../../demo/services/lambda.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type GraphQLAnswer, type GraphQLClient, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { ownRedis } from "../../support/redis.js";
import { all, checkRandomBackwardWalks, checkRandomWalks, dataOf, regionalClients, startRewritingProxy } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGION = "us-east-1";
const OTHER = "eu-west-1";
/** more than one ListFunctions page (50) in the main region, a few in the other */
const PLAN = { functions: { [REGION]: 57, [OTHER]: 4 } };

let moto: Moto;
let gateway: TestGateway;
let seed: LambdaSeed;
let iam: IAMClient;
const lambda = regionalClients((region) => new LambdaClient(motoClientConfig(moto.endpoint, region)));
const ec2 = regionalClients((region) => new EC2Client(motoClientConfig(moto.endpoint, region)));

/** Every answer the gateway gave in this file, as sent: the secrets test reads them all. */
const answers: string[] = [];
const client: GraphQLClient = {
  async query<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLAnswer<Data>> {
    const answer = await gateway.query<Data>(query, variables, headers);
    answers.push(JSON.stringify(answer));
    return answer;
  },
};

beforeAll(async () => {
  moto = await startMoto();
  seed = await seedLambda({ endpoint: moto.endpoint }, PLAN);
  iam = new IAMClient(motoClientConfig(moto.endpoint));
  // debug logs, so the secrets test can read them too
  gateway = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET, LOG_LEVEL: "debug" });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  lambda.destroy();
  ec2.destroy();
  iam?.destroy();
  await moto?.stop();
});

/** ListFunctions as the SDK's paginator walks it. */
const sdkFunctions = (region: string): Promise<FunctionConfiguration[]> => all(paginateListFunctions({ client: lambda(region), pageSize: 50 }, {}), (page) => page.Functions);
const sdkNames = async (region: string) => (await sdkFunctions(region)).map((f) => f.FunctionName!);

const ARGS = "$first: Int, $after: String, $last: Int, $before: String, $region: String";
const PAGING = "first: $first, after: $after, last: $last, before: $before, region: $region";
const FIELDS = "id accountId accountName region functionName functionArn runtime handler memorySize timeout codeSize lastModified packageType architectures state environmentVariableNames";
const LINKS = "role { roleName arn path } vpc { vpcId } subnets { subnetId vpcId } securityGroups { groupId groupName vpcId }";
const listQuery = (selection: string) => `query(${ARGS}) { lambdaFunctions(${PAGING}) {
  edges { cursor node { ${selection} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

/** What the contract's fields say for a function, from ListFunctions and GetFunctionConfiguration. */
function expectedFields(listed: FunctionConfiguration, got: GetFunctionConfigurationCommandOutput, region: string) {
  return {
    accountId: "123456789012",
    accountName: "default",
    region,
    functionName: listed.FunctionName,
    functionArn: listed.FunctionArn,
    runtime: listed.Runtime ?? null,
    handler: listed.Handler ?? null,
    memorySize: listed.MemorySize,
    timeout: listed.Timeout,
    packageType: listed.PackageType,
    architectures: listed.Architectures,
    // AWS: only GetFunction/GetFunctionConfiguration say State
    state: got.State,
    environmentVariableNames: Object.keys(listed.Environment?.Variables ?? {}).sort(),
  };
}

function compareNode(node: any, listed: FunctionConfiguration, got: GetFunctionConfigurationCommandOutput, region: string) {
  const { id, codeSize, lastModified, environmentVariableNames, ...rest } = node;
  const { environmentVariableNames: names, ...expected } = expectedFields(listed, got, region);
  expect(rest, listed.FunctionName).toMatchObject(expected);
  expect(typeof id).toBe("string");
  expect([...environmentVariableNames].sort(), listed.FunctionName).toEqual(names);
  expect(Number(codeSize), listed.FunctionName).toBe(listed.CodeSize);
  expect(lastModified, listed.FunctionName).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/);
  expect(Date.parse(lastModified), listed.FunctionName).toBe(Date.parse(listed.LastModified!));
}

describe("Lambda functions against moto_server", () => {
  it("the seed is as the SDK lists it: more than one AWS page, in a VPC or not, Zip and Image, with and without environment", async () => {
    const listed = await sdkFunctions(REGION);
    expect(listed.map((f) => f.FunctionName)).toEqual(seed.regions[REGION]!.functionNames);
    expect(listed.length).toBeGreaterThan(50);
    // moto ignores MaxItems: every function in one answer, no marker
    const small = await lambda(REGION).send(new ListFunctionsCommand({ MaxItems: 5 }));
    expect([small.Functions!.length, small.NextMarker]).toEqual([listed.length, undefined]);
    expect(new Set(listed.map((f) => f.PackageType))).toEqual(new Set(["Zip", "Image"]));
    expect(new Set(listed.flatMap((f) => f.Architectures!))).toEqual(new Set(["x86_64", "arm64"]));
    expect(listed.some((f) => f.VpcConfig?.SubnetIds?.length) && listed.some((f) => !f.VpcConfig)).toBe(true);
    expect(listed.some((f) => f.Environment?.Variables?.DB_PASSWORD) && listed.some((f) => !f.Environment)).toBe(true);
    expect(await sdkNames(OTHER)).toEqual(seed.regions[OTHER]!.functionNames);
  });

  it("lambdaFunctions: walks with random page sizes, resumed after random edges, equal the SDK's listing", async () => {
    const expected = await sdkNames(REGION);
    const query = listQuery("id region functionName");
    await checkRandomWalks(client, query, ["lambdaFunctions"], { maxFirst: 20, runs: 4, variables: { region: REGION } }, (walk) => {
      expect(walk.nodes.map((n: any) => n.functionName)).toEqual(expected);
      expect(walk.nodes.every((n: any) => n.region === REGION)).toBe(true);
      expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
    });
  });

  it("lambdaFunctions: walks another region, and both regions as one listing", async () => {
    const other = await walkConnection(client, listQuery("region functionName"), ["lambdaFunctions"], { firsts: [3], variables: { region: OTHER } });
    expect(other.nodes.map((n: any) => n.functionName)).toEqual(await sdkNames(OTHER));
    expect(other.nodes.every((n: any) => n.region === OTHER)).toBe(true);
    const query = `query($first: Int, $after: String) { lambdaFunctions(first: $first, after: $after, regions: ["${REGION}", "${OTHER}"]) {
      edges { cursor node { region functionName } } pageInfo { hasNextPage endCursor } } }`;
    const both = await walkConnection(client, query, ["lambdaFunctions"], { firsts: [9, 2] });
    expect(both.nodes.map((n: any) => `${n.region}/${n.functionName}`)).toEqual([
      ...(await sdkNames(REGION)).map((name) => `${REGION}/${name}`),
      ...(await sdkNames(OTHER)).map((name) => `${OTHER}/${name}`),
    ]);
  });

  it("lambdaFunctions: a walk backward from the last edge (last/before) is the forward listing reversed", async () => {
    const expected = await sdkNames(REGION);
    const walks = { expected, key: (node: any) => node.functionName, maxLast: 12, runs: 2, variables: { region: REGION } };
    await checkRandomBackwardWalks(client, listQuery("functionName"), ["lambdaFunctions"], walks);
  });

  it("lambdaFunctions: totalCount is the SDK's count, in each region", async () => {
    for (const region of [REGION, OTHER]) {
      const data = dataOf(await client.query(`query($region: String) { lambdaFunctions(region: $region, first: 1) { totalCount edges { node { functionName } } } }`, { region }), region);
      expect(data.lambdaFunctions.totalCount, region).toBe((await sdkNames(region)).length);
      expect(data.lambdaFunctions.edges).toHaveLength(1);
    }
  });

  it("lambdaFunctions: every field of the contract, for every function, equals what ListFunctions and GetFunctionConfiguration say", async () => {
    const listed = await sdkFunctions(REGION);
    // pages of 20: a field AWS only gives per function (state) may bound a page by MAX_AWS_CALLS_PER_PAGE
    const walk = await walkConnection(client, listQuery(FIELDS), ["lambdaFunctions"], { firsts: [20], variables: { region: REGION } });
    expect(walk.nodes.map((n: any) => n.functionName)).toEqual(listed.map((f) => f.FunctionName));
    for (const [index, node] of walk.nodes.entries()) {
      const got = await lambda(REGION).send(new GetFunctionConfigurationCommand({ FunctionName: listed[index]!.FunctionName }));
      compareNode(node, listed[index]!, got, REGION);
    }
    // the seed's variety reaches the answers
    const nodes = walk.nodes as any[];
    expect(nodes.some((n) => n.runtime === null && n.handler === null && n.packageType === "Image")).toBe(true);
    expect(nodes.some((n) => n.environmentVariableNames.includes("DB_PASSWORD"))).toBe(true);
    expect(nodes.some((n) => n.environmentVariableNames.length === 0)).toBe(true);
  });

  it("lambdaFunctions: a page of the fields ListFunctions has costs one ListFunctions call and nothing else", async () => {
    const selection = FIELDS.replace(" state", "");
    const answer = await client.query(listQuery(selection), { first: 10, region: REGION });
    expect(dataOf(answer, "page").lambdaFunctions.edges).toHaveLength(10);
    expect(answer.extensions?.aws?.operations).toEqual({ ListFunctions: 1 });
  });

  it("links each function to its role (IAM), VPC, subnets and security groups (EC2) as those services say, in a few calls", async () => {
    const listed = await sdkFunctions(REGION);
    const answer = await client.query(listQuery(`functionName ${LINKS}`), { first: 25, region: REGION });
    const nodes = dataOf(answer, "links").lambdaFunctions.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(25);
    const subnets = new Map((await ec2(REGION).send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => [s.SubnetId!, s]));
    const groups = new Map((await ec2(REGION).send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.map((g) => [g.GroupId!, g]));
    const vpcs = new Map((await ec2(REGION).send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => [v.VpcId!, v]));
    for (const [index, node] of nodes.entries()) {
      const f = listed[index]!;
      expect(node.functionName).toBe(f.FunctionName);
      const roleName = f.Role!.split("/").at(-1)!;
      const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
      expect(node.role, f.FunctionName).toEqual({ roleName: role.RoleName, arn: role.Arn, path: role.Path });
      expect(node.role.arn).toBe(f.Role);
      expect(node.subnets, f.FunctionName).toEqual((f.VpcConfig?.SubnetIds ?? []).map((id) => ({ subnetId: id, vpcId: subnets.get(id)!.VpcId })));
      expect(node.securityGroups, f.FunctionName).toEqual(
        (f.VpcConfig?.SecurityGroupIds ?? []).map((id) => ({ groupId: id, groupName: groups.get(id)!.GroupName, vpcId: groups.get(id)!.VpcId })),
      );
      // the VPC Lambda names, when EC2 knows it (moto's "vpc-123abc" it does not: null)
      const vpcId = f.VpcConfig?.VpcId;
      expect(node.vpc, f.FunctionName).toEqual(vpcId && vpcs.has(vpcId) ? { vpcId } : null);
    }
    // the seed's subnets and groups are the ones linked, and they sit in its VPC
    const linked = nodes.flatMap((n: any) => n.subnets);
    expect(linked.length).toBeGreaterThan(0);
    expect(new Set(linked.map((s: any) => s.vpcId))).toEqual(new Set([seed.regions[REGION]!.vpcId]));
    expect(new Set(nodes.flatMap((n: any) => n.securityGroups.map((g: any) => g.groupId)))).toEqual(new Set(seed.regions[REGION]!.securityGroupIds));
    expect(new Set(nodes.map((n: any) => n.role.roleName))).toEqual(new Set(seed.roles.map((r) => r.roleName)));
    // batched per page: one EC2 call per kind, roles by name
    const operations = answer.extensions?.aws?.operations ?? {};
    expect(operations.ListFunctions).toBe(1);
    expect(operations.DescribeSubnets ?? 0).toBeLessThanOrEqual(1);
    expect(operations.DescribeSecurityGroups ?? 0).toBeLessThanOrEqual(1);
    expect(operations.DescribeVpcs ?? 0).toBeLessThanOrEqual(1);
    expect(operations.GetRole ?? 0).toBeLessThanOrEqual(seed.roles.length);
  });

  it("lambdaFunction(functionName): finds a function with every field as GetFunctionConfiguration says, refetches it by id, and answers null for a missing one", async () => {
    const listed = await sdkFunctions(REGION);
    const query = `query($name: String!, $region: String) { lambdaFunction(functionName: $name, region: $region) { ${FIELDS} ${LINKS} } }`;
    for (const f of [listed[0]!, listed[7]!, listed.at(-1)!]) {
      const got = await lambda(REGION).send(new GetFunctionConfigurationCommand({ FunctionName: f.FunctionName }));
      const node = dataOf(await client.query(query, { name: f.FunctionName }), f.FunctionName!).lambdaFunction;
      expect(node, f.FunctionName).not.toBeNull();
      const { role, vpc, subnets, securityGroups, ...fields } = node;
      compareNode(fields, f, got, REGION);
      expect(role.arn).toBe(got.Role);
      expect(subnets.map((s: any) => s.subnetId)).toEqual(got.VpcConfig?.SubnetIds ?? []);
      expect(securityGroups.map((g: any) => g.groupId)).toEqual(got.VpcConfig?.SecurityGroupIds ?? []);
      expect(vpc).toBeNull(); // no VPC, or moto's fake one
      const refetched = dataOf(await client.query(`query($id: ID!) { node(id: $id) { id ... on LambdaFunction { functionName region } } }`, { id: node.id }), "node").node;
      expect(refetched).toEqual({ id: node.id, functionName: f.FunctionName, region: REGION });
    }
    const [otherName] = await sdkNames(OTHER);
    expect(dataOf(await client.query(query, { name: otherName, region: OTHER }), "other region").lambdaFunction.functionName).toBe(otherName);
    // the other region's functions share the first names of this one's: the last one is not there
    expect(await sdkNames(OTHER)).not.toContain(listed.at(-1)!.FunctionName);
    for (const [name, region] of [["no-such-function", REGION], [listed.at(-1)!.FunctionName!, OTHER]] as const) {
      const answer = await client.query(query, { name, region });
      expect(answer.errors, `${name} in ${region}`).toBeUndefined();
      expect(answer.data!.lambdaFunction, `${name} in ${region}`).toBeNull();
    }
  });

  it("never serves an environment variable's value: the schema has their names only, and no answer or log line holds a secret", async () => {
    expect(seed.secretValues.length).toBeGreaterThan(10);
    const type = dataOf(await client.query(`{ __type(name: "LambdaFunction") { fields { name } } }`), "introspection").__type;
    const names: string[] = type.fields.map((f: any) => f.name);
    expect(names.filter((n) => /environment|variable/i.test(n))).toEqual(["environmentVariableNames"]);
    // ask for everything once more, every way there is: the listing, each item, each node
    const walk = await walkConnection(client, listQuery(`${FIELDS} ${LINKS}`), ["lambdaFunctions"], { firsts: [20], variables: { region: REGION } });
    const withSecrets = (walk.nodes as any[]).filter((n) => n.environmentVariableNames.includes("DB_PASSWORD"));
    expect(withSecrets.length).toBeGreaterThan(0);
    for (const node of withSecrets.slice(0, 5)) {
      dataOf(await client.query(`query($name: String!) { lambdaFunction(functionName: $name) { ${FIELDS} } }`, { name: node.functionName }), node.functionName);
      dataOf(await client.query(`query($id: ID!) { node(id: $id) { ... on LambdaFunction { ${FIELDS} } } }`, { id: node.id }), node.functionName);
    }
    // a field that is not there is refused without echoing anything of AWS's
    const refused = await client.query(`{ lambdaFunctions(first: 1) { edges { node { environment { variables } } } } }`);
    expect(refused.errors?.length).toBeGreaterThan(0);
    expect(answers.length).toBeGreaterThan(20);
    const everything = [...answers, ...gateway.logs().map((line) => JSON.stringify(line)), gateway.stderr()];
    for (const secret of seed.secretValues) {
      const leaks = everything.filter((text) => text.includes(secret));
      expect(leaks, `secret ${secret.slice(0, 10)}… appears`).toEqual([]);
    }
  });
});

describe("Lambda secrets at rest", () => {
  it("keeps no environment variable's value in the shared store (Redis): neither the page cache nor held pages", async () => {
    const redis = await ownRedis();
    await redis.start();
    const shared = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET, CURSOR_STORE: redis.url, AWS_CACHE_SECONDS: "60" });
    const reader = new Redis(redis.url);
    try {
      // a held page (moto answers every function at once), the cache of ListFunctions and of each lookup
      const walk = await walkConnection(shared, listQuery(`${FIELDS} ${LINKS}`), ["lambdaFunctions"], { firsts: [7], variables: { region: REGION } });
      expect(walk.nodes.length).toBe(PLAN.functions[REGION]);
      for (const name of seed.regions[REGION]!.functionNames.slice(0, 6)) {
        dataOf(await shared.query(`query($name: String!) { lambdaFunction(functionName: $name) { ${FIELDS} } }`, { name }), name);
      }
      const stored: string[] = [];
      for (const key of await reader.keys("*")) {
        const type = await reader.type(key);
        if (type === "string") stored.push(key, (await reader.get(key)) ?? "");
        else if (type === "hash") stored.push(key, JSON.stringify(await reader.hgetall(key)));
        else if (type === "list") stored.push(key, JSON.stringify(await reader.lrange(key, 0, -1)));
        else if (type === "set") stored.push(key, JSON.stringify(await reader.smembers(key)));
        else if (type === "zset") stored.push(key, JSON.stringify(await reader.zrange(key, 0, -1)));
        else stored.push(key, `<${type}>`);
      }
      expect(stored.length, "the gateway keeps its pages and answers in Redis").toBeGreaterThan(0);
      const leaks = seed.secretValues.filter((secret) => stored.some((text) => text.includes(secret)));
      expect(leaks.length, `${leaks.length} of ${seed.secretValues.length} secret values stored in Redis`).toBe(0);
    } finally {
      reader.disconnect();
      await shared.close();
      await redis.stop();
    }
  });
});

/**
 * A loopback proxy in front of moto whose Lambda answers are AWS's: ListFunctions pages of at most 50
 * (MaxItems, Marker/NextMarker), without the fields AWS leaves to GetFunction (State, StateReason...,
 * LastUpdateStatus...), VpcConfig.VpcId the subnets' VPC instead of moto's "vpc-123abc", and LastModified as
 * AWS writes it ("2024-01-01T00:00:00.123+0000"). It counts ListFunctions calls and the page sizes asked for.
 */
async function startAwsLikeLambda(target: string, vpcIdOf: (region: string) => string) {
  const awsLike = (fn: Record<string, any>) => {
    const region = String(fn.FunctionArn).split(":")[3]!;
    const out: Record<string, any> = { ...fn, LastModified: new Date(fn.LastModified).toISOString().replace("Z", "+0000") };
    if (out.VpcConfig?.VpcId === "vpc-123abc") out.VpcConfig = { ...out.VpcConfig, VpcId: vpcIdOf(region) };
    return out;
  };
  const onlyListed = (fn: Record<string, any>) => {
    const { State, StateReason, StateReasonCode, LastUpdateStatus, LastUpdateStatusReason, LastUpdateStatusReasonCode, RuntimeVersionConfig, ...listed } = fn;
    return listed;
  };
  const listCalls: { maxItems: string | null; marker: boolean }[] = [];
  const proxy = await startRewritingProxy(target, "application/json", ({ method, url, text }) => {
    if (method === "GET" && /^\/2015-03-31\/functions\/?$/.test(url.pathname)) {
      listCalls.push({ maxItems: url.searchParams.get("MaxItems"), marker: url.searchParams.has("Marker") });
      const all: Record<string, any>[] = JSON.parse(text).Functions;
      const marker = url.searchParams.get("Marker");
      const start = marker ? Number(Buffer.from(marker, "base64url").toString()) : 0;
      const size = Math.min(50, Number(url.searchParams.get("MaxItems") ?? 50));
      const next = start + size < all.length ? { NextMarker: Buffer.from(String(start + size)).toString("base64url") } : {};
      return JSON.stringify({ Functions: all.slice(start, start + size).map((fn) => onlyListed(awsLike(fn))), ...next });
    }
    if (method === "GET" && /^\/2015-03-31\/functions\/[^/]+(\/configuration)?\/?$/.test(url.pathname)) {
      const answer = JSON.parse(text);
      return JSON.stringify(answer.Configuration ? { ...answer, Configuration: awsLike(answer.Configuration) } : awsLike(answer));
    }
    return text;
  });
  return { ...proxy, listCalls };
}

describe("Lambda functions as AWS answers (moto behind a proxy that pages, leaves State out of ListFunctions and names the real VPC)", () => {
  let proxy: Awaited<ReturnType<typeof startAwsLikeLambda>>;
  let awsLike: TestGateway;
  beforeAll(async () => {
    proxy = await startAwsLikeLambda(moto.endpoint, (region) => seed.regions[region]!.vpcId);
    awsLike = await startGateway({ ...motoEnv(proxy.url), ...UNBOUNDED_BUDGET });
  }, 60_000);
  afterAll(async () => {
    await awsLike?.close();
    await proxy?.close();
  });

  it("the proxy answers as AWS: pages of 50 with NextMarker, no State in the listing", async () => {
    const client = new LambdaClient(motoClientConfig(proxy.url, REGION));
    try {
      const first = await client.send(new ListFunctionsCommand({}));
      expect(first.Functions).toHaveLength(50);
      expect(first.NextMarker).toBeTruthy();
      expect(first.Functions!.every((f) => f.State === undefined)).toBe(true);
      const rest = await client.send(new ListFunctionsCommand({ Marker: first.NextMarker }));
      expect([...first.Functions!, ...rest.Functions!].map((f) => f.FunctionName)).toEqual(await sdkNames(REGION));
      expect(rest.NextMarker).toBeUndefined();
      const got = await client.send(new GetFunctionConfigurationCommand({ FunctionName: first.Functions![0]!.FunctionName }));
      expect([got.State, got.VpcConfig?.VpcId]).toEqual(["Active", seed.regions[REGION]!.vpcId]);
    } finally {
      client.destroy();
    }
  });

  it("walks every function once in order, ListFunctions asked for at most 50 a call, ceil(N / 50) calls for one big page", async () => {
    const expected = await sdkNames(REGION);
    const walk = await walkConnection(client2(), listQuery("functionName"), ["lambdaFunctions"], { firsts: [7, 13, 4], variables: { region: REGION } });
    expect(walk.nodes.map((n: any) => n.functionName)).toEqual(expected);
    expect(proxy.listCalls.every((c) => c.maxItems === null || (Number(c.maxItems) >= 1 && Number(c.maxItems) <= 50))).toBe(true);
    proxy.listCalls.length = 0;
    const big = await awsLike.query(listQuery("functionName"), { first: 100, region: REGION });
    expect(dataOf(big, "one page of 100").lambdaFunctions.edges.map((e: any) => e.node.functionName)).toEqual(expected);
    expect(big.extensions?.aws?.operations).toEqual({ ListFunctions: Math.ceil(expected.length / 50) });
  });

  it("state comes from GetFunction(Configuration), since ListFunctions does not say it; the VPC link is the one Lambda names", async () => {
    const listed = await sdkFunctions(REGION);
    const walk = await walkConnection(client2(), listQuery(`${FIELDS} vpc { vpcId }`), ["lambdaFunctions"], { firsts: [20], variables: { region: REGION } });
    expect(walk.nodes.map((n: any) => n.functionName)).toEqual(listed.map((f) => f.FunctionName));
    for (const [index, node] of (walk.nodes as any[]).entries()) {
      const f = listed[index]!;
      const got = await lambda(REGION).send(new GetFunctionConfigurationCommand({ FunctionName: f.FunctionName }));
      const { vpc, ...fields } = node;
      compareNode(fields, f, got, REGION);
      expect(fields.state, f.FunctionName).toBe("Active");
      // AWS names the subnets' VPC whenever the function runs in one
      expect(vpc, f.FunctionName).toEqual(f.VpcConfig?.SubnetIds?.length ? { vpcId: seed.regions[REGION]!.vpcId } : null);
    }
    expect(walk.operations.ListFunctions).toBeGreaterThan(0);
    // a page of list fields alone still costs only the list call
    const bare = await awsLike.query(listQuery(FIELDS.replace(" state", "")), { first: 10, region: REGION });
    expect(dataOf(bare, "list fields").lambdaFunctions.edges).toHaveLength(10);
    expect(bare.extensions?.aws?.operations).toEqual({ ListFunctions: 1 });
  });

  it("lambdaFunction(functionName) says the state and the real VPC too", async () => {
    const [name] = seed.regions[REGION]!.functionNames;
    const node = dataOf(await awsLike.query(`query($name: String!) { lambdaFunction(functionName: $name) { functionName state vpc { vpcId } } }`, { name }), name!).lambdaFunction;
    expect(node).toEqual({ functionName: name, state: "Active", vpc: { vpcId: seed.regions[REGION]!.vpcId } });
  });

  /** The AWS-like gateway, its answers recorded with the others for the secrets test's sake. */
  function client2(): GraphQLClient {
    return {
      async query<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLAnswer<Data>> {
        const answer = await awsLike.query<Data>(query, variables, headers);
        answers.push(JSON.stringify(answer));
        return answer;
      },
    };
  }
});

describe("Lambda secrets, last", () => {
  it("no answer of either gateway in this file held an environment variable's value", () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const secret of seed.secretValues) expect(answers.filter((text) => text.includes(secret)), `secret ${secret.slice(0, 10)}…`).toEqual([]);
  });
});
