// The cursor map: one record per GraphQL page, kept in the CursorStore, holding the AWS positions
// of its edges, the fingerprint of its listing and its caller; issues the page's cursors and
// resolves any of them back to a position.
import type { CursorStore } from "../store/types.js";
import { decodeCursor, encodeCursor, randomRecordId, RecordTags } from "./cursor-codec.js";
import type { BackwardStart, EdgeRef, EarlierPage } from "./backward.js";
import { END, positionAfter, positionAt, type FilledPage, type Resume, type Segment } from "./engine.js";
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
  p?: [string, number]; // the edge right before the first: its record and index; absent at the listing's start
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

/** Where a cursor's edge stands in its listing, both ways. */
export interface CursorPlace extends BackwardStart {
  /** the position right after the edge: where a page `after` it begins */
  after: Resume;
  /** the edge itself, which a page after it links back to (for an empty page's cursor, the edge before) */
  edge?: EdgeRef;
  /** the cursor's own page, read already: a page backward begins in it */
  own: { id: string; page: EarlierPage };
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

  /** Stores a page's record; `previous` is the edge right before its first, which pages read back through. */
  async issue(page: FilledPage<unknown>, fingerprint: string, caller: string, previous?: EdgeRef): Promise<IssuedCursors> {
    const count = page.items.length;
    if (count === 0 && page.resume === END) return { edges: [] };
    const id = randomRecordId();
    const record: StoredRecord = {
      f: fingerprint,
      u: caller,
      // The last segment's next token is the resume position's: stored once, in `r`.
      s: page.segments.map((segment, i) => (i === page.segments.length - 1 ? toStored({ ...segment, nextToken: undefined }) : toStored(segment))),
      r: page.resume === END ? 0 : { t: page.resume.token, z: page.resume.pageSize, k: page.resume.skip, b: page.resume.bufferId },
      p: previous && [previous.page, previous.index],
    };
    await this.store.put(RECORD_KEY(id), JSON.stringify(record), this.options.ttlMs);
    const tag = (await this.recordTags()).of(id);
    const edges: string[] = new Array(count);
    for (let index = 0; index < count; index += 1) edges[index] = encodeCursor(id, index, tag);
    return { edges, end: count > 0 ? edges[count - 1] : encodeCursor(id, 0, tag) };
  }

  /** The position right after the cursor's edge; refuses a cursor before any AWS call. */
  async resolve(cursor: string, fingerprint: string, caller: string): Promise<Resume> {
    return (await this.locate(cursor, fingerprint, caller)).after;
  }

  /** Where the cursor's edge stands; refuses a cursor before any AWS call. */
  async locate(cursor: string, fingerprint: string, caller: string): Promise<CursorPlace> {
    const decoded = decodeCursor(cursor);
    if (!decoded || !(await this.recordTags()).matches(decoded.recordId, decoded.tag)) throw invalidCursor();
    const record = await this.record(decoded.recordId, fingerprint, caller, expiredCursor);
    const segments = segmentsOf(record);
    const count = segments.reduce((sum, s) => sum + s.count, 0);
    const { recordId: page, index } = decoded;
    if (index >= Math.max(count, 1)) throw invalidCursor();
    const previous = previousOf(record);
    const own = { id: page, page: { segments, previous } };
    if (count === 0) return { after: resumeOf(record), at: resumeOf(record), edge: previous, earlier: previous, own };
    return {
      after: index === count - 1 ? resumeOf(record) : positionAfter(segments, index),
      edge: { page, index },
      at: positionAt(segments, index),
      earlier: index > 0 ? { page, index: index - 1 } : previous,
      own,
    };
  }

  /** An issued page of the same listing and caller, which a page read backward reaches through its links. */
  async load(edge: EdgeRef, fingerprint: string, caller: string): Promise<EarlierPage> {
    const gone = () => expiredCursor("Pages before this cursor have expired; start the listing again without `before`.");
    const record = await this.record(edge.page, fingerprint, caller, gone);
    return { segments: segmentsOf(record), previous: previousOf(record) };
  }

  private async record(id: string, fingerprint: string, caller: string, gone: () => Error): Promise<StoredRecord> {
    const stored = await this.store.get(RECORD_KEY(id));
    if (stored === undefined) throw gone();
    let record: StoredRecord;
    try {
      record = JSON.parse(stored) as StoredRecord;
    } catch {
      throw invalidCursor();
    }
    if (record.u !== caller) throw invalidCursor();
    if (record.f !== fingerprint) throw mismatchedCursor();
    return record;
  }

  /** Tags under the configured secret, or the store's (which Redis replicas share). */
  private async recordTags(): Promise<RecordTags> {
    const secret = this.options.signingKey ?? (await this.store.signingKey());
    if (this.tags?.secret !== secret) this.tags = new RecordTags(secret);
    return this.tags;
  }
}

const resumeOf = (record: StoredRecord): Resume => (record.r === 0 ? END : { token: record.r.t, pageSize: record.r.z, skip: record.r.k, bufferId: record.r.b });
const previousOf = (record: StoredRecord): EdgeRef | undefined => (record.p ? { page: record.p[0], index: record.p[1] } : undefined);

/** A record's segments, the last one's next token restored from the resume position it was folded into. */
function segmentsOf(record: StoredRecord): Segment[] {
  const segments = record.s.map(fromStored);
  const last = segments.at(-1);
  if (last && record.r !== 0 && record.r.k === 0) last.nextToken = record.r.t;
  return segments;
}
