import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractErrorOf } from "../../src/graphql/contract-errors.js";
import { CursorMap } from "../../src/pagination/cursor-records.js";
import { listingFingerprint } from "../../src/pagination/fingerprint.js";
import { START, fillPage } from "../../src/pagination/engine.js";
import { ENTRY_OVERHEAD_BYTES, MemoryCursorStore } from "../../src/store/memory.js";
import { RedisCursorStore } from "../../src/store/redis.js";
import type { CursorStore } from "../../src/store/types.js";
import { fakeSource } from "../support/fake-sources.js";
import { requireSharedRedis, SHARED_REDIS_URL } from "../support/redis.js";

const stores: [string, () => Promise<CursorStore>][] = [
  ["memory", async () => new MemoryCursorStore({ maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 })],
  [
    "redis",
    async () => {
      const store = new RedisCursorStore(SHARED_REDIS_URL, { timeoutMs: 1000 });
      await store.ready(5000);
      return store;
    },
  ],
];

beforeAll(requireSharedRedis);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const code = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => (contractErrorOf(e) as { extensions?: { code?: string } }).extensions?.code);

describe.each(stores)("%s cursor store", (_name, make) => {
  let store: CursorStore;
  beforeAll(async () => {
    store = await make();
  });
  afterAll(async () => store.close());

  it("gives back what was put, and nothing for a key never put", async () => {
    await store.put("cursor:roundtrip", '{"a":1}', 60_000);
    expect(await store.get("cursor:roundtrip")).toBe('{"a":1}');
    expect(await store.get(`cursor:never-${Math.random()}`)).toBeUndefined();
  });

  it("forgets a record after its TTL", async () => {
    await store.put("cursor:short-lived", "x", 50);
    await sleep(150);
    expect(await store.get("cursor:short-lived")).toBeUndefined();
  });

  it("keeps every record of many concurrent writers", async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `cursor:concurrent-${Date.now()}-${i}`);
    await Promise.all(keys.map((key, i) => store.put(key, `value-${i}`, 60_000)));
    expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(keys.map((_, i) => `value-${i}`));
    const same = `cursor:same-${Date.now()}`;
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.put(same, `writer-${i}`, 60_000)));
    expect(await store.get(same)).toMatch(/^writer-\d+$/);
  });

  it("gives the same signing key every time", async () => {
    expect(await store.signingKey()).toBe(await store.signingKey());
  });

  describe("under the cursor map", () => {
    const fingerprint = listingFingerprint("Query.things", undefined, {});
    const issue = async (cursors: CursorMap) =>
      cursors.issue(await fillPage(fakeSource(["a", "b", "c", "d", "e", "f"], "honours"), START, 3, { maxCalls: 5 }), fingerprint, "alice");

    it("refuses another caller's cursor as CURSOR_INVALID", async () => {
      const cursors = new CursorMap(store, { ttlMs: 60_000 });
      const issued = await issue(cursors);
      expect(await code(cursors.resolve(issued.edges[0]!, fingerprint, "mallory"))).toBe("CURSOR_INVALID");
      expect(await code(cursors.resolve(issued.edges[0]!, fingerprint, "alice"))).toBe("resolved");
    });

    it("refuses a corrupt record as CURSOR_INVALID", async () => {
      const cursors = new CursorMap(store, { ttlMs: 60_000 });
      const issued = await issue(cursors);
      await store.put(`cursor:${issued.edges[0]!.split(".")[0]}`, "{not json", 60_000);
      expect(await code(cursors.resolve(issued.edges[0]!, fingerprint, "alice"))).toBe("CURSOR_INVALID");
    });

    it("refuses a record past its TTL as CURSOR_EXPIRED", async () => {
      const cursors = new CursorMap(store, { ttlMs: 40 });
      const issued = await issue(cursors);
      await sleep(150);
      expect(await code(cursors.resolve(issued.edges[0]!, fingerprint, "alice"))).toBe("CURSOR_EXPIRED");
    });
  });
});

describe("memory store bounds", () => {
  it("evicts the least recently used records beyond its entry bound", async () => {
    const store = new MemoryCursorStore({ maxEntries: 3, maxBytes: 1024 * 1024 });
    for (const key of ["a", "b", "c"]) await store.put(key, key, 60_000);
    await store.get("a");
    await store.put("d", "d", 60_000);
    expect(await store.get("b")).toBeUndefined();
    expect(await store.get("a")).toBe("a");
    expect((await store.stats()).evictions).toBe(1);
  });

  it("stays within its byte bound, counting what each entry holds on the heap beyond its key and value", async () => {
    const store = new MemoryCursorStore({ maxEntries: 1_000_000, maxBytes: 64 * 1024 });
    for (let i = 0; i < 1000; i += 1) await store.put(`cursor:${String(i).padStart(3, "0")}`, "x".repeat(500), 60_000);
    const stats = await store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(stats.entries).toBe(Math.floor((64 * 1024) / (500 + 10 + ENTRY_OVERHEAD_BYTES)));
    expect(stats.evictions).toBe(1000 - stats.entries);
  });

  it("counts a string V8 keeps two bytes a character as two bytes a character", async () => {
    const store = new MemoryCursorStore({ maxEntries: 10, maxBytes: 1024 * 1024 });
    await store.put("k", "ü".repeat(100), 60_000);
    await store.put("l", "€".repeat(100), 60_000);
    expect((await store.stats()).bytes).toBe(1 + 100 + ENTRY_OVERHEAD_BYTES + (1 + 200 + ENTRY_OVERHEAD_BYTES));
  });
});

describe("redis store layout", () => {
  it("writes records under awsgql:cursor:<id> with a PX expiry, so Redis expires them itself", async () => {
    const store = new RedisCursorStore(SHARED_REDIS_URL, { timeoutMs: 1000 });
    await store.ready(5000);
    const raw = new Redis(SHARED_REDIS_URL);
    try {
      const cursors = new CursorMap(store, { ttlMs: 30_000 });
      const fingerprint = listingFingerprint("f", undefined, {});
      const issued = await cursors.issue(await fillPage(fakeSource(["a", "b"], "honours"), START, 1, { maxCalls: 1 }), fingerprint, "alice");
      const id = issued.edges[0]!.split(".")[0]!;
      const ttl = await raw.pttl(`awsgql:cursor:${id}`);
      expect(ttl).toBeGreaterThan(25_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
      expect(await raw.get("awsgql:signing-key")).toBeTruthy();
    } finally {
      raw.disconnect();
      await store.close();
    }
  });

  it("shares one signing key between replicas, so either resolves the other's cursors", async () => {
    const one = new RedisCursorStore(SHARED_REDIS_URL, { timeoutMs: 1000 });
    const two = new RedisCursorStore(SHARED_REDIS_URL, { timeoutMs: 1000 });
    await Promise.all([one.ready(5000), two.ready(5000)]);
    try {
      const fingerprint = listingFingerprint("f", undefined, {});
      const issued = await new CursorMap(one, { ttlMs: 60_000 }).issue(
        await fillPage(fakeSource(["a", "b", "c"], "honours"), START, 2, { maxCalls: 1 }),
        fingerprint,
        "alice",
      );
      expect(await code(new CursorMap(two, { ttlMs: 60_000 }).resolve(issued.edges[0]!, fingerprint, "alice"))).toBe("resolved");
    } finally {
      await one.close();
      await two.close();
    }
  });
});
