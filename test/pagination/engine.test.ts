import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { END, START, fillPage, positionAfter } from "../../src/pagination/engine.js";
import { RepeatedTokenError } from "../../src/pagination/errors.js";
import { behaviours, fakeSource, mapBuffer, walkListing, type PagingBehaviour } from "../support/fake-sources.js";

const listing = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`);

/** Walks a fake listing page by page, resuming after a chosen edge of each page (-1: the last). */
async function walk(behaviour: PagingBehaviour, total: number, firsts: number[], resumes: number[], maxCalls = 50) {
  const items = listing(total);
  const source = fakeSource(items, behaviour);
  const { seen } = await walkListing(source, {
    firsts,
    resumes,
    maxCalls,
    buffer: mapBuffer<string>(),
    maxSteps: 20 * total + 100,
    onPage: (page, first) => {
      expect(page.items.length).toBeLessThanOrEqual(first);
      if (page.items.length < first && page.awsCalls < maxCalls) expect(page.hasNextPage).toBe(false);
    },
  });
  return { items, seen, calls: source.calls };
}

describe("fillPage", () => {
  it("walks every item exactly once, in order, whatever the service does with the page size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...behaviours),
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        async (behaviour, total, firsts, resumes) => {
          const { items, seen } = await walk(behaviour, total, firsts, resumes);
          expect(seen).toEqual(items);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("walks small pages of 1..4 items although the service's smallest page is 5", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...behaviours), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 4 }), async (behaviour, total, first) => {
        const { items, seen } = await walk(behaviour, total, [first], [first - 1]);
        expect(seen).toEqual(items);
      }),
      { numRuns: 60 },
    );
  });

  it("makes no more AWS calls on a forward walk than ceil(N / min(first, service max))", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<PagingBehaviour>("honours", "ignores", "lengthens"),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 1000 }),
        async (behaviour, total, first) => {
                    const { calls, seen, items } = await walk(behaviour, total, [first], [-1]);
          expect(seen).toEqual(items);
          const lowerBound = Math.max(1, Math.ceil(total / Math.min(Math.max(first, 5), 1000)));
          expect(calls).toBeLessThanOrEqual(lowerBound);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("reads a page the service returned whole only once, however small the GraphQL pages", async () => {
    const { calls, seen, items } = await walk("ignores", 2500, [7], [-1]);
    expect(seen).toEqual(items);
    expect(calls).toBe(1);
  });

  it("keeps pages full across empty AWS pages that carry a next token", async () => {
    const source = fakeSource(listing(100), "emptyPages");
    const page = await fillPage(source, START, 30, { maxCalls: 50 });
    expect(page.items).toEqual(listing(30));
    expect(page.hasNextPage).toBe(true);
  });

  it("returns a short page with a resume position when the per-page call bound is reached", async () => {
    const source = fakeSource(listing(100), "emptyPages");
    const page = await fillPage(source, START, 30, { maxCalls: 1 });
    expect(page.items).toEqual([]);
    expect(page.hasNextPage).toBe(true);
    const next = await fillPage(source, page.resume, 30, { maxCalls: 50 });
    expect(next.items).toEqual(listing(30));
  });

  it("says there is no next page when the listing ends with the page", async () => {
    const source = fakeSource(listing(10), "honours");
    const page = await fillPage(source, START, 10, { maxCalls: 50 });
    expect(page.items).toHaveLength(10);
    expect(page.hasNextPage).toBe(false);
    expect(page.resume).toBe(END);
  });

  it("makes no AWS call for first: 0", async () => {
    const source = fakeSource(listing(10), "honours");
    const page = await fillPage(source, START, 0, { maxCalls: 50 });
    expect(page.items).toEqual([]);
    expect(source.calls).toBe(0);
  });

  it("stops with an error instead of looping when AWS hands back the token it was given", async () => {
    const looping = { minPageSize: 1, maxPageSize: 10, fetchPage: async (token?: string) => ({ items: ["x"], nextToken: token ?? "same" }) };
    await expect(fillPage(looping, START, 5, { maxCalls: 50 })).rejects.toBeInstanceOf(RepeatedTokenError);
  });

  it("asks for the page size the remaining items need, within the service's limits", async () => {
    const asked: number[] = [];
    const source = fakeSource(listing(50), "honours", { minPageSize: 5, maxPageSize: 20 });
    const recording = { ...source, fetchPage: (t: string | undefined, size: number) => (asked.push(size), source.fetchPage(t, size)) };
    await fillPage(recording, START, 47, { maxCalls: 50 });
    await fillPage(recording, START, 2, { maxCalls: 50 });
    expect(asked).toEqual([20, 20, 7, 5]);
  });

  it("asks a mid-page position's AWS page again with the size it was first asked with", async () => {
    const asked: number[] = [];
    const source = fakeSource(listing(50), "honours");
    const recording = { ...source, fetchPage: (t: string | undefined, size: number) => (asked.push(size), source.fetchPage(t, size)) };
    const page = await fillPage(recording, START, 3, { maxCalls: 50 }); // asks 5, no buffer
    const next = await fillPage(recording, positionAfter(page.segments, 0), 30, { maxCalls: 50 });
    expect(next.items.slice(0, 4)).toEqual(listing(5).slice(1));
    expect(asked.slice(0, 2)).toEqual([5, 5]);
  });
});
