import { CreateVolumeCommand, DescribeVolumesCommand, EC2Client, paginateDescribeVolumes } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { ownRedis, type OwnRedis } from "../support/redis.js";
import { walkConnection } from "../support/walk.js";

const VOLUMES = 60;
let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;

beforeAll(async () => {
  moto = await startMoto();
  const ec2 = new EC2Client(motoClientConfig(moto.endpoint));
  for (let v = 0; v < VOLUMES; v += 1) await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 + (v % 4), VolumeType: v % 2 ? "gp3" : "gp2" }));
  ec2.destroy();
  proxy = await startAwsProxy(moto.endpoint);
  gateway = await startGateway({ ...motoEnv(proxy.url), AWS_CACHE_SECONDS: "2", AWS_ACCOUNTS: "prod=arn:aws:iam::111111111111:role/Reader" });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await moto?.stop();
});

const PAGE = `query($filter: Ec2VolumeFilter, $accounts: [String!], $first: Int, $after: String) {
  ec2Volumes(filter: $filter, accounts: $accounts, first: $first, after: $after) { edges { cursor node { volumeId } } pageInfo { hasNextPage endCursor } fetchedAt } }`;
const describeCalls = () => proxy.calls.get("DescribeVolumes") ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until every entry the cache holds has expired (AWS_CACHE_SECONDS=2). */
const expireCache = () => sleep(2100);

describe("a shared page cache with visible freshness, against moto_server", () => {
  it("answers fifty concurrent requests for the same first page with one AWS call, and says so", async () => {
    await expireCache();
    proxy.reset();
    const answers = await Promise.all(Array.from({ length: 50 }, () => gateway.query(PAGE, { first: 10 })));
    expect(describeCalls()).toBe(1);
    expect(answers.every((a) => a.errors === undefined)).toBe(true);
    const ids = answers.map((a) => JSON.stringify(a.data!.ec2Volumes.edges.map((e: any) => e.node.volumeId)));
    expect(new Set(ids).size).toBe(1);
    expect(answers.reduce((sum, a) => sum + a.extensions!.aws.calls, 0)).toBe(1);
    expect(answers.reduce((sum, a) => sum + a.extensions!.aws.cached, 0)).toBe(49);
    expect(new Set(answers.map((a) => a.data!.ec2Volumes.fetchedAt)).size).toBe(1);
  });

  it("never shares between different filters or different AWS identities", async () => {
    await expireCache();
    proxy.reset();
    await gateway.query(PAGE, { first: 10 });
    await gateway.query(PAGE, { first: 10, filter: { volumeTypes: ["gp3"] } });
    await gateway.query(PAGE, { first: 10, accounts: ["prod"] });
    expect(describeCalls()).toBe(3);
    await gateway.query(PAGE, { first: 10, filter: { volumeTypes: ["gp3"] } });
    await gateway.query(PAGE, { first: 10, accounts: ["prod"] });
    expect(describeCalls()).toBe(3);
  });

  it("reads AWS afresh for Cache-Control: no-cache, and refreshes the cache with it", async () => {
    await expireCache();
    const first = await gateway.query(PAGE, { first: 10 });
    await sleep(20);
    proxy.reset();
    const fresh = await gateway.query(PAGE, { first: 10 }, { "cache-control": "no-cache" });
    expect(describeCalls()).toBe(1);
    expect(fresh.extensions!.aws).toMatchObject({ calls: 1, cached: 0 });
    expect(Date.parse(fresh.data!.ec2Volumes.fetchedAt)).toBeGreaterThan(Date.parse(first.data!.ec2Volumes.fetchedAt));
    const after = await gateway.query(PAGE, { first: 10 });
    expect(describeCalls()).toBe(1);
    expect(after.extensions!.aws).toMatchObject({ calls: 0, cached: 1 });
    expect(after.data!.ec2Volumes.fetchedAt).toBe(fresh.data!.ec2Volumes.fetchedAt);
  });

  it("asks AWS again for an entry past its time", async () => {
    await gateway.query(PAGE, { first: 10 });
    await expireCache();
    proxy.reset();
    const again = await gateway.query(PAGE, { first: 10 });
    expect(describeCalls()).toBe(1);
    expect(Date.now() - Date.parse(again.data!.ec2Volumes.fetchedAt)).toBeLessThan(1000);
  });

  it("keeps looked-up resources one by one: a batch asks AWS only for the ids it does not hold", async () => {
    const ec2 = new EC2Client(motoClientConfig(moto.endpoint));
    const [a, b, c] = (await ec2.send(new DescribeVolumesCommand({ MaxResults: 5 }))).Volumes!.map((v) => v.VolumeId!);
    ec2.destroy();
    const lookup = (ids: string[]) => `{ ${ids.map((id, i) => `v${i}: ec2Volume(volumeId: "${id}") { volumeId size }`).join(" ")} }`;
    const askedIds = () => proxy.requests.filter((r) => r.operation === "DescribeVolumes").map((r) => [...r.params.entries()].filter(([k]) => k.includes("Value")).map(([, v]) => v).sort());
    await expireCache();
    proxy.reset();
    await gateway.query(lookup([a!, b!]));
    const three = await gateway.query(lookup([a!, b!, c!]));
    expect(three.data).toEqual({ v0: { volumeId: a, size: expect.any(Number) }, v1: { volumeId: b, size: expect.any(Number) }, v2: { volumeId: c, size: expect.any(Number) } });
    expect(askedIds()).toEqual([[a, b].sort(), [c]]);
    const again = await gateway.query(lookup([c!, a!]));
    expect(askedIds()).toHaveLength(2);
    expect(again.extensions!.aws).toMatchObject({ calls: 0, cached: 1 });
  });

  it("walks every item exactly once, resuming after any edge, while cached pages come and go", async () => {
    const expected: string[] = [];
    const ec2 = new EC2Client(motoClientConfig(moto.endpoint));
    for await (const page of paginateDescribeVolumes({ client: ec2, pageSize: 100 }, {})) expected.push(...page.Volumes!.map((v) => v.VolumeId!));
    ec2.destroy();
    for (const [firsts, pause] of [[[7, 5, 13], 0], [[6], 700]] as const) {
      const walk = await walkConnection(gateway, PAGE, ["ec2Volumes"], {
        firsts: [...firsts],
        resumeAt: (count, page) => (page % 3 === 0 ? 0 : count - 1),
        variables: {},
      });
      expect(walk.nodes.map((n: any) => n.volumeId)).toEqual(expected);
      if (pause) await sleep(pause);
    }
  });
});

