// The cursor map: issues opaque cursors for a filled page and resolves them back to positions.
// A cursor is `<record id>.<edge index>.<tag>`; the record, kept in the CursorStore, holds the AWS
// positions, the fingerprint of the field and its arguments, and the caller.
import { createCipheriv, hash, randomFillSync, timingSafeEqual, type Cipher } from "node:crypto";
import { GatewayError, ErrorCode } from "../errors.js";
import type { CursorStore } from "../store/types.js";
import { END, positionAfter, type FilledPage, type PageBuffer, type Resume, type Segment } from "./engine.js";
import type { SourcePage } from "./source.js";

// 12-byte ids and 9-byte tags are exactly 16 and 12 base64url characters: every cursor of this
// shape has one canonical byte form.
const CURSOR_PATTERN = /^([A-Za-z0-9_-]{16})\.(0|[1-9]\d{0,4})\.([A-Za-z0-9_-]{12})$/;
const ID_BYTES = 12;
const TAG_BYTES = 9;
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

/** Fingerprints of listings asked for lately: every page of a walk asks for the same one. */
const recentFingerprints = new Map<string, string>();

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
  private key?: { secret: string; tags: RecordTags };

  constructor(
    private readonly store: CursorStore,
    private readonly options: CursorMapOptions,
  ) {}

  /** Identifies a listing: the field, its parent, and every argument but first and after. */
  static fingerprint(field: string, parentId: string | undefined, args: Record<string, unknown>): string {
    const key = JSON.stringify([field, parentId ?? null, args]);
    let fingerprint = recentFingerprints.get(key);
    if (fingerprint === undefined) {
      fingerprint = hash("sha256", canonicalJson([field, parentId ?? null, args]), "base64url").slice(0, 22);
      if (recentFingerprints.size >= 1000) recentFingerprints.clear();
      if (key.length <= 1024) recentFingerprints.set(key, fingerprint);
    }
    return fingerprint;
  }

  async issue(page: FilledPage<unknown>, fingerprint: string, caller: string): Promise<IssuedCursors> {
    const count = page.items.length;
    if (count === 0 && page.resume === END) return { edges: [] };
    const id = recordId();
    const record: StoredRecord = {
      f: fingerprint,
      u: caller,
      // The last segment's next token is the resume position's: stored once, in `r`.
      s: page.segments.map((segment, i) => (i === page.segments.length - 1 ? toStored({ ...segment, nextToken: undefined }) : toStored(segment))),
      r: page.resume === END ? 0 : { t: page.resume.token, z: page.resume.pageSize, k: page.resume.skip, b: page.resume.bufferId },
    };
    await this.guard(() => this.store.put(RECORD_KEY(id), JSON.stringify(record), this.options.ttlMs));
    const tag = (await this.recordTags()).of(id);
    const edges: string[] = new Array(count);
    for (let index = 0; index < count; index += 1) edges[index] = `${id}.${index}.${tag}`;
    return { edges, end: count > 0 ? edges[count - 1] : `${id}.0.${tag}` };
  }

  /** The position right after the cursor's edge; refuses a cursor before any AWS call. */
  async resolve(cursor: string, fingerprint: string, caller: string): Promise<Resume> {
    const match = CURSOR_PATTERN.exec(cursor);
    if (!match) throw invalidCursor();
    const [, id, indexText, tag] = match as unknown as [string, string, string, string];
    const index = Number(indexText);
    if (!safeEqual(tag, (await this.recordTags()).of(id))) throw invalidCursor();

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
        const id = recordId();
        await this.guard(() => this.store.put(BUFFER_KEY(id), json, this.options.ttlMs));
        return id;
      },
      read: async (bufferId: string) => {
        const json = await this.guard(() => this.store.get(BUFFER_KEY(bufferId)));
        return json === undefined ? undefined : (JSON.parse(json) as SourcePage<Item>);
      },
    };
  }

  /** Tags under the configured secret, or the store's (which Redis replicas share). */
  private async recordTags(): Promise<RecordTags> {
    const secret = this.options.signingKey ?? (await this.guard(() => this.store.signingKey()));
    if (this.key?.secret !== secret) this.key = { secret, tags: new RecordTags(secret) };
    return this.key.tags;
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
 * Record tags: the first 9 bytes of AES-128, under a key derived from the signing secret, of the
 * record id. A keyed pseudo-random function of the id: without the key no id can be tagged, so a
 * made-up or altered id is CURSOR_INVALID while a genuine one whose record is gone is CURSOR_EXPIRED.
 * The edge index needs no tag of its own: every index the record holds names a cursor its caller
 * was given, and any other is refused by the record itself.
 */
class RecordTags {
  private readonly cipher: Cipher;

  constructor(secret: string) {
    this.cipher = createCipheriv("aes-128-ecb", hash("sha256", secret, "buffer").subarray(0, 16), null);
    this.cipher.setAutoPadding(false);
  }

  of(id: string): string {
    const block = Buffer.alloc(16);
    block.write(id, "base64url");
    return this.cipher.update(block).toString("base64url", 0, TAG_BYTES);
  }
}

// Random ids come from a pool filled a few kilobytes at a time: a system call per id cost more
// than the rest of issuing a page's cursors.
const randomPool = Buffer.alloc(4092);
let randomPoolOffset = randomPool.length;

/** 96 random bits in base64url: the name of a record or of a held page. */
function recordId(): string {
  if (randomPoolOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  randomPoolOffset += ID_BYTES;
  return randomPool.toString("base64url", randomPoolOffset - ID_BYTES, randomPoolOffset);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** JSON with object keys sorted and undefined members left out, so equal arguments give equal fingerprints. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${members.join(",")}}`;
}
