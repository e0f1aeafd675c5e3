// One page of a listing either way, from a cursor of the map to the cursors of the page: what a
// connection field does, without GraphQL.
import { fillPageBefore, type EdgeRef } from "./backward.js";
import type { CursorMap, IssuedCursors } from "./cursor-records.js";
import { fillPage, START, type FilledPage, type FillOptions } from "./engine.js";
import type { JsonSafe, PagedSource } from "./source.js";

/** A page forward, `size` items after the edge of `after` (from the start without it), or backward, before `before`. */
export type PageRequest = { forward: true; size: number; after?: string } | { forward: false; size: number; before: string };

export interface ListingPage<Item> extends FilledPage<Item> {
  hasPreviousPage: boolean;
  cursors: IssuedCursors;
}

/** The listing a cursor must belong to, and whose it must be. */
export interface ListingOwner {
  fingerprint: string;
  caller: string;
}

/** Reads one page; the cursor is checked before `source` is asked for, so a bad one costs no AWS call. */
export async function readPage<Item extends JsonSafe>(
  cursors: CursorMap,
  owner: ListingOwner,
  request: PageRequest,
  source: () => PagedSource<Item> | Promise<PagedSource<Item>>,
  options: FillOptions<Item>,
): Promise<ListingPage<Item>> {
  const { fingerprint, caller } = owner;
  if (request.forward) {
    const place = request.after === undefined ? undefined : await cursors.locate(request.after, fingerprint, caller);
    const page = await fillPage(await source(), place?.after ?? START, request.size, options);
    return { ...page, hasPreviousPage: place?.edge !== undefined, cursors: await cursors.issue(page, fingerprint, caller, place?.edge) };
  }
  const place = await cursors.locate(request.before, fingerprint, caller);
  // The cursor's own page was read to locate it; the pages before it are read as the walk reaches them.
  const earlier = { load: async (edge: EdgeRef) => (edge.page === place.own.id ? place.own.page : cursors.load(edge, fingerprint, caller)) };
  const page = await fillPageBefore(await source(), place, request.size, earlier, options);
  return { ...page, cursors: await cursors.issue(page, fingerprint, caller, page.previous) };
}
