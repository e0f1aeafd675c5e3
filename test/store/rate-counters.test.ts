// The budgets' counters, the same contract in the process (memory store) and atomic in Redis.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCursorStore } from "../../src/store/memory.js";
import { RedisCursorStore } from "../../src/store/redis.js";
import type { CursorStore } from "../../src/store/types.js";
import { mostInAnyWindow } from "../support/aws-proxy.js";
import { requireSharedRedis, SHARED_REDIS_URL } from "../support/redis.js";

let redis: RedisCursorStore;
beforeAll(async () => {
  await requireSharedRedis();
  redis = new RedisCursorStore(SHARED_REDIS_URL, { timeoutMs: 2000 });
  await redis.ready(5000);
});
afterAll(async () => redis?.close());

const memory = new MemoryCursorStore({ maxEntries: 1000, maxBytes: 1024 * 1024 });
const stores: [string, () => CursorStore][] = [
  ["memory", () => memory],
  ["redis", () => redis],
];

describe.each(stores)("rate counters in the %s store", (_name, store) => {
  const fresh = () => `test:${randomBytes(6).toString("hex")}`;

  it("lets a burst of `rate` calls through at once, then one every 1/rate s, each waiting its turn: never more than rate × (T + 1) in T seconds", async () => {
    const key = fresh();
    const asked = Date.now();
    // each call as it would be made: when its answer came, plus the wait it was given
    const calls = await Promise.all(Array.from({ length: 45 }, async () => ({ wait: await store().counters.takeCall(key, 20, 20, 60_000), answeredAt: Date.now() })));
    const askedFor = Date.now() - asked;
    const waits = calls.map((c) => c.wait);
    expect(waits.every((w) => w !== undefined)).toBe(true);
    const sorted = (waits as number[]).sort((a, b) => a - b);
    // the burst, and a token more for every 50 ms the asking itself took on a busy machine
    expect(sorted.filter((w) => w === 0).length).toBeGreaterThanOrEqual(20);
    expect(sorted.filter((w) => w === 0).length).toBeLessThanOrEqual(20 + Math.ceil(askedFor / 50));
    // the 25 after the burst: 50 ms apart, give or take the time the asking itself took
    expect(sorted[44]!).toBeGreaterThanOrEqual(25 * 50 - (Date.now() - asked) - 5);
    const callTimes = calls.map((c) => c.answeredAt + c.wait!);
    expect(mostInAnyWindow(callTimes, 1000)).toBeLessThanOrEqual(20 * 2);
    expect(mostInAnyWindow(callTimes, 500)).toBeLessThanOrEqual(20 * 1.5 + 1);
  });

  it("refuses a call that would wait longer than allowed, and takes nothing for it", async () => {
    const key = fresh();
    // one token a second, a burst of 5: slow enough that the time the asking takes adds none
    for (let i = 0; i < 5; i += 1) expect(await store().counters.takeCall(key, 1, 5, 100)).toBe(0);
    expect(await store().counters.takeCall(key, 1, 5, 100)).toBeUndefined();
    expect(await store().counters.takeCall(key, 1, 5, 100)).toBeUndefined();
    // nothing was taken by the refusals: the next token is at most 1 s away, not 3
    const wait = await store().counters.takeCall(key, 1, 5, 5000);
    expect(wait).toBeGreaterThan(100);
    expect(wait).toBeLessThanOrEqual(1000);
  });

  it("counts a window from its first use, refuses past the limit without adding, gives back, and starts again when the window ends", async () => {
    const key = fresh();
    const counters = store().counters;
    const first = await counters.spend(key, 4, 1000, 10);
    expect(first).toMatchObject({ used: 4, added: true });
    expect(first.resetAt).toBeGreaterThan(Date.now() + 800);
    expect(await counters.spend(key, 7, 1000, 10)).toMatchObject({ used: 4, added: false });
    expect(await counters.spend(key, 6, 1000, 10)).toMatchObject({ used: 10, added: true });
    expect(await counters.spend(key, 0, 1000, 10)).toMatchObject({ used: 10, added: false });
    expect(await counters.spend(key, -3, 1000)).toMatchObject({ used: 7, added: true });
    const peek = await counters.spend(key, 0, 1000);
    expect(peek.resetAt).toBeLessThanOrEqual(first.resetAt + 20);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await counters.spend(key, 0, 1000, 10)).toMatchObject({ used: 0, added: true });
    expect(await counters.spend(key, 2, 1000, 10)).toMatchObject({ used: 2, added: true });
  });

  it("starts a window only with something added: a refused first spend or a look starts none", async () => {
    const key = fresh();
    const counters = store().counters;
    expect(await counters.spend(key, 11, 1000, 10)).toMatchObject({ used: 0, added: false });
    expect(await counters.spend(key, 0, 1000, 10)).toMatchObject({ used: 0, added: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const first = await counters.spend(key, 2, 1000, 10);
    expect(first).toMatchObject({ used: 2, added: true });
    expect(first.resetAt).toBeGreaterThan(Date.now() + 800);
  });
});
