// The budgets of "Freshness, sharing and budgets" against moto_server, AWS calls counted and timed
// by a loopback proxy: the account budget per second (one gateway, and two replicas on one Redis),
// and the caller budget an hour.
import { CreateVolumeCommand, EC2Client } from "@aws-sdk/client-ec2";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mostInAnyWindow, startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, postGraphQL, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { requireSharedRedis } from "../support/redis.js";

const VOLUMES_QUERY = "{ ec2Volumes(first: 5) { edges { node { volumeId } } } }";
/** a query of each client's own: identical AWS requests at once would share one call */
const clientsQuery = (client: number) => `{ ec2Volumes(first: ${5 + client}) { edges { node { volumeId } } } }`;
/** the contract's defaults, as a gateway with AWS_CALLS_PER_SECOND unset has them */
const DEFAULT_BUDGET = { AWS_CALLS_PER_SECOND: "" };
const EC2_RATE = 10;
const BUDGET_REDIS_URL = "redis://127.0.0.1:6379/5";

let moto: Moto;
let proxy: AwsProxy;

beforeAll(async () => {
  moto = await startMoto();
  const ec2 = new EC2Client(motoClientConfig(moto.endpoint));
  for (let v = 0; v < 8; v += 1) await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 + v }));
  proxy = await startAwsProxy(moto.endpoint);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await moto?.stop();
});

/** `clients` clients each asking a query of its own again and again for `ms`, round robin over `gateways`. */
async function load(gateways: TestGateway[], clients: number, ms: number): Promise<GraphQLAnswer[]> {
  const answers: GraphQLAnswer[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (Date.now() < until) answers.push(await gateways[c % gateways.length]!.query(clientsQuery(c)));
    }),
  );
  return answers;
}

/** DescribeVolumes calls the proxy saw: when each came. */
const describeTimes = () => proxy.requests.filter((r) => r.operation === "DescribeVolumes").map((r) => r.at);

/** The contract's bound: in any T seconds at most rate × (T + 1) calls, for T of one second and for the whole run. */
function expectWithinBudget(times: number[], rate: number) {
  expect(times.length).toBeGreaterThan(rate);
  expect(mostInAnyWindow(times, 1000)).toBeLessThanOrEqual(rate * 2);
  const spanSeconds = (Math.max(...times) - Math.min(...times)) / 1000;
  // The gateway times calls as it sends them and the proxy as they arrive: one call of slack for the way between.
  expect(times.length).toBeLessThanOrEqual(rate * (spanSeconds + 1) + 1);
  // and it is the budget that bounds: the calls keep coming at the rate, not far below it
  expect(times.length).toBeGreaterThanOrEqual(rate * spanSeconds * 0.7);
}

const budgetRefusals = (answers: GraphQLAnswer[]) => answers.filter((a) => a.errors?.some((e) => e.extensions?.code === "AWS_THROTTLED" && e.extensions?.reason === "GATEWAY_BUDGET"));

describe("the account budget (AWS_CALLS_PER_SECOND)", () => {
  it("keeps 40 clients of one gateway within the default EC2 budget in every second, waiting, then refusing with GATEWAY_BUDGET", async () => {
    const gateway = await startGateway({ ...motoEnv(proxy.url), ...DEFAULT_BUDGET });
    try {
      expect(gateway.config.AWS_CALLS_PER_SECOND).toMatchObject({ ec2: 10, iam: 5, s3: 50, sts: 5 });
      proxy.reset();
      const answers = await load([gateway], 40, 3500);
      expectWithinBudget(describeTimes(), EC2_RATE);
      const refused = budgetRefusals(answers);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]!.errors![0]!.message).toMatch(/budget of 10 ec2 calls a second/);
      // a refused call never reached AWS, and is not counted as one
      expect(refused.every((a) => a.extensions!.aws.calls === 0)).toBe(true);
      expect(answers.filter((a) => !a.errors).length).toBeGreaterThanOrEqual(EC2_RATE * 3);
      const metrics = await gateway.metrics();
      expect(metrics).toMatch(/awsgql_aws_budget_waits_total\{service="ec2"\} [1-9]/);
      expect(metrics).toMatch(/awsgql_aws_budget_refusals_total\{service="ec2"\} [1-9]/);
    } finally {
      await gateway.close();
    }
  }, 60_000);

  it("is one budget for two replicas on one Redis", async () => {
    await requireSharedRedis();
    const redis = new Redis(BUDGET_REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    const env = { ...motoEnv(proxy.url), ...DEFAULT_BUDGET, CURSOR_STORE: BUDGET_REDIS_URL };
    const replicas = [await startGateway(env), await startGateway(env)];
    try {
      proxy.reset();
      const answers = await load(replicas, 30, 3500);
      expectWithinBudget(describeTimes(), EC2_RATE);
      expect(answers.filter((a) => !a.errors).length).toBeGreaterThanOrEqual(EC2_RATE * 3);
      expect(budgetRefusals(answers).length).toBeGreaterThan(0);
    } finally {
      for (const replica of replicas) await replica.close();
    }
  }, 60_000);
});

