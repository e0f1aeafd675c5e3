import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { getIntrospectionQuery, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountDirectory } from "../../src/aws/accounts.js";
import { estimateCost } from "../../src/graphql/query-limits.js";
import { schema } from "../../src/schema.js";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";

let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;
beforeAll(async () => {
  moto = await startMoto();
  const iam = new IAMClient(motoClientConfig(moto.endpoint));
  await iam.send(new CreateUserCommand({ UserName: "auditor" }));
  iam.destroy();
  proxy = await startAwsProxy(moto.endpoint);
  gateway = await startGateway(motoEnv(proxy.url));
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await moto?.stop();
});

/** What `accounts` reaches with the gateway's own account and two configured ones. */
const threeAccounts = (names: readonly string[]) => new AccountDirectory([{ name: "prod" }, { name: "dev" }]).reach(names);
const cost = (query: string, variables = {}) => estimateCost(schema, parse(query), undefined, variables, 50);

describe("worst-case cost", () => {
  it("multiplies nested connections by their parents' first, as GitHub's API counts nodes", () => {
    expect(cost(`{ s3Buckets(first: 10) { edges { node { objects(first: 100) { edges { node { key } } } } } } }`)).toMatchObject({ awsCalls: 1 + 10, nodes: 10 + 10 * 100 });
    expect(cost(`query($n: Int) { iamUsers(first: $n) { edges { node { groups(first: 5) { edges { node { groupName } } } } } } }`, { n: 20 })).toMatchObject({
      awsCalls: 1 + 20,
      nodes: 20 + 100,
    });
  });

  it("counts a relation as one batched call per 200 parents, and uses DEFAULT_PAGE_SIZE when first is omitted", () => {
    expect(cost(`{ ec2Instances { edges { node { vpc { vpcId } securityGroups { groupId } } } } }`)).toMatchObject({ awsCalls: 3, nodes: 150 });
    expect(cost(`{ ec2Instances(first: 1000) { edges { node { vpc { vpcId } } } } }`)).toMatchObject({ awsCalls: 1 + 5, nodes: 2000 });
  });

  it("reads first and ids from variables, and from a variable's default when the request leaves it out", () => {
    const walk = `query($first: Int = 1000, $after: String) { s3Buckets(first: 10) { edges { node { objects(first: $first, after: $after) { edges { node { key } } } } } } }`;
    expect(cost(walk)).toMatchObject({ awsCalls: 1 + 10, nodes: 10 + 10 * 1000 });
    expect(cost(walk, { first: 5, after: "x" })).toMatchObject({ awsCalls: 1 + 10, nodes: 10 + 10 * 5 });
    expect(cost(walk, { first: null })).toMatchObject({ awsCalls: 1 + 10, nodes: 10 + 10 * 50 });
    expect(cost(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 450 }, (_, i) => `id-${i}`) })).toMatchObject({ awsCalls: 3, nodes: 450 });
  });

  it("prices a count (totalCount, countBy, or both: one read) at one call per source it reaches, for each connection it is asked of", () => {
    const costIn = (query: string) => estimateCost(schema, parse(query), undefined, {}, 50, threeAccounts);
    expect(costIn(`{ ec2Volumes(first: 10) { totalCount pageInfo { hasNextPage } } }`)).toMatchObject({ awsCalls: 1 + 1, nodes: 10 });
    expect(costIn(`{ ec2Vpcs(first: 10) { edges { node { instances(first: 5) { totalCount } } } } }`)).toMatchObject({ awsCalls: 1 + 10 + 10 * 1, nodes: 10 + 50 });
    // every region of three accounts: `regions: ["*"]` reaches every region the gateway knows, in each account
    const everywhere = costIn(`{ ec2Instances(accounts: ["*"], regions: ["*"], first: 1) { totalCount countBy(field: STATE) { key count } } }`);
    const sources = 3 * estimateCost(schema, parse(`{ ec2Instances(regions: ["*"], first: 1) { edges { cursor } } }`), undefined, {}, 50).awsCalls;
    expect(everywhere.awsCalls).toBe(sources + sources);
    expect(everywhere.awsCalls).toBeLessThan(500);
  });

  it("counts a call for every source (account and region) a connection can reach", () => {
    const costIn = (query: string, variables = {}) => estimateCost(schema, parse(query), undefined, variables, 50, threeAccounts);
    expect(costIn(`{ ec2Volumes(regions: ["us-east-1", "eu-west-1"], first: 10) { edges { cursor } } }`)).toMatchObject({ awsCalls: 2, nodes: 10 });
    expect(costIn(`{ ec2Volumes(accounts: ["*"], regions: ["us-east-1", "eu-west-1"], first: 10) { edges { cursor } } }`)).toMatchObject({ awsCalls: 3 * 2, nodes: 10 });
    expect(costIn(`query($r: [String!]) { ec2Volumes(accounts: ["default", "prod"], regions: $r) { edges { cursor } } }`, { r: ["eu-west-*"] })).toMatchObject({ awsCalls: 2 * 3, nodes: 50 });
    expect(costIn(`{ iamUsers(accounts: ["*"], first: 5) { edges { node { groups(first: 5) { edges { cursor } } } } } }`)).toMatchObject({ awsCalls: 3 + 5, nodes: 5 + 25 });
  });

  it("counts calls made once per parent, and fragments like the fields they spread", () => {
    expect(cost(`{ s3Buckets(first: 30) { ...b } } fragment b on S3BucketConnection { edges { node { region } } }`)).toMatchObject({ awsCalls: 31, nodes: 30 });
  });
});

