// Cursor store in Redis (ioredis), shared by every replica. Keys: `awsgql:cursor:<id>` (one GraphQL
// page's record), `awsgql:page:<id>` (a held AWS page), `awsgql:signing-key`; each expires by PX.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { CursorStoreUnavailableError, type CursorStore, type CursorStoreStats } from "./types.js";

const PREFIX = "awsgql:";

export class RedisCursorStore implements CursorStore {
  private readonly redis: Redis;

  constructor(url: string, options: { timeoutMs: number }) {
    this.redis = new Redis(url, {
      keyPrefix: PREFIX,
      connectTimeout: options.timeoutMs,
      commandTimeout: options.timeoutMs,
      // Fail fast while disconnected instead of queueing: the caller gets CURSOR_STORE_UNAVAILABLE.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Keep reconnecting for as long as the process lives, so service resumes by itself.
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
      reconnectOnError: () => true,
    });
    this.redis.on("error", () => {
      // Reported through the failing commands and /readyz; the client reconnects by itself.
    });
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.command(() => this.redis.set(key, value, "PX", ttlMs));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.command(() => this.redis.get(key))) ?? undefined;
  }

  async signingKey(): Promise<string> {
    const fresh = randomBytes(32).toString("base64url");
    await this.command(() => this.redis.set("signing-key", fresh, "NX"));
    const key = await this.command(() => this.redis.get("signing-key"));
    if (!key) throw new CursorStoreUnavailableError("signing key missing");
    return key;
  }

  async ping(): Promise<void> {
    await this.command(() => this.redis.ping());
  }

  async stats(): Promise<CursorStoreStats> {
    // DBSIZE counts the whole database: give the gateway a database of its own (redis://host:port/N).
    return { entries: await this.command(() => this.redis.dbsize()), evictions: 0 };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /** Waits until the connection is up, or throws after `timeoutMs`. */
  async ready(timeoutMs: number): Promise<void> {
    if (this.redis.status === "ready") return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CursorStoreUnavailableError("Redis not ready")), timeoutMs);
      this.redis.once("ready", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async command<T>(run: () => Promise<T>): Promise<T> {
    if (this.redis.status !== "ready") throw new CursorStoreUnavailableError(`Redis is ${this.redis.status}`);
    try {
      return await run();
    } catch (error) {
      throw new CursorStoreUnavailableError(error instanceof Error ? error.message : String(error));
    }
  }
}
