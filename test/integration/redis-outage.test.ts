import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInstances } from "../support/ec2-fixture.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { startMoto, type Moto } from "../support/moto.js";
import { ownRedis, type OwnRedis } from "../support/redis.js";

const PAGE = `query($after: String) { ec2Instances(first: 5, after: $after) { edges { cursor node { instanceId } } pageInfo { hasNextPage endCursor } } }`;

let redis: OwnRedis;
let gateway: TestGateway;
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  await runInstances(moto.endpoint, 12);
  redis = await ownRedis();
  await redis.start();
  gateway = await startGateway({ ...motoEnv(moto.endpoint), CURSOR_STORE: redis.url, REDIS_TIMEOUT_MS: "500" });
});

afterAll(async () => {
  await gateway?.close();
  await redis?.stop();
  await moto?.stop();
});

const readyz = async () => (await fetch(gateway.url.replace("/graphql", "/readyz"))).status;

describe("when the Redis cursor store goes away and comes back", () => {
  it("fails fast with CURSOR_STORE_UNAVAILABLE, says so on /readyz, and recovers by itself", async () => {
    const first = await gateway.query(PAGE);
    expect(first.errors).toBeUndefined();
    expect(await readyz()).toBe(200);
    const cursor = first.data!.ec2Instances.pageInfo.endCursor as string;

    await redis.stop();
    const started = Date.now();
    const resumed = await gateway.query(PAGE, { after: cursor });
    const fresh = await gateway.query(PAGE);
    expect(resumed.errors?.[0]?.extensions?.code).toBe("CURSOR_STORE_UNAVAILABLE");
    expect(fresh.errors?.[0]?.extensions?.code).toBe("CURSOR_STORE_UNAVAILABLE");
    expect(resumed.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000); // a bound against hanging, not a speed target
    expect(await readyz()).toBe(503);

    await redis.start();
    const deadline = Date.now() + 20_000;
    while ((await readyz()) !== 200) {
      if (Date.now() > deadline) throw new Error("the gateway did not see Redis come back within 20 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = await gateway.query(PAGE);
    expect(after.errors).toBeUndefined();
    // the restarted Redis kept nothing: the old cursor is expired, not forged
    const old = await gateway.query(PAGE, { after: cursor });
    expect(old.errors?.[0]?.extensions?.code).toBe("CURSOR_EXPIRED");
  });
});
