// Fills a page backward, `last` items before an edge. AWS lists only go forward, so the items are
// cut again from the AWS pages the earlier GraphQL pages were cut from, found by following each
// page's link to the edge just before it; knows nothing of GraphQL.
import { END, segmentOf, type FilledPage, type FillOptions, type Resume, type Segment } from "./engine.js";
import { expiredCursor } from "./errors.js";
import type { JsonSafe, SourceFailure, SourcePage } from "./source.js";

/** One issued edge: the page (cursor record) it belongs to and its index there. */
export interface EdgeRef {
  page: string;
  index: number;
}

/** An issued page as the walk back reads it. */
export interface EarlierPage {
  /** its AWS segments, each with its next token */
  segments: Segment[];
  /** the edge right before the page's first edge; absent when the page starts the listing */
  previous?: EdgeRef;
}

/** Where a page before an edge ends, and where reading back starts. */
export interface BackwardStart {
  /** the position of the edge itself: the backward page's last item comes right before it */
  at: Resume;
  /** the edge right before it; absent at the start of the listing */
  earlier?: EdgeRef;
}

export interface BackwardPage<Item> extends FilledPage<Item> {
  hasPreviousPage: boolean;
  /** the edge right before the page's first item, to link the page it becomes */
  previous?: EdgeRef;
}

/** A run of items cut again from one AWS page. */
interface Cut<Item> {
  segment: Segment;
  items: Item[];
}

/**
 * Up to `last` items right before `start.at`, in listing order. Each AWS page is read once: from
 * its held copy when there is one, else from the source with its token and size exactly as first
 * asked (so the page cache answers it while it is fresh), within `maxCalls`; the page is short
 * (nearest items kept) when the bound is reached.
 */
export async function fillPageBefore<Item extends JsonSafe>(
  source: { fetchPage(token: string | undefined, pageSize: number): Promise<SourcePage<Item>> },
  start: BackwardStart,
  last: number,
  pages: { load(edge: EdgeRef): Promise<EarlierPage> },
  options: FillOptions<Item>,
): Promise<BackwardPage<Item>> {
  const reads = new Map<string, Promise<SourcePage<Item> | undefined>>();
  const failures: SourceFailure[] = [];
  let awsCalls = 0;
  let fetchedAt: number | undefined;

  const read = (segment: Segment): Promise<SourcePage<Item> | undefined> => {
    const key = JSON.stringify([segment.token ?? null, segment.pageSize]);
    let page = reads.get(key);
    if (!page) {
      page = (async () => {
        const held = segment.bufferId === undefined ? undefined : await options.buffer?.read(segment.bufferId);
        if (held) return held;
        if (awsCalls >= options.maxCalls) return undefined;
        awsCalls += 1;
        const fetched = await source.fetchPage(segment.token, segment.pageSize);
        if (fetched.failures) failures.push(...fetched.failures);
        return fetched;
      })();
      reads.set(key, page);
    }
    return page;
  };

  const cuts: Cut<Item>[] = [];
  let count = 0;
  let edge = start.earlier;
  walk: while (count < last && edge) {
    const issued = await pages.load(edge);
    let index = edge.index;
    while (count < last && index >= 0) {
      const { segment, offset } = segmentOf(issued.segments, index);
      const page = await read(segment);
      if (!page) break walk;
      if (page.fetchedAt !== undefined) fetchedAt = Math.min(fetchedAt ?? page.fetchedAt, page.fetchedAt);
      const take = Math.min(offset + 1, last - count);
      const firstSkip = segment.firstSkip + offset + 1 - take;
      const items = page.items.slice(firstSkip, firstSkip + take);
      if (items.length !== take) {
        // A part of a listing over several that answered before and fails now is that part's failure.
        if (page.failures?.length) throw page.failures[0]!.error;
        throw expiredCursor("The AWS pages behind this cursor have changed; start the listing again without `before`.");
      }
      cuts.push({ segment: { ...segment, firstSkip, count: take }, items });
      count += take;
      index -= take;
    }
    edge = index >= 0 ? { page: edge.page, index } : issued.previous;
  }

  cuts.reverse();
  return {
    items: cuts.flatMap((cut) => cut.items),
    segments: joinSegments(cuts.map((cut) => cut.segment)),
    resume: start.at,
    hasNextPage: start.at !== END,
    hasPreviousPage: edge !== undefined,
    previous: edge,
    awsCalls,
    failures,
    fetchedAt,
  };
}

/** Segments in order, runs of one AWS page that follow each other made one. */
function joinSegments(segments: readonly Segment[]): Segment[] {
  const joined: Segment[] = [];
  for (const segment of segments) {
    const before = joined.at(-1);
    if (before && before.token === segment.token && before.pageSize === segment.pageSize && before.firstSkip + before.count === segment.firstSkip) {
      joined[joined.length - 1] = { ...before, count: before.count + segment.count, bufferId: before.bufferId ?? segment.bufferId, nextToken: segment.nextToken ?? before.nextToken };
    } else {
      joined.push(segment);
    }
  }
  return joined;
}