describe("the page cache in Redis", () => {
  let redis: OwnRedis;
  let replicas: TestGateway[] = [];

  beforeAll(async () => {
    redis = await ownRedis();
    await redis.start();
    replicas = await Promise.all([0, 1].map(() => startGateway({ ...motoEnv(proxy.url), CURSOR_STORE: redis.url, AWS_CACHE_SECONDS: "30", REDIS_TIMEOUT_MS: "500" })));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await redis?.stop();
  });

  it("is shared by replicas: a page one read is an answer the other does not ask AWS for", async () => {
    proxy.reset();
    const one = await replicas[0]!.query(PAGE, { first: 12, filter: { volumeTypes: ["gp2"] } });
    const other = await replicas[1]!.query(PAGE, { first: 12, filter: { volumeTypes: ["gp2"] } });
    expect(describeCalls()).toBe(1);
    expect(other.extensions!.aws).toMatchObject({ calls: 0, cached: 1 });
    expect(other.data!.ec2Volumes.edges.map((e: any) => e.node)).toEqual(one.data!.ec2Volumes.edges.map((e: any) => e.node));
    expect(other.data!.ec2Volumes.fetchedAt).toBe(one.data!.ec2Volumes.fetchedAt);
  });

  it("fails fast with CURSOR_STORE_UNAVAILABLE while Redis is down, asking AWS nothing instead", async () => {
    await redis.stop();
    proxy.reset();
    const answer = await replicas[0]!.query(PAGE, { first: 12, filter: { volumeTypes: ["gp3"] } });
    expect(answer.errors?.[0]?.extensions?.code).toBe("CURSOR_STORE_UNAVAILABLE");
    expect(describeCalls()).toBe(0);
  });
});
