// Picks the cursor store CURSOR_STORE names.
import type { Config } from "../config.js";
import { MemoryCursorStore } from "./memory.js";
import type { CursorStore } from "./types.js";

export async function createCursorStore(config: Config): Promise<CursorStore> {
  if (config.CURSOR_STORE === "memory") {
    return new MemoryCursorStore({ maxEntries: config.CURSOR_STORE_MAX_ENTRIES, maxBytes: config.CURSOR_STORE_MAX_BYTES });
  }
  const { RedisCursorStore } = await import("./redis.js");
  const store = new RedisCursorStore(config.CURSOR_STORE, { timeoutMs: config.REDIS_TIMEOUT_MS });
  // Serve even when Redis is down at start: requests say CURSOR_STORE_UNAVAILABLE, /readyz says why,
  // and the client connects by itself once Redis is back.
  await store.ready(Math.max(config.REDIS_TIMEOUT_MS, 2000)).catch(() => undefined);
  return store;
}
