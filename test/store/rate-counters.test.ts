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
    const waits = await Promise.all(Array.from({ length: 45 }, () => store().counters.takeCall(key, 20, 20, 60_000)));
    expect(waits.every((w) => w !== undefined)).toBe(true);
    const sorted = (waits as number[]).sort((a, b) => a - b);
    expect(sorted.filter((w) => w === 0)).toHaveLength(20);
    // the 25 after the burst: 50 ms apart, give or take the time the asking itself took
    expect(sorted[44]!).toBeGreaterThanOrEqual(25 * 50 - (Date.now() - asked) - 5);
    const callTimes = sorted.map((w) => asked + w);
    expect(mostInAnyWindow(callTimes, 1000)).toBeLessThanOrEqual(20 * 2);
    expect(mostInAnyWindow(callTimes, 500)).toBeLessThanOrEqual(20 * 1.5 + 1);
  });

  it("refuses a call that would wait longer than allowed, and takes nothing for it", async () => {
    const key = fresh();
    for (let i = 0; i < 5; i += 1) expect(await store().counters.takeCall(key, 5, 5, 100)).toBe(0);
    expect(await store().counters.takeCall(key, 5, 5, 100)).toBeUndefined();
    expect(await store().counters.takeCall(key, 5, 5, 100)).toBeUndefined();
    // nothing was taken by the refusals: the next token is 200 ms away, not 600
    const wait = await store().counters.takeCall(key, 5, 5, 1000);
    expect(wait).toBeGreaterThan(100);
    expect(wait).toBeLessThanOrEqual(200);
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
});
