// Cursor store in Redis (ioredis), shared by every replica: one server, or a Redis Cluster
// (`redis-cluster://host:port,host:port`). Keys (see README): `awsgql:cursor:<id>` one GraphQL
// page's record, `awsgql:page:<id>` a held AWS page, `awsgql:aws:<digest>` a cached AWS answer,
// `awsgql:budget:...` budgets, `awsgql:signing-key`; everything expires by PX. Every command
// names one key, so each goes whole to one hash slot of a cluster.
import { randomBytes } from "node:crypto";
import { Cluster, Redis } from "ioredis";
import { CursorStoreUnavailableError, type CursorStore, type CursorStoreStats, type RateCounters, type WindowCount } from "./types.js";

export const REDIS_KEY_PREFIX = "awsgql:";
const SIGNING_KEY = "signing-key";
const SIGNING_KEY_RECHECK_MS = 10_000;

/**
 * A token bucket, atomic in Redis on Redis's own clock (replicas' clocks may differ): refill since
 * the last call, then take one token, going below zero by at most the wait allowed; the caller
 * sleeps the returned milliseconds. -1: over the wait, nothing taken.
 */
const TAKE_CALL = `
local rate, burst, maxWait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = math.min(burst, (tonumber(state[1]) or burst) + (now - (tonumber(state[2]) or now)) * rate / 1000)
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) * 1000 / rate) end
if wait > maxWait then return -1 end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return wait`;

/** A count over a window that starts with its first use; with a limit (>= 0) adds nothing past it. Returns { used, ms left, added }. */
const SPEND = `
local amount, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  if amount <= 0 then return {0, window, amount == 0 and 1 or 0} end
  if limit >= 0 and amount > limit then return {0, window, 0} end
  redis.call('SET', KEYS[1], amount, 'PX', window)
  return {amount, window, 1}
end
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if limit >= 0 and amount >= 0 and (used >= limit or used + amount > limit) then return {used, ttl, 0} end
used = math.max(0, used + amount)
redis.call('SET', KEYS[1], used, 'PX', ttl)
return {used, ttl, 1}`;

type Scripted = {
  awsgqlTakeCall(key: string, rate: number, burst: number, maxWaitMs: number): Promise<number>;
  awsgqlSpend(key: string, amount: number, windowMs: number, limit: number): Promise<[number, number, number]>;
};

/** `redis-cluster://host:port,host:port` names a cluster by some of its nodes. */
export const CLUSTER_URL = /^redis-cluster:\/\/([^\s/]+)$/;

export class RedisCursorStore implements CursorStore {
  private readonly redis: (Redis | Cluster) & Scripted;
  private signing?: { key: string; checkedAt: number };
  readonly counters: RateCounters;

  constructor(url: string, options: { timeoutMs: number }) {
    const connection = {
      connectTimeout: options.timeoutMs,
      commandTimeout: options.timeoutMs,
      maxRetriesPerRequest: 0,
      // Keep reconnecting for as long as the process lives, so service resumes by itself.
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
    };
    const cluster = CLUSTER_URL.exec(url);
    // Fail fast while disconnected instead of queueing: the caller gets CURSOR_STORE_UNAVAILABLE.
    const redis = cluster
      ? new Cluster(
          cluster[1]!.split(",").map((node) => ({ host: node.slice(0, node.lastIndexOf(":")), port: Number(node.slice(node.lastIndexOf(":") + 1)) })),
          { keyPrefix: REDIS_KEY_PREFIX, enableOfflineQueue: false, redisOptions: connection, clusterRetryStrategy: connection.retryStrategy, slotsRefreshTimeout: options.timeoutMs },
        )
      : new Redis(url, { ...connection, keyPrefix: REDIS_KEY_PREFIX, enableOfflineQueue: false });
    redis.defineCommand("awsgqlTakeCall", { numberOfKeys: 1, lua: TAKE_CALL });
    redis.defineCommand("awsgqlSpend", { numberOfKeys: 1, lua: SPEND });
    this.redis = redis as typeof redis & Scripted;
    this.counters = {
      takeCall: async (key, rate, burst, maxWaitMs) => {
        const wait = await this.command(() => this.redis.awsgqlTakeCall(key, rate, burst, maxWaitMs));
        return wait < 0 ? undefined : wait;
      },
      spend: async (key, amount, windowMs, limit): Promise<WindowCount> => {
        const [used, msLeft, added] = await this.command(() => this.redis.awsgqlSpend(key, amount, windowMs, limit ?? -1));
        return { used, resetAt: Date.now() + msLeft, added: added === 1 };
      },
    };
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
    const redis = this.redis;
    if (redis instanceof Cluster) {
      const sizes = await this.command(() => Promise.all(redis.nodes("master").map((node) => node.dbsize())));
      return { entries: sizes.reduce((sum, size) => sum + size, 0), evictions: 0 };
    }
    return { entries: await this.command(() => redis.dbsize()), evictions: 0 };
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
      // The node that failed may come back empty (a cluster's master restarted): write the signing key back then.
      if (this.signing) this.signing.checkedAt = 0;
      throw new CursorStoreUnavailableError(error instanceof Error ? error.message : String(error));
    }
  }
}
