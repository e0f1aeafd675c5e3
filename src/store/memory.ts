// In-process cursor store: an LRU bounded in entries and in bytes, with a TTL per record.
import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { CursorStore, CursorStoreStats } from "./types.js";

export interface MemoryStoreLimits {
  maxEntries: number;
  maxBytes: number;
}

export class MemoryCursorStore implements CursorStore {
  private readonly cache: LRUCache<string, string>;
  private readonly key = randomBytes(32).toString("base64url");
  private evictions = 0;

  constructor(limits: MemoryStoreLimits) {
    this.cache = new LRUCache<string, string>({
      max: limits.maxEntries,
      maxSize: limits.maxBytes,
      // Bytes as stored: V8 keeps these ASCII strings one byte a character (UTF-8 for the rest).
      sizeCalculation: (value, key) => Buffer.byteLength(value) + Buffer.byteLength(key) || 1,
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
