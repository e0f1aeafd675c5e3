// One listing made of several: every part's items in turn, part by part, as one PagedSource (the
// way the SDK's paginators compose over commands), so the engine never learns what the parts are.
// Parts are read ahead concurrently where a page will need them, and a part that fails is passed
// over, reported, and the listing goes on with the next.
import type { PageBuffer } from "./engine.js";
import type { JsonSafe, PagedSource, SourcePage } from "./source.js";

export interface ListingPart<Item extends JsonSafe> {
  /** what the part is called in failures and in tokens: equal names are the same part */
  name: JsonSafe;
  source: PagedSource<Item>;
}

export interface ConcatOptions<Item extends JsonSafe> {
  /** how many parts' first pages may be read at once, the current one included */
  concurrency: number;
  /** where first pages read ahead wait for the GraphQL page that reaches them */
  buffer?: PageBuffer<Item>;
  /** whether an error fails its part alone (the listing goes on), or the whole page */
  isPartFailure(error: unknown): boolean;
}

/** The composite token: the part, its own token, and the held first pages of later parts. */
interface ConcatToken {
  /** index of the part */
  p: number;
  /** the part's name, checked on resume: the parts of a listing can change between pages */
  n: string;
  /** the part's own token; absent at its start */
  t?: string;
  /** held first pages of later parts read ahead, by part index */
  h?: Record<number, string>;
}

/** A held first page, with the size it was asked with. */
type HeldFirstPage<Item> = SourcePage<Item> & { pageSize: number };

export class PartsChangedError extends Error {
  constructor() {
    super("The parts of this listing changed since the cursor was issued.");
  }
}

export function concatSources<Item extends JsonSafe>(parts: readonly ListingPart<Item>[], options: ConcatOptions<Item>): PagedSource<Item> {
  const names = parts.map((part) => JSON.stringify(part.name));
  const tokenAt = (index: number, own: string | undefined, held: Record<number, string>): string | undefined => {
    if (index >= parts.length) return undefined;
    const later = Object.fromEntries(Object.entries(held).filter(([i]) => Number(i) > index || (Number(i) === index && own === undefined)));
    return JSON.stringify({ p: index, n: names[index]!, t: own, h: Object.keys(later).length ? later : undefined } satisfies ConcatToken);
  };

  /** A part's first page, or its failure, read now. */
  const readFirst = async (index: number, pageSize: number): Promise<HeldFirstPage<Item> | { failed: unknown }> => {
    try {
      return { ...(await parts[index]!.source.fetchPage(undefined, pageSize)), pageSize };
    } catch (error) {
      if (!options.isPartFailure(error)) throw error;
      return { failed: error };
    }
  };

  return {
    parts: parts.map((part) => part.source),
    minPageSize: Math.max(1, ...parts.map((part) => part.source.minPageSize)),
    maxPageSize: Math.min(...parts.map((part) => part.source.maxPageSize)),
    async fetchPage(token, pageSize) {
      if (parts.length === 0) return { items: [] };
      const at: ConcatToken = token === undefined ? { p: 0, n: names[0]! } : (JSON.parse(token) as ConcatToken);
      if (names[at.p] !== at.n) throw new PartsChangedError();
      const held = { ...at.h };

      let page: SourcePage<Item> | undefined;
      let failed: unknown;
      if (at.t !== undefined) {
        try {
          page = await parts[at.p]!.source.fetchPage(at.t, pageSize);
        } catch (error) {
          if (!options.isPartFailure(error)) throw error;
          failed = error;
        }
      } else {
        const heldId = held[at.p];
        const heldPage = heldId === undefined ? undefined : ((await options.buffer?.read(heldId)) as HeldFirstPage<Item> | undefined);
        if (heldPage) {
          page = heldPage;
        } else {
          // Starting a part: read the next parts' first pages at the same time, so a page spread
          // over many parts waits about as long as the slowest of them, not all of them in turn.
          const ahead: number[] = [];
          for (let i = at.p + 1; i < parts.length && ahead.length < options.concurrency - 1; i += 1) if (held[i] === undefined) ahead.push(i);
          const [own, ...others] = await Promise.all([readFirst(at.p, pageSize), ...ahead.map((i) => readFirst(i, pageSize))]);
          if ("failed" in own!) failed = own.failed;
          else page = own;
          // A failed part is asked again when the listing reaches it; a good page is held for then.
          const buffer = options.buffer;
          const ids = buffer ? await Promise.all(others.map((other) => ("failed" in other ? undefined : buffer.hold(other)))) : [];
          for (const [k, id] of ids.entries()) if (id !== undefined) held[ahead[k]!] = id;
        }
      }

      if (page === undefined) {
        return { items: [], nextToken: tokenAt(at.p + 1, undefined, held), failures: [{ part: parts[at.p]!.name, error: failed }] };
      }
      const nextToken = page.nextToken !== undefined ? tokenAt(at.p, page.nextToken, held) : tokenAt(at.p + 1, undefined, held);
      return { items: page.items, nextToken, pageSize: page.pageSize, failures: page.failures, fetchedAt: page.fetchedAt };
    },
  };
}
