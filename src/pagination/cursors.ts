// The cursor map: issues opaque cursors for a filled page and resolves them back to positions.
// A cursor is `<record id>.<edge index>.<mac>`; the record, kept in the CursorStore, holds the AWS
// positions, the fingerprint of the field and its arguments, and the caller.
import { createCipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { GatewayError, ErrorCode } from "../errors.js";
import type { CursorStore } from "../store/types.js";
import { END, positionAfter, type FilledPage, type PageBuffer, type Resume, type Segment } from "./engine.js";
import type { SourcePage } from "./source.js";

// Canonical forms only: the last character of a 16-byte id in base64url carries 4 unused bits.
const CURSOR_PATTERN = /^([A-Za-z0-9_-]{21}[AQgw])\.(0|[1-9]\d{0,4})\.([A-Za-z0-9_-]{11})$/;
const RECORD_KEY = (id: string) => `cursor:${id}`;
const BUFFER_KEY = (id: string) => `page:${id}`;

/** The stored form of a record: short keys, because there is one per live GraphQL page. */
interface StoredSegment {
  t?: string; // AWS token of the page
  z: number; // page size it was asked with
  k: number; // skip of the first item
  c: number; // items taken
  l: number; // items in the AWS page
  n?: string; // next AWS token
  b?: string; // buffered copy of the AWS page
}
interface StoredRecord {
  f: string; // fingerprint
  u: string; // caller
  s: StoredSegment[];
  r: { t?: string; z: number; k: number; b?: string } | 0; // resume position, 0 at the end
}

const toStored = (s: Segment): StoredSegment => ({
  t: s.token, z: s.pageSize, k: s.firstSkip, c: s.count, l: s.pageLength, n: s.nextToken, b: s.bufferId,
});
const fromStored = (s: StoredSegment): Segment => ({
  token: s.t, pageSize: s.z, firstSkip: s.k, count: s.c, pageLength: s.l, nextToken: s.n, bufferId: s.b,
});

export interface IssuedCursors {
  edges: string[];
  /** the cursor to resume from when the page ends: the last edge's, or one of its own on an empty page */
  end?: string;
}

export interface CursorMapOptions {
  ttlMs: number;
  /** the key that signs cursors; defaults to one the store makes and shares */
  signingKey?: string;
  /** a held AWS page larger than this is fetched again instead */
  maxBufferBytes: number;
}

export class CursorMap {
  private key?: { secret: string; aesKey: Buffer };

  constructor(
    private readonly store: CursorStore,
    private readonly options: CursorMapOptions,
  ) {}

  /** Identifies a listing: the field, its parent, and every argument but first and after. */
  static fingerprint(field: string, parentId: string | undefined, args: Record<string, unknown>): string {
    return createHash("sha256")
      .update(canonicalJson([field, parentId ?? null, args]))
      .digest("base64url")
      .slice(0, 22);
  }

  async issue(page: FilledPage<unknown>, fingerprint: string, caller: string): Promise<IssuedCursors> {
    const count = page.items.length;
    if (count === 0 && page.resume === END) return { edges: [] };
    const id = randomBytes(16).toString("base64url");
    const record: StoredRecord = {
      f: fingerprint,
      u: caller,
      // The last segment's next token is the resume position's: stored once, in `r`.
      s: page.segments.map((segment, i) => (i === page.segments.length - 1 ? toStored({ ...segment, nextToken: undefined }) : toStored(segment))),
      r: page.resume === END ? 0 : { t: page.resume.token, z: page.resume.pageSize, k: page.resume.skip, b: page.resume.bufferId },
    };
    await this.guard(() => this.store.put(RECORD_KEY(id), JSON.stringify(record), this.options.ttlMs));
    const tags = edgeTags(await this.signingKey(), id, Math.max(count, 1));
    const cursorFor = (index: number) => `${id}.${index}.${tags[index]}`;
    const edges = Array.from({ length: count }, (_, index) => cursorFor(index));
    return { edges, end: count > 0 ? edges[count - 1] : cursorFor(0) };
  }

  /** The position right after the cursor's edge; refuses a cursor before any AWS call. */
  async resolve(cursor: string, fingerprint: string, caller: string): Promise<Resume> {
    const match = CURSOR_PATTERN.exec(cursor);
    if (!match) throw invalidCursor();
    const [, id, indexText, tag] = match as unknown as [string, string, string, string];
    const index = Number(indexText);
    const key = await this.signingKey();
    if (!safeEqual(tag, edgeTags(key, id, index + 1)[index]!)) throw invalidCursor();

    const stored = await this.guard(() => this.store.get(RECORD_KEY(id)));
    if (stored === undefined) {
      throw new GatewayError(ErrorCode.CURSOR_EXPIRED, "This cursor has expired; start the listing again without `after`.");
    }
    let record: StoredRecord;
    try {
      record = JSON.parse(stored) as StoredRecord;
    } catch {
      throw invalidCursor();
    }
    if (record.u !== caller) throw invalidCursor();
    if (record.f !== fingerprint) {
      throw new GatewayError(
        ErrorCode.CURSOR_MISMATCH,
        "This cursor was issued for another field or other arguments; use it with the same field and arguments.",
      );
    }
    const segments = record.s.map(fromStored);
    const count = segments.reduce((sum, s) => sum + s.count, 0);
    if (index >= Math.max(count, 1)) throw invalidCursor();
    if (index === count - 1 || count === 0) {
      return record.r === 0 ? END : { token: record.r.t, pageSize: record.r.z, skip: record.r.k, bufferId: record.r.b };
    }
    return positionAfter(segments, index);
  }

  /** Holds AWS pages in the same store as the cursors that point into them. */
  pageBuffer<Item>(): PageBuffer<Item> {
    return {
      hold: async (page: SourcePage<Item>) => {
        const json = JSON.stringify(page);
        if (Buffer.byteLength(json) > this.options.maxBufferBytes) return undefined;
        const id = randomBytes(16).toString("base64url");
        await this.guard(() => this.store.put(BUFFER_KEY(id), json, this.options.ttlMs));
        return id;
      },
      read: async (bufferId: string) => {
        const json = await this.guard(() => this.store.get(BUFFER_KEY(bufferId)));
        return json === undefined ? undefined : (JSON.parse(json) as SourcePage<Item>);
      },
    };
  }

  /** The AES key derived from the configured secret, or from the store's (which Redis replicas share). */
  private async signingKey(): Promise<Buffer> {
    const secret = this.options.signingKey ?? (await this.guard(() => this.store.signingKey()));
    if (this.key?.secret !== secret) this.key = { secret, aesKey: createHash("sha256").update(secret).digest().subarray(0, 16) };
    return this.key.aesKey;
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new GatewayError(
        ErrorCode.CURSOR_STORE_UNAVAILABLE,
        "The cursor store cannot be reached; try again shortly.",
      );
    }
  }
}

function invalidCursor(): GatewayError {
  return new GatewayError(ErrorCode.CURSOR_INVALID, "This cursor is not valid here; use a cursor from an earlier answer of this gateway.");
}

/**
 * The tags of a record's first `count` edges: 8-byte slices of the AES-128-CTR keystream under the
 * signing key, with the record's random id as counter block. That is a keyed pseudo-random function
 * of (id, index): without the key no tag can be made or moved to another id or index, and one cipher
 * call tags a whole page (an HMAC per edge cost a tenth of a page's time).
 */
function edgeTags(key: Buffer, id: string, count: number): string[] {
  const iv = Buffer.from(id, "base64url");
  const stream = createCipheriv("aes-128-ctr", key, iv).update(Buffer.alloc(8 * count));
  return Array.from({ length: count }, (_, i) => stream.subarray(8 * i, 8 * i + 8).toString("base64url"));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** JSON with object keys sorted, so equal arguments give equal fingerprints. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