describe("the caller budget (CALLER_AWS_CALLS_PER_HOUR)", () => {
  const ALICE = "alice-secret-0001";
  const BOB = "bob-secret-00002";
  const CAROL = "carol-secret-003";
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      ...motoEnv(proxy.url),
      GATEWAY_API_KEYS: `alice:${ALICE},bob:${BOB},carol:${CAROL}`,
      CALLER_AWS_CALLS_PER_HOUR: "6",
      CALLER_BUDGET_WINDOW_SECONDS: "4",
      AWS_CACHE_SECONDS: "60",
    });
  });
  afterAll(async () => gateway?.close());

  /** A query as a caller, read afresh from AWS (so that it costs its calls), with the HTTP answer's headers. */
  async function ask(key: string, query = VOLUMES_QUERY, fresh = true) {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...(fresh ? { "cache-control": "no-cache" } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as GraphQLAnswer };
  }

  it("counts each caller's AWS calls, refuses a spent caller with RATE_LIMITED, 429 and Retry-After before any AWS call, serves the others, and refills on time", async () => {
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await ask(ALICE));
    expect(answers.map((a) => a.body.errors)).toEqual(Array(6).fill(undefined));
    expect(answers.map((a) => a.body.extensions!.rateLimit.remaining)).toEqual([5, 4, 3, 2, 1, 0]);
    const { limit, resetAt } = answers[0]!.body.extensions!.rateLimit;
    expect(limit).toBe(6);
    expect(Date.parse(resetAt)).toBeGreaterThan(Date.now());

    proxy.reset();
    const spent = await ask(ALICE);
    expect(spent.status).toBe(429);
    expect(spent.body.data ?? null).toBeNull();
    const error = spent.body.errors![0]!;
    expect(error.extensions).toMatchObject({ code: "RATE_LIMITED", remaining: 0 });
    expect(error.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.extensions!.retryAfterSeconds).toBeLessThanOrEqual(4);
    expect(spent.retryAfter).toBe(String(error.extensions!.retryAfterSeconds));
    expect(spent.body.extensions!.rateLimit).toMatchObject({ limit: 6, remaining: 0, resetAt });
    expect(proxy.calls.size).toBe(0);

    const other = await ask(BOB);
    expect(other.body.errors).toBeUndefined();
    expect(other.body.extensions!.rateLimit.remaining).toBe(5);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(resetAt) - Date.now()) + 100));
    const refilled = await ask(ALICE);
    expect(refilled.body.errors).toBeUndefined();
    expect(refilled.body.extensions!.rateLimit.remaining).toBe(5);
  }, 30_000);

  it("refuses, before it starts, a query whose worst case is more than the caller has left; a query within it still runs", async () => {
    // two different AWS requests (identical ones at once would share one call)
    const two = `{ a: ec2Volumes(first: 5) { edges { cursor } } b: ec2Volumes(first: 6) { edges { cursor } } }`;
    for (let i = 0; i < 2; i += 1) expect((await ask(CAROL, two)).body.errors).toBeUndefined();
    proxy.reset();
    const wide = `{ ${Array.from({ length: 3 }, (_, i) => `v${i}: ec2Volumes(first: ${5 + i}) { edges { cursor } }`).join(" ")} }`;
    const refused = await ask(CAROL, wide);
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: "RATE_LIMITED", cost: 3, remaining: 2 });
    expect(refused.body.errors![0]!.message).toMatch(/could cost 3 AWS calls.*2 left/);
    expect(proxy.calls.size).toBe(0);
    const within = await ask(CAROL, two);
    expect(within.body.errors).toBeUndefined();
    expect(within.body.extensions!.rateLimit.remaining).toBe(0);
  });

  it("does not count answers from the page cache: only calls actually made", async () => {
    const query = `{ ec2Volumes(first: 3) { edges { node { volumeId } } } }`;
    // another caller fills the cache; this one's answers then come from it, free
    await ask(BOB, query, false);
    const before = (await ask(BOB, "{ __typename }", false)).body.extensions!.rateLimit.remaining;
    const cached = await ask(BOB, query, false);
    expect(cached.body.extensions!.aws).toMatchObject({ calls: 0, cached: 1 });
    expect(cached.body.extensions!.rateLimit.remaining).toBe(before);
  });

  it("says where the budget stands on answers that never ran, and never for a request without a valid key", async () => {
    const invalid = await ask(BOB, "{ ec2Volumes(first: 5) { nope } }");
    expect(invalid.body.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(invalid.body.extensions!.rateLimit).toMatchObject({ limit: 6 });
    const anonymous = await postGraphQL(gateway.url, VOLUMES_QUERY);
    expect(anonymous.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    expect(anonymous.extensions?.rateLimit).toBeUndefined();
  });
});
