// In-process cursor store: an LRU bounded in entries and in bytes, with a TTL per record.
import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { CursorStore, CursorStoreStats } from "./types.js";

export interface MemoryStoreLimits {
  maxEntries: number;
  maxBytes: number;
}

/** Heap bytes of one cache entry beyond its key and value. */
export const ENTRY_OVERHEAD_BYTES = 320;

const heapBytes = (text: string) => (/[^\u0000-\u00ff]/.test(text) ? 2 * text.length : text.length);

export class MemoryCursorStore implements CursorStore {
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
