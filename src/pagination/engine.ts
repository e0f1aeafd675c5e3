// Fills one page of `first` items from as many AWS pages as it takes; knows nothing of GraphQL.
import { ListingTooLongError, RepeatedTokenError } from "./errors.js";
import type { JsonSafe, PagedSource, SourceFailure, SourcePage } from "./source.js";

/**
 * Where a listing goes on: the AWS page that holds the next item (its token and the size it was
 * asked with), and how many of that page's items come before it. `skip` 0 starts a fresh AWS page,
 * whose size may then be chosen freely. `bufferId` names a held copy of that AWS page, so a page
 * AWS returned larger than asked is not fetched again for every GraphQL page cut from it.
 */
export interface Position {
  token?: string;
  pageSize: number;
  skip: number;
  bufferId?: string;
}

/** The listing has no more items. */
export const END = "end" as const;
export type Resume = Position | typeof END;

export const START: Position = { pageSize: 0, skip: 0 };

/** Holds AWS pages whose items outlive the GraphQL page that fetched them. */
export interface PageBuffer<Item> {
  hold(page: SourcePage<Item>): Promise<string | undefined>;
  read(bufferId: string): Promise<SourcePage<Item> | undefined>;
}

/** A run of items cut from one AWS page: enough to rebuild the position after each of them. */
export interface Segment {
  token?: string;
  pageSize: number;
  /** index in the AWS page of this segment's first item */
  firstSkip: number;
  count: number;
  /** number of items in the AWS page */
  pageLength: number;
  nextToken?: string;
  bufferId?: string;
}

export interface FilledPage<Item> {
  items: Item[];
  segments: Segment[];
  /** where the walk goes on after the last item (also after empty AWS pages read past it) */
  resume: Resume;
  hasNextPage: boolean;
  awsCalls: number;
  /** parts of the listing passed over because they failed, in the order they were met */
  failures: SourceFailure[];
  /** when AWS gave the oldest page the items were cut from (ms since the epoch), if any */
  fetchedAt?: number;
}

export interface FillOptions<Item> {
  /** most AWS calls one page may make; the page is short when it is reached */
  maxCalls: number;
  buffer?: PageBuffer<Item>;
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

/** Reads `first` items from `from` on, calling AWS as little as the source allows. */
export async function fillPage<Item extends JsonSafe>(
  source: PagedSource<Item>,
  from: Resume,
  first: number,
  options: FillOptions<Item>,
): Promise<FilledPage<Item>> {
  const items: Item[] = [];
  const segments: Segment[] = [];
  const failures: SourceFailure[] = [];
  let at: Resume = from;
  let awsCalls = 0;
  let fetchedAt: number | undefined;

  while (items.length < first && at !== END) {
    let page: SourcePage<Item> | undefined;
    let pageSize = at.pageSize;
    let bufferId = at.bufferId;
    if (bufferId !== undefined) page = await options.buffer?.read(bufferId);
    if (page === undefined) {
      bufferId = undefined;
      if (awsCalls >= options.maxCalls) break;
      // Mid-page, the page must be asked again exactly as before for the skip to hold.
      if (at.skip === 0) pageSize = clamp(first - items.length, source.minPageSize, source.maxPageSize);
      page = await source.fetchPage(at.token, pageSize);
      awsCalls += 1;
      if (page.nextToken !== undefined && page.nextToken === at.token) throw new RepeatedTokenError();
      if (page.pageSize !== undefined) pageSize = page.pageSize;
      if (page.failures) failures.push(...page.failures);
    }

    if (page.fetchedAt !== undefined) fetchedAt = Math.min(fetchedAt ?? page.fetchedAt, page.fetchedAt);
    const take = Math.max(0, Math.min(page.items.length - at.skip, first - items.length));
    const leftover = page.items.length - at.skip - take;
    if (leftover > 0 && bufferId === undefined && options.buffer) bufferId = await options.buffer.hold(page);
    if (take > 0) {
      items.push(...page.items.slice(at.skip, at.skip + take));
      segments.push({
        token: at.token,
        pageSize,
        firstSkip: at.skip,
        count: take,
        pageLength: page.items.length,
        nextToken: page.nextToken,
        bufferId,
      });
    }
    at =
      leftover > 0
        ? { token: at.token, pageSize, skip: at.skip + take, bufferId }
        : page.nextToken !== undefined
          ? { token: page.nextToken, pageSize: 0, skip: 0 }
          : END;
  }

  // hasNextPage is exact: a full page that ends where an AWS page ends, with a token for more,
  // reads on (within the call bound) until an item shows, held for the next page, or the end does:
  // SNS (and moto) answer a token after a last page of exactly 100, then an empty page.
  while (source.minPageSize === source.maxPageSize && first > 0 && items.length >= first && at !== END && at.skip === 0 && at.bufferId === undefined && awsCalls < options.maxCalls) {
    const pageSize = clamp(first, source.minPageSize, source.maxPageSize);
    const page = await source.fetchPage(at.token, pageSize);
    awsCalls += 1;
    if (page.nextToken !== undefined && page.nextToken === at.token) throw new RepeatedTokenError();
    if (page.failures) failures.push(...page.failures);
    if (page.items.length > 0) {
      at = { token: at.token, pageSize: page.pageSize ?? pageSize, skip: 0, bufferId: options.buffer ? await options.buffer.hold(page) : undefined };
      break;
    }
    at = page.nextToken !== undefined ? { token: page.nextToken, pageSize: 0, skip: 0 } : END;
  }

  return { items, segments, resume: at, hasNextPage: at !== END, awsCalls, failures, fetchedAt };
}

/** The segment holding a filled page's `index`-th item, and the item's offset in it. */
export function segmentOf(segments: readonly Segment[], index: number): { segment: Segment; offset: number } {
  let offset = index;
  for (const segment of segments) {
    if (offset < segment.count) return { segment, offset };
    offset -= segment.count;
  }
  throw new RangeError(`no item ${index} in this page`);
}

/** The position right after the `index`-th item of a filled page. */
export function positionAfter(segments: readonly Segment[], index: number): Resume {
  const { segment, offset } = segmentOf(segments, index);
  const skip = segment.firstSkip + offset + 1;
  if (skip < segment.pageLength) return { token: segment.token, pageSize: segment.pageSize, skip, bufferId: segment.bufferId };
  return segment.nextToken !== undefined ? { token: segment.nextToken, pageSize: 0, skip: 0 } : END;
}

/** The position of the `index`-th item of a filled page itself: where a page that ends right before it ends. */
export function positionAt(segments: readonly Segment[], index: number): Position {
  const { segment, offset } = segmentOf(segments, index);
  return { token: segment.token, pageSize: segment.pageSize, skip: segment.firstSkip + offset, bufferId: segment.bufferId };
}

/** Every item of a small listing (a batch of ids, a nested list), within a bound on AWS calls. */
export async function readAll<Item extends JsonSafe>(source: PagedSource<Item>, maxCalls: number): Promise<Item[]> {
  const page = await fillPage(source, START, Number.MAX_SAFE_INTEGER, { maxCalls });
  if (page.hasNextPage) throw new ListingTooLongError(maxCalls);
  return page.items;
}