describe("query limits, before execution", () => {
  const refused = async (query: string, limit: string) => {
    proxy.reset();
    const answer = await gateway.query(query);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", limit });
    expect(typeof answer.errors?.[0]?.extensions?.value).toBe("number");
    expect(answer.errors![0]!.extensions!.value).toBeGreaterThan(answer.errors![0]!.extensions!.max);
    expect(answer.status).not.toBe(500);
    expect([...proxy.calls]).toEqual([]);
    return answer;
  };

  it("refuses a query whose worst case exceeds MAX_QUERY_AWS_CALLS, saying the computed cost", async () => {
    const answer = await refused(`{ s3Buckets(first: 600) { edges { node { objects(first: 10) { edges { node { key } } } } } } }`, "awsCalls");
    expect(answer.errors![0]!.extensions!.value).toBe(601);
    expect(answer.errors![0]!.extensions!.cost).toMatchObject({ awsCalls: 601, nodes: 6600 });
  });

  it("judges the same query text anew for each value of its variables", async () => {
    const query = `query($buckets: Int, $after: String) { s3Buckets(first: $buckets, after: $after) { edges { node { objects(first: 10) { edges { node { key } } } } } } }`;
    for (const [buckets, after, refusedAs] of [[10, null, undefined], [600, null, "awsCalls"], [10, "x", undefined], [600, "y", "awsCalls"], [10, null, undefined]] as const) {
      const answer = await gateway.query(query, { buckets, after });
      expect(answer.errors?.[0]?.extensions?.limit, `first: ${buckets}`).toBe(refusedAs);
    }
  });

  it("lets through an audit page of 100 users with their groups and attached policies", async () => {
    const answer = await gateway.query(`{ iamUsers(first: 100) { edges { node { userName groups(first: 10) { edges { node { groupName } } } attachedPolicies(first: 10) { edges { node { arn } } } } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.iamUsers.edges[0].node.userName).toBe("auditor");
  });

  it("refuses a query that could return more than MAX_QUERY_NODES nodes", async () => {
    await refused(`{ s3Buckets(first: 150) { edges { node { objects(first: 1000) { edges { node { key } } } } } } }`, "nodes");
  });

  it("refuses a query nested too deep", async () => {
    const nest = (levels: number): string => (levels === 0 ? "vpcId" : `subnets { edges { node { vpc { ${nest(levels - 1)} } } } }`);
    const deep = `{ ec2Vpcs { edges { node { ${nest(3)} } } } }`;
    await refused(deep, "depth");
  });

  it("refuses too many aliases", async () => {
    await refused(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: ec2Instances(first: 1) { edges { cursor } }`).join(" ")} }`, "aliases");
  });

  it("refuses too many tokens", async () => {
    await refused(`{ ec2Instances(first: 1) { edges { node { ${Array.from({ length: 2100 }, () => "instanceId").join(" ")} } } } }`, "tokens");
  });

  it("lets GraphiQL's introspection query through", async () => {
    const answer = await gateway.query(getIntrospectionQuery());
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.__schema.queryType.name).toBe("Query");
  });
});

describe("introspection and GraphiQL switched off", () => {
  it("refuses introspection and serves no GraphiQL page", async () => {
    const closed = await startGateway({ ...motoEnv(proxy.url), INTROSPECTION: "false", GRAPHIQL: "false" });
    try {
      const answer = await closed.query(`{ __schema { queryType { name } } }`);
      expect(answer.data?.__schema ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const page = await fetch(closed.url, { headers: { accept: "text/html" } });
      expect(await page.text()).not.toMatch(/graphiql/i);
    } finally {
      await closed.close();
    }
  });

  it("serves GraphiQL on GET in a browser by default", async () => {
    const page = await fetch(gateway.url, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
  });
});
