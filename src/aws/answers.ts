// AWS answers shared between requests: kept in the cursor store for AWS_CACHE_SECONDS (memory, or
// Redis shared by replicas), and identical calls in flight at once in this process made once.
import { hash } from "node:crypto";
import { canonicalJson } from "../pagination/fingerprint.js";
import type { CursorStore } from "../store/types.js";

const ANSWER_KEY = (digest: string) => `aws:${digest}`;
const ITEM_KEY = (digest: string) => `item:${digest}`;

/** Whose items, and of what kind: items are kept one by one, per identity, region and kind. */
export interface ItemScope {
  identity: string;
  region: string;
  kind: string;
}

const itemDigest = (scope: ItemScope, id: string) => hash("sha256", canonicalJson([scope.identity, scope.region, scope.kind, id]), "base64url");

/** What a call is, as far as its answer goes: who asks (the credentials' identity), where, what. */
export interface AnswerKey {
  identity: string;
  region: string;
  service: string;
  operation: string;
  input: unknown;
}

export interface SharedAnswer<Output> {
  output: Output;
  /** when AWS gave the answer (ms since the epoch) */
  fetchedAt: number;
  /** where the answer came from: the cache (hit), an identical call under way (coalesced), or a call of its own (miss) */
  source: "hit" | "coalesced" | "miss";
}

/** Counts what the cache does, for /metrics. */
export interface AnswerObserver {
  onAnswer(event: { service: string; operation: string; outcome: "hit" | "miss" | "coalesced"; bytes?: number }): void;
}

interface Stored {
  /** when AWS answered */
  at: number;
  /** the answer, Dates marked */
  out: unknown;
}

// Outputs carry Dates (LaunchTime, CreateDate): kept as { $date } and made Dates again when read.
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Date ? { $date: original.toISOString() } : value;
}
const reviver = (_key: string, value: unknown) =>
  value !== null && typeof value === "object" && "$date" in value && Object.keys(value).length === 1 ? new Date((value as { $date: string }).$date) : value;

export class SharedAnswers {
  private readonly inFlight = new Map<string, Promise<{ output: unknown; fetchedAt: number }>>();

  constructor(
    private readonly store: CursorStore,
    /** 0 keeps nothing: only calls in flight at once are shared */
    private readonly ttlMs: number,
    private readonly observer?: AnswerObserver,
  ) {}

  /** Items kept one by one (a batch lookup's models), by id; undefined where none is kept. */
  async items(scope: ItemScope, ids: readonly string[]): Promise<(string | undefined)[]> {
    if (this.ttlMs <= 0) return ids.map(() => undefined);
    return Promise.all(ids.map((id) => this.store.get(ITEM_KEY(itemDigest(scope, id)))));
  }

  /** Keeps items one by one, so a later batch with other ids asks AWS only for the missing ones. */
  async keepItems(scope: ItemScope, items: readonly { id: string; json: string }[]): Promise<void> {
    if (this.ttlMs <= 0) return;
    await Promise.all(items.map(({ id, json }) => this.store.put(ITEM_KEY(itemDigest(scope, id)), json, this.ttlMs)));
  }

  /**
   * The answer to a call: from the cache unless `fresh`, else joining an identical call under way,
   * else made now (and kept). A failed call is everyone's failure and is not kept. A store that
   * cannot be reached fails the call: answering from AWS instead would multiply the calls the
   * cache is there to save.
   */
  async answer<Output>(key: AnswerKey, call: () => Promise<Output>, fresh: boolean): Promise<SharedAnswer<Output>> {
    const canonical = canonicalJson([key.identity, key.region, key.service, key.operation, key.input]);
    // Kept answers are stored under the call's digest; in flight, a call is told apart by its own text.
    const callId = this.ttlMs > 0 ? hash("sha256", canonical, "base64url") : canonical;
    const labels = { service: key.service, operation: key.operation };
    if (this.ttlMs > 0 && !fresh) {
      const stored = await this.store.get(ANSWER_KEY(callId));
      if (stored !== undefined) {
        const { at, out } = JSON.parse(stored, reviver) as Stored;
        this.observer?.onAnswer({ ...labels, outcome: "hit" });
        return { output: out as Output, fetchedAt: at, source: "hit" };
      }
    }
    const underWay = this.inFlight.get(callId);
    if (underWay) {
      const joined = await underWay;
      this.observer?.onAnswer({ ...labels, outcome: "coalesced" });
      return { output: joined.output as Output, fetchedAt: joined.fetchedAt, source: "coalesced" };
    }
    const made = (async () => {
      const output = await call();
      const fetchedAt = Date.now();
      if (this.ttlMs > 0) {
        const json = JSON.stringify({ at: fetchedAt, out: output } satisfies Stored, replacer);
        await this.store.put(ANSWER_KEY(callId), json, this.ttlMs);
        this.observer?.onAnswer({ ...labels, outcome: "miss", bytes: json.length });
      } else {
        this.observer?.onAnswer({ ...labels, outcome: "miss" });
      }
      return { output: output as unknown, fetchedAt };
    })();
    this.inFlight.set(callId, made);
    try {
      const { output, fetchedAt } = await made;
      return { output: output as Output, fetchedAt, source: "miss" };
    } finally {
      this.inFlight.delete(callId);
    }
  }
}
