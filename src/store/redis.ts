// Cursor store in Redis (ioredis), shared by every replica. Keys (see README): `awsgql:cursor:<id>`
// one GraphQL page's record, `awsgql:page:<id>` a held AWS page, `awsgql:signing-key`; records
// expire by PX.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { CursorStoreUnavailableError, type CursorStore, type CursorStoreStats } from "./types.js";

export const REDIS_KEY_PREFIX = "awsgql:";
const SIGNING_KEY = "signing-key";
const SIGNING_KEY_RECHECK_MS = 10_000;

export class RedisCursorStore implements CursorStore {
  private readonly redis: Redis;
  private signing?: { key: string; checkedAt: number };

  constructor(url: string, options: { timeoutMs: number }) {
    this.redis = new Redis(url, {
      keyPrefix: REDIS_KEY_PREFIX,
      connectTimeout: options.timeoutMs,
      commandTimeout: options.timeoutMs,
      // Fail fast while disconnected instead of queueing: the caller gets CURSOR_STORE_UNAVAILABLE.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Keep reconnecting for as long as the process lives, so service resumes by itself.
      retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    });
    this.redis.on("error", () => {
      // Reported through the failing commands and /readyz; the client reconnects by itself.
    });
    this.redis.on("ready", () => {
      // A restarted Redis has lost the shared key: the next use writes ours back, so the cursors
      // signed before the restart read as expired rather than forged.
      if (this.signing) this.signing.checkedAt = 0;
    });
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.command(() => this.redis.set(key, value, "PX", ttlMs));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.command(() => this.redis.get(key))) ?? undefined;
  }

  /** The key every replica signs with: the first writer's wins (SET NX GET), rechecked now and then. */
  async signingKey(): Promise<string> {
    if (this.signing && Date.now() - this.signing.checkedAt < SIGNING_KEY_RECHECK_MS) return this.signing.key;
    const candidate = this.signing?.key ?? randomBytes(32).toString("base64url");
    const existing = await this.command(() => this.redis.set(SIGNING_KEY, candidate, "NX", "GET"));
    this.signing = { key: existing ?? candidate, checkedAt: Date.now() };
    return this.signing.key;
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
      const timer = setTimeout(() => {
        this.redis.off("ready", onReady);
        reject(new CursorStoreUnavailableError(`Redis not ready after ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once("ready", onReady);
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
