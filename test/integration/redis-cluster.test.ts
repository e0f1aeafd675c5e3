// CURSOR_STORE=redis-cluster://...: a real three-master Redis Cluster on loopback ports, two gateway
// replicas on it, against moto_server. Cursors, held pages, cached answers and budgets live there,
// spread over the masters; a master restarted loses its keys and gives clear errors, never a wrong page.
import { CreateUserCommand, IAMClient, paginateListUsers } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisCursorStore } from "../../src/store/redis.js";
import { motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { ownRedisCluster, type OwnRedisCluster } from "../support/redis.js";

const KEY = "dashboard-secret-1";
const OBJECTS = 90;
const USERS = 40;

let moto: Moto;
let cluster: OwnRedisCluster;
let replicas: TestGateway[];
const sdk = { objects: [] as string[], users: [] as string[] };

beforeAll(async () => {
  moto = await startMoto();
  cluster = await ownRedisCluster(3);
  const s3 = new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "clustered" }));
  await Promise.all(Array.from({ length: OBJECTS }, (_, o) => s3.send(new PutObjectCommand({ Bucket: "clustered", Key: `k/${String(o).padStart(3, "0")}`, Body: "x" }))));
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: "clustered" })) sdk.objects.push(...page.Contents!.map((o) => o.Key!));
  const iam = new IAMClient(motoClientConfig(moto.endpoint));
  await Promise.all(Array.from({ length: USERS }, (_, u) => iam.send(new CreateUserCommand({ UserName: `clustered-${u}` }))));
  for await (const page of paginateListUsers({ client: iam }, {})) sdk.users.push(...page.Users!.map((u) => u.UserName!));
  const env = { ...motoEnv(moto.endpoint), CURSOR_STORE: cluster.url, GATEWAY_API_KEYS: `dash:${KEY}`, CALLER_AWS_CALLS_PER_HOUR: "100000", AWS_CACHE_SECONDS: "60" };
  replicas = [await startGateway(env), await startGateway(env)];
}, 120_000);

afterAll(async () => {
  for (const replica of replicas ?? []) await replica.close();
  await cluster?.stop();
  await moto?.stop();
});

