// PagedSource: how one AWS list operation pages, reduced to a token and a page size.

/**
 * A value that comes back equal from JSON: held pages and cached answers are stored as JSON, so
 * an item may hold no Date, no function, no class instance, only plain data. (Models are declared
 * as type aliases, which TypeScript checks against the index signature; interfaces are not.)
 */
export type JsonSafe = string | number | boolean | null | undefined | readonly JsonSafe[] | { readonly [key: string]: JsonSafe };

/** A part of a listing that could not be read (one account's region that refused us), and why. */
export interface SourceFailure {
  /** which part: what the listing's maker called it */
  part: JsonSafe;
  error: unknown;
}

/** One AWS page: its items in AWS order, and the token of the next page when AWS says there is one. */
export interface SourcePage<Item> {
  items: Item[];
  nextToken?: string;
  /** the size the page was asked with, when not the size just asked for (a page read ahead earlier) */
  pageSize?: number;
  /** parts of the listing this page passed over because they failed; the listing goes on after them */
  failures?: SourceFailure[];
  /** when AWS gave this page (ms since the epoch): it may have come from a cache */
  fetchedAt?: number;
}

/**
 * One AWS list operation. `NextToken`, `Marker` and `ContinuationToken` all become `token`;
 * `MaxResults`, `MaxItems` and `MaxKeys` all become `pageSize`, always within min..max. Its items
 * survive a JSON round trip, so that pages can be held and shared.
 */
export interface PagedSource<Item extends JsonSafe> {
  readonly minPageSize: number;
  readonly maxPageSize: number;
  fetchPage(token: string | undefined, pageSize: number): Promise<SourcePage<Item>>;
  /** the sources a listing over several is made of, in order: a count reads each on its own */
  readonly parts?: readonly PagedSource<Item>[];
}
