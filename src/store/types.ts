// CursorStore: where cursor records and held AWS pages live, by key, each with its own expiry.

export interface CursorStoreStats {
  entries: number;
  bytes?: number;
  evictions: number;
}

/**
 * Atomic counters for budgets, kept where the cursors are: in the process for the memory store,
 * shared by every replica (and atomic there) for Redis.
 */
export interface RateCounters {
  /**
   * Takes one call from the token bucket `key` (`ratePerSecond` sustained, bursts of `burst`): the
   * milliseconds to wait before making it, or undefined, taking nothing, when that would be over
   * `maxWaitMs`. Waiting callers hold their turn, so they go in the order they asked.
   */
  takeCall(key: string, ratePerSecond: number, burst: number, maxWaitMs: number): Promise<number | undefined>;
  /**
   * Adds `amount` to the counter `key` of a window of `windowMs` that starts with its first use;
   * with `limit`, adds nothing when the sum would pass it. Negative amounts give back.
   */
  spend(key: string, amount: number, windowMs: number, limit?: number): Promise<WindowCount>;
}

export interface WindowCount {
  used: number;
  /** when the window ends and the count starts again (ms since the epoch) */
  resetAt: number;
  /** whether the amount was added */
  added: boolean;
}

export interface CursorStore {
  /** budgets' counters, in this store */
  readonly counters: RateCounters;
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** the value, or undefined when it never existed, expired or was evicted */
  get(key: string): Promise<string | undefined>;
  /** a stable secret shared by every replica on this store, made on first use */
  signingKey(): Promise<string>;
  /** throws when the store cannot be reached */
  ping(): Promise<void>;
  stats(): Promise<CursorStoreStats>;
  close(): Promise<void>;
}

/** The store was unreachable or answered with an error. */
export class CursorStoreUnavailableError extends Error {}
