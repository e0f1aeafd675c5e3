import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contractErrorOf } from "../../src/graphql/contract-errors.js";
import { CursorMap } from "../../src/pagination/cursor-records.js";
import { listingFingerprint } from "../../src/pagination/fingerprint.js";
import { HeldPages } from "../../src/pagination/held-pages.js";
import { readPage, type ListingPage, type PageRequest } from "../../src/pagination/read-page.js";
import type { PagedSource } from "../../src/pagination/source.js";
import { MemoryCursorStore } from "../../src/store/memory.js";
import { behaviours, fakeSource, type PagingBehaviour } from "../support/fake-sources.js";

const listing = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`);
const positionOf = (item: string) => Number(item.slice(5));

/** Pages of one listing through a real cursor map and held pages, the way a connection field reads them. */
function pager(source: PagedSource<string>, options: { ttlMs?: number; maxCalls?: number; caller?: string } = {}) {
  const store = new MemoryCursorStore({ maxEntries: 100_000, maxBytes: 256 * 1024 * 1024 });
  const cursors = new CursorMap(store, { ttlMs: options.ttlMs ?? 60_000 });
  const held = new HeldPages(store, { ttlMs: options.ttlMs ?? 60_000, maxBytes: 1024 * 1024 });
  const owner = { fingerprint: listingFingerprint("Query.things", undefined, { region: "us-east-1" }), caller: options.caller ?? "alice" };
  const read = (request: PageRequest, as = owner) => readPage(cursors, as, request, () => source, { maxCalls: options.maxCalls ?? 100, buffer: held.of<string>() });
  return { read, owner, store };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (contractErrorOf(error) as { extensions?: { code?: string } }).extensions?.code ?? String(error),
  );

/** The edge a step starts from: one of the page's edges, or its end cursor when it has none. */
function edgeOf(page: ListingPage<string>, choice: number): { cursor: string; position: number } | undefined {
  if (page.items.length === 0) return undefined;
  const index = choice % page.items.length;
  return { cursor: page.cursors.edges[index]!, position: positionOf(page.items[index]!) };
}

describe("last/before: pages backward", () => {
  it("gives, from any edge of any page, forward or backward, exactly the items the listing has there, with exact page info", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...behaviours),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.record({ forward: fc.boolean(), size: fc.integer({ min: 0, max: 60 }), edge: fc.nat() }), { minLength: 1, maxLength: 25 }),
        async (behaviour, total, firstSize, steps) => {
          const items = listing(total);
          const { read } = pager(fakeSource(items, behaviour));
          let page = await read({ forward: true, size: firstSize });
          expect(page.items).toEqual(items.slice(0, firstSize));
          expect(page.hasPreviousPage).toBe(false);
          // the position right after the page: where an empty page's end cursor stands
          let endsAt = Math.min(total, firstSize);
          for (const step of steps) {
            const edge = edgeOf(page, step.edge);
            const cursor = edge?.cursor ?? page.cursors.end;
            if (cursor === undefined) break; // an empty listing issues no cursor at all
            // an edge's cursor stands at its item; an empty page's end cursor right before `endsAt`
            const after = edge ? edge.position + 1 : endsAt;
            const before = edge ? edge.position : endsAt;
            if (step.forward) {
              page = await read({ forward: true, size: step.size, after: cursor });
              expect(page.items).toEqual(items.slice(after, after + step.size));
              expect(page.hasNextPage).toBe(after + step.size < total);
              expect(page.hasPreviousPage).toBe(after > 0);
              endsAt = Math.min(total, after + step.size);
            } else {
              page = await read({ forward: false, size: step.size, before: cursor });
              const from = Math.max(0, before - step.size);
              expect(page.items).toEqual(items.slice(from, before));
              expect(page.hasPreviousPage).toBe(from > 0);
              expect(page.hasNextPage).toBe(before < total);
              endsAt = before;
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("walks from the last page back to the first: the listing, reversed page by page", async () => {
    for (const behaviour of behaviours) {
      const items = listing(237);
      const { read } = pager(fakeSource(items, behaviour));
      let page = await read({ forward: true, size: 40 });
      while (page.hasNextPage) page = await read({ forward: true, size: 40, after: page.cursors.end! });
      const pages: string[][] = [];
      let start = page.cursors.edges[0]!;
      pages.push(page.items);
      for (let back = page; back.hasPreviousPage; ) {
        back = await read({ forward: false, size: 25, before: start });
        pages.unshift(back.items);
        start = back.cursors.edges[0]!;
      }
      expect(pages.flat(), behaviour).toEqual(items);
    }
  });

  it("costs no more AWS calls for a backward page than the forward pages that covered the same items", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...behaviours), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 80 }), async (behaviour, total, first, last) => {
        const source = fakeSource(listing(total), behaviour);
        const { read } = pager(source);
        // which forward page each item came on, and what each forward page cost
        const forwardPageOf: number[] = [];
        const costOfPage = new Map<number, number>();
        let page: ListingPage<string> | undefined;
        for (let n = 0; page === undefined || page.hasNextPage; n += 1) {
          const calls = source.calls;
          page = await read({ forward: true, size: first, after: page?.cursors.end });
          costOfPage.set(n, source.calls - calls);
          for (const item of page.items) forwardPageOf[positionOf(item)] = n;
        }
        let back = page;
        while (back.hasPreviousPage && back.cursors.edges[0] !== undefined) {
          const calls = source.calls;
          back = await read({ forward: false, size: last, before: back.cursors.edges[0] });
          const covering = new Set(back.items.map((item) => forwardPageOf[positionOf(item)]!));
          const coveringCalls = [...covering].reduce((sum, n) => sum + costOfPage.get(n)!, 0);
          expect(source.calls - calls).toBeLessThanOrEqual(coveringCalls);
        }
      }),
      { numRuns: 80 },
    );
  });

  it("reads back from held copies of AWS pages without a call", async () => {
    // Pages of 3 are cut from AWS pages of 5 (the service's smallest), each held while it has items left.
    const source = fakeSource(listing(50), "ignores");
    const { read } = pager(source);
    let page = await read({ forward: true, size: 3 });
    while (page.hasNextPage) page = await read({ forward: true, size: 3, after: page.cursors.end! });
    expect(source.calls).toBe(1);
    const back = await read({ forward: false, size: 20, before: page.cursors.edges[0]! });
    expect(back.items).toEqual(listing(48).slice(28));
    expect(source.calls).toBe(1);
  });

  it("keeps a backward page within the bound on AWS calls, short at its far end, hasPreviousPage still exact", async () => {
    const items = listing(100);
    const source = fakeSource(items, "honours");
    const { read } = pager(source, { maxCalls: 2 });
    let page = await read({ forward: true, size: 5 });
    while (page.hasNextPage) page = await read({ forward: true, size: 5, after: page.cursors.end! });
    const calls = source.calls;
    const back = await read({ forward: false, size: 50, before: page.cursors.edges[0]! });
    expect(source.calls - calls).toBe(2);
    expect(back.items).toEqual(items.slice(85, 95));
    expect(back.hasPreviousPage).toBe(true);
    const further = await read({ forward: false, size: 50, before: back.cursors.edges[0]! });
    expect(further.items).toEqual(items.slice(75, 85));
  });

  it("refuses a bad `before` cursor with the same codes as `after`, before any AWS call", async () => {
    const source = fakeSource(listing(30), "honours");
    const { read, owner } = pager(source, { ttlMs: 40 });
    const page = await read({ forward: true, size: 10 });
    const calls = source.calls;
    expect(await code(read({ forward: false, size: 5, before: "not-a-cursor" }))).toBe("CURSOR_INVALID");
    expect(await code(read({ forward: false, size: 5, before: page.cursors.edges[3]! }, { ...owner, caller: "mallory" }))).toBe("CURSOR_INVALID");
    const other = { ...owner, fingerprint: listingFingerprint("Query.things", undefined, { region: "eu-west-1" }) };
    expect(await code(read({ forward: false, size: 5, before: page.cursors.edges[3]! }, other))).toBe("CURSOR_MISMATCH");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await code(read({ forward: false, size: 5, before: page.cursors.edges[3]! }))).toBe("CURSOR_EXPIRED");
    expect(source.calls).toBe(calls);
  });

  it("says CURSOR_EXPIRED when an earlier page it must read back through has expired", async () => {
    const source = fakeSource(listing(30), "honours");
    const { read, store } = pager(source);
    const first = await read({ forward: true, size: 10 });
    const second = await read({ forward: true, size: 10, after: first.cursors.end! });
    // the first page's record alone is gone, as when the store evicts it
    const firstRecord = first.cursors.edges[0]!.split(".")[0]!;
    await store.put(`cursor:${firstRecord}`, "", 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const within = await read({ forward: false, size: 5, before: second.cursors.edges[5]! });
    expect(within.items).toEqual(listing(15).slice(10));
    expect(await code(read({ forward: false, size: 8, before: second.cursors.edges[5]! }))).toBe("CURSOR_EXPIRED");
  });

  it("reads back across empty AWS pages and pages of other sizes", async () => {
    for (const behaviour of ["emptyPages", "shortens", "lengthens"] satisfies PagingBehaviour[]) {
      const items = listing(120);
      const { read } = pager(fakeSource(items, behaviour));
      const sizes = [7, 1, 13, 30, 2];
      let page = await read({ forward: true, size: 9 });
      for (let step = 0; page.hasNextPage; step += 1) page = await read({ forward: true, size: sizes[step % sizes.length]!, after: page.cursors.end! });
      const back = await read({ forward: false, size: 100, before: page.cursors.edges.at(-1)! });
      expect(back.items, behaviour).toEqual(items.slice(19, 119));
    }
  });
});
