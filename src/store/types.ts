// CursorStore: where cursor records and held AWS pages live, by key, each with its own expiry.

export interface CursorStoreStats {
  entries: number;
  bytes?: number;
  evictions: number;
}

export interface CursorStore {
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