const OBJECTS_PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
  s3Bucket(name: "clustered") { objects(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { key } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } }`;
const USERS_PAGE = `query($first: Int, $after: String) { iamUsers(first: $first, after: $after) { edges { cursor node { userName } } pageInfo { hasNextPage endCursor } } }`;
const auth = { authorization: `Bearer ${KEY}` };

async function keysPerMaster(): Promise<number[]> {
  return Promise.all(
    cluster.ports.map(async (port) => {
      const node = new Redis({ host: "127.0.0.1", port });
      try {
        return await node.dbsize();
      } finally {
        node.disconnect();
      }
    }),
  );
}

describe("the cursor store on a Redis Cluster", () => {
  it("walks S3 objects and IAM users through two replicas in turn, forward and back, exactly as the SDK lists them, keys spread over every master", async () => {
    const keys: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page += 1) {
      const answer: GraphQLAnswer = await replicas[page % 2]!.query(OBJECTS_PAGE, { first: 7 + (page % 5), after }, auth);
      expect(answer.errors).toBeUndefined();
      const objects = answer.data!.s3Bucket.objects;
      keys.push(...objects.edges.map((e: any) => e.node.key));
      if (!objects.pageInfo.hasNextPage) {
        const back = await replicas[(page + 1) % 2]!.query(OBJECTS_PAGE, { last: 30, before: objects.pageInfo.startCursor }, auth);
        expect(back.errors).toBeUndefined();
        expect(back.data!.s3Bucket.objects.edges.map((e: any) => e.node.key)).toEqual(sdk.objects.slice(OBJECTS - objects.edges.length - 30, OBJECTS - objects.edges.length));
        break;
      }
      after = objects.pageInfo.endCursor;
    }
    expect(keys).toEqual(sdk.objects);

    // moto answers ListUsers whole: pages of 6 are cut from one AWS page held in the cluster.
    const users: string[] = [];
    let usersAfter: string | null = null;
    for (let page = 0; ; page += 1) {
      const answer: GraphQLAnswer = await replicas[page % 2]!.query(USERS_PAGE, { first: 6, after: usersAfter }, auth);
      expect(answer.errors).toBeUndefined();
      users.push(...answer.data!.iamUsers.edges.map((e: any) => e.node.userName));
      if (!answer.data!.iamUsers.pageInfo.hasNextPage) break;
      usersAfter = answer.data!.iamUsers.pageInfo.endCursor;
    }
    expect(users).toEqual(sdk.users);

    const perMaster = await keysPerMaster();
    expect(perMaster.every((n) => n > 0)).toBe(true);
    // The gauge sums DBSIZE over the masters the replica's cluster client lists at that moment,
    // which has been seen to lag under load (36 of 60 keys once); it is read until it agrees.
    const entriesGauge = async () => Number(/^awsgql_cursor_map_entries (\d+)$/m.exec(await replicas[0]!.metrics())?.[1]);
    let entries = await entriesGauge();
    for (let attempt = 0; attempt < 20 && entries !== perMaster.reduce((a, b) => a + b, 0); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      entries = await entriesGauge();
    }
    expect(entries).toBe(perMaster.reduce((a, b) => a + b, 0));
  });

  it("shares the page cache and the caller budget between the replicas", async () => {
    const query = `{ s3Bucket(name: "clustered") { objects(first: 4) { edges { node { key } } } } }`;
    const first = await replicas[0]!.query(query, {}, auth);
    const second = await replicas[1]!.query(query, {}, auth);
    expect(second.extensions!.aws.calls).toBe(0);
    expect(second.extensions!.aws.cached).toBeGreaterThan(0);
    const spent = first.extensions!.rateLimit.remaining;
    const fresh = await replicas[1]!.query(query, {}, { ...auth, "cache-control": "no-cache" });
    expect(fresh.extensions!.rateLimit.remaining).toBe(spent - fresh.extensions!.aws.calls);
  });

  it("keeps the budgets' counters atomic there: many callers at once take exactly what the bucket holds", async () => {
    const store = new RedisCursorStore(cluster.url, { timeoutMs: 2000 });
    try {
      await store.ready(5000);
      const key = `test:cluster:${Date.now()}`;
      // A slow refill (one token in 2 s), so that the time the 40 calls take cannot add a token.
      const waits = await Promise.all(Array.from({ length: 40 }, () => store.counters.takeCall(key, 0.5, 10, 5000)));
      expect(waits.filter((w) => w === 0)).toHaveLength(10);
      expect(waits.filter((w) => w !== undefined && w > 0)).toHaveLength(2);
      expect(waits.filter((w) => w === undefined)).toHaveLength(28);
    } finally {
      await store.close();
    }
  });

  it("survives a master restarted mid-walk: clear errors while it is down, then pages again, never a wrong one", async () => {
    const seen: { ids: string[]; after: number }[] = [];
    const codes = new Set<string>();
    /** one page after the edge at `position` (-1: from the start), checked against the SDK's listing when it answers */
    const pageAfter = async (replica: TestGateway, cursor: string | null, position: number) => {
      const answer = await replica.query(OBJECTS_PAGE, { first: 10, after: cursor }, auth);
      expect(answer.status).toBeLessThan(500);
      if (answer.errors) {
        for (const error of answer.errors) codes.add(error.extensions!.code);
        return undefined;
      }
      const edges = answer.data!.s3Bucket.objects.edges;
      const ids = edges.map((e: any) => e.node.key);
      expect(ids).toEqual(sdk.objects.slice(position + 1, position + 11));
      seen.push({ ids, after: position });
      return edges as { cursor: string }[];
    };

    const cursors: { cursor: string | null; position: number }[] = [{ cursor: null, position: -1 }];
    for (let page = 0; page < 4; page += 1) {
      const { cursor, position } = cursors.at(-1)!;
      const edges = (await pageAfter(replicas[page % 2]!, cursor, position))!;
      cursors.push({ cursor: edges.at(-1)!.cursor, position: position + edges.length });
    }

    const restarting = cluster.restart(1, 2500);
    // While it is down (and the cluster says so), every answer is a right page or a clear error.
    const during = Date.now() + 2000;
    while (Date.now() < during) {
      for (const [i, { cursor, position }] of cursors.entries()) await pageAfter(replicas[i % 2]!, cursor, position);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await restarting;
    expect(codes).toContain("CURSOR_STORE_UNAVAILABLE");

    // Back up: the cursors whose records were on the restarted master are expired; the rest go on.
    codes.clear();
    let served = 0;
    for (let attempt = 0; attempt < 50 && served === 0; attempt += 1) {
      for (const [i, { cursor, position }] of cursors.entries()) if (await pageAfter(replicas[i % 2]!, cursor, position)) served += 1;
      if (served === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(served).toBeGreaterThan(0);
    expect([...codes].every((code) => code === "CURSOR_EXPIRED" || code === "CURSOR_STORE_UNAVAILABLE")).toBe(true);

    // And a new walk from the start goes to the end, on both replicas.
    const keys: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page += 1) {
      const answer: GraphQLAnswer = await replicas[page % 2]!.query(OBJECTS_PAGE, { first: 25, after }, auth);
      expect(answer.errors).toBeUndefined();
      keys.push(...answer.data!.s3Bucket.objects.edges.map((e: any) => e.node.key));
      if (!answer.data!.s3Bucket.objects.pageInfo.hasNextPage) break;
      after = answer.data!.s3Bucket.objects.pageInfo.endCursor;
    }
    expect(keys).toEqual(sdk.objects);
  }, 90_000);
});
