// The cursor map: one record per GraphQL page, kept in the CursorStore, holding the AWS positions
// of its edges, the fingerprint of its listing and its caller; issues the page's cursors and
// resolves any of them back to a position.
import type { CursorStore } from "../store/types.js";
import { decodeCursor, encodeCursor, randomRecordId, RecordTags } from "./cursor-codec.js";
import { END, positionAfter, type FilledPage, type Resume, type Segment } from "./engine.js";
import { expiredCursor, invalidCursor, mismatchedCursor } from "./errors.js";

const RECORD_KEY = (id: string) => `cursor:${id}`;

/** The stored form of a record: short keys, because there is one per live GraphQL page. */
interface StoredSegment {
  t?: string; // AWS token of the page
  z: number; // page size it was asked with
  k: number; // skip of the first item
  c: number; // items taken
  l: number; // items in the AWS page
  n?: string; // next AWS token
  b?: string; // held copy of the AWS page
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
}

export class CursorMap {
  private tags?: RecordTags;

  constructor(
    private readonly store: CursorStore,
    private readonly options: CursorMapOptions,
  ) {}

  async issue(page: FilledPage<unknown>, fingerprint: string, caller: string): Promise<IssuedCursors> {
    const count = page.items.length;
    if (count === 0 && page.resume === END) return { edges: [] };
    const id = randomRecordId();
    const record: StoredRecord = {
      f: fingerprint,
      u: caller,
      // The last segment's next token is the resume position's: stored once, in `r`.
      s: page.segments.map((segment, i) => (i === page.segments.length - 1 ? toStored({ ...segment, nextToken: undefined }) : toStored(segment))),
      r: page.resume === END ? 0 : { t: page.resume.token, z: page.resume.pageSize, k: page.resume.skip, b: page.resume.bufferId },
    };
    await this.store.put(RECORD_KEY(id), JSON.stringify(record), this.options.ttlMs);
    const tag = (await this.recordTags()).of(id);
    const edges: string[] = new Array(count);
    for (let index = 0; index < count; index += 1) edges[index] = encodeCursor(id, index, tag);
    return { edges, end: count > 0 ? edges[count - 1] : encodeCursor(id, 0, tag) };
  }

  /** The position right after the cursor's edge; refuses a cursor before any AWS call. */
  async resolve(cursor: string, fingerprint: string, caller: string): Promise<Resume> {
    const decoded = decodeCursor(cursor);
    if (!decoded || !(await this.recordTags()).matches(decoded.recordId, decoded.tag)) throw invalidCursor();

    const stored = await this.store.get(RECORD_KEY(decoded.recordId));
    if (stored === undefined) throw expiredCursor();
    let record: StoredRecord;
    try {
      record = JSON.parse(stored) as StoredRecord;
    } catch {
      throw invalidCursor();
    }
    if (record.u !== caller) throw invalidCursor();
    if (record.f !== fingerprint) throw mismatchedCursor();
    const segments = record.s.map(fromStored);
    const count = segments.reduce((sum, s) => sum + s.count, 0);
    const { index } = decoded;
    if (index >= Math.max(count, 1)) throw invalidCursor();
    if (index === count - 1 || count === 0) {
      return record.r === 0 ? END : { token: record.r.t, pageSize: record.r.z, skip: record.r.k, bufferId: record.r.b };
    }
    return positionAfter(segments, index);
  }

  /** Tags under the configured secret, or the store's (which Redis replicas share). */
  private async recordTags(): Promise<RecordTags> {
    const secret = this.options.signingKey ?? (await this.store.signingKey());
    if (this.tags?.secret !== secret) this.tags = new RecordTags(secret);
    return this.tags;
  }
}
