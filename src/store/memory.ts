// In-process cursor store: an LRU bounded in entries and in bytes, with a TTL per record.
import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { CursorStore, CursorStoreStats, RateCounters, WindowCount } from "./types.js";

export interface MemoryStoreLimits {
  maxEntries: number;
  maxBytes: number;
}

/** Heap bytes of one cache entry beyond its key and value. */
export const ENTRY_OVERHEAD_BYTES = 320;

const heapBytes = (text: string) => (/[^\u0000-\u00ff]/.test(text) ? 2 * text.length : text.length);

export class MemoryCursorStore implements CursorStore {
  readonly counters = new MemoryRateCounters();
  private readonly cache: LRUCache<string, string>;
  private readonly key = randomBytes(32).toString("base64url");
  private evictions = 0;

  constructor(limits: MemoryStoreLimits) {
    this.cache = new LRUCache<string, string>({
      max: limits.maxEntries,
      maxSize: limits.maxBytes,
      // What an entry holds on the heap, so that the bound bounds the process: V8 keeps a string one
      // byte a character, or two when any character is beyond Latin-1, plus about 300 bytes of
      // string headers and the cache's own bookkeeping per entry (measured: 305 to 380 bytes).
      sizeCalculation: (value, key) => heapBytes(value) + heapBytes(key) + ENTRY_OVERHEAD_BYTES,
      ttlAutopurge: false,
      dispose: (_value, _key, reason) => {
        if (reason === "evict") this.evictions += 1;
      },
    });
  }


  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.cache.set(key, value, { ttl: ttlMs });
  }

  async get(key: string): Promise<string | undefined> {
    return this.cache.get(key);
  }

  async signingKey(): Promise<string> {
    return this.key;
  }

  async ping(): Promise<void> {}

  async stats(): Promise<CursorStoreStats> {
    return { entries: this.cache.size, bytes: this.cache.calculatedSize, evictions: this.evictions };
  }

  async close(): Promise<void> {
    this.cache.clear();
  }
}

/** Budgets of one process, in Maps: their keys are few (one per caller; per account, region and service). */
export class MemoryRateCounters implements RateCounters {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly windows = new Map<string, { used: number; resetAt: number }>();

  async takeCall(key: string, ratePerSecond: number, burst: number, maxWaitMs: number): Promise<number | undefined> {
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * ratePerSecond) / 1000);
    const wait = tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / ratePerSecond);
    if (wait > maxWaitMs) return undefined;
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return wait;
  }

  async spend(key: string, amount: number, windowMs: number, limit?: number): Promise<WindowCount> {
    const now = Date.now();
    const live = this.windows.get(key);
    // As in Redis, a window starts only with something added: a look or a refusal starts none.
    const window = live && live.resetAt > now ? live : { used: 0, resetAt: now + windowMs };
    if (window !== live && amount < 0) return { ...window, added: false };
    if (limit !== undefined && amount >= 0 && (window.used >= limit || window.used + amount > limit)) return { ...window, added: false };
    if (amount === 0) return { ...window, added: true };
    window.used = Math.max(0, window.used + amount);
    this.windows.set(key, window);
    return { ...window, added: true };
  }
}
