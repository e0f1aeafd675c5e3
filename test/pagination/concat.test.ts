import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatSources, PartsChangedError, type ListingPart } from "../../src/pagination/concat.js";
import { START, fillPage } from "../../src/pagination/engine.js";
import { behaviours, fakeSource, mapBuffer, walkListing, type CountingSource, type PagingBehaviour } from "../support/fake-sources.js";

class PartRefused extends Error {}

/** A part that refuses every call, as an account whose role cannot be assumed does. */
const refusingSource = (): CountingSource<string> => {
  const source: CountingSource<string> = {
    minPageSize: 5,
    maxPageSize: 1000,
    calls: 0,
    async fetchPage() {
      source.calls += 1;
      throw new PartRefused("refused");
    },
  };
  return source;
};

interface PartPlan {
  size: number;
  behaviour: PagingBehaviour;
  refuses: boolean;
}

const partPlan = fc.record({ size: fc.integer({ min: 0, max: 40 }), behaviour: fc.constantFrom(...behaviours), refuses: fc.boolean() });

function listingOf(plans: PartPlan[], concurrency: number) {
  const sources = plans.map((plan, p) => (plan.refuses ? refusingSource() : fakeSource(Array.from({ length: plan.size }, (_, i) => `p${p}-${i}`), plan.behaviour)));
  const parts: ListingPart<string>[] = sources.map((source, p) => ({ name: { part: p }, source }));
  const buffer = mapBuffer<string>();
  const source = concatSources(parts, { concurrency, buffer, isPartFailure: (error) => error instanceof PartRefused });
  const expected = plans.flatMap((plan, p) => (plan.refuses ? [] : Array.from({ length: plan.size }, (_, i) => `p${p}-${i}`)));
  return { sources, source, buffer, expected };
}

/** Walks page by page, resuming after a chosen edge of each page; collects items and failures. */
const walk = (source: ReturnType<typeof listingOf>["source"], buffer: ReturnType<typeof mapBuffer<string>>, firsts: number[], resumes: number[]) =>
  walkListing(source, { firsts, resumes, buffer });

describe("a listing made of several parts", () => {
  it("lists every item of every part exactly once, part after part, whatever each part does with the page size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(partPlan, { minLength: 0, maxLength: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        async (plans, concurrency, firsts, resumes) => {
          const { source, buffer, expected } = listingOf(plans, concurrency);
          const { seen, failures } = await walk(source, buffer, firsts, resumes);
          expect(seen).toEqual(expected);
          // each failed part is reported when the walk reaches it (again if a resume goes back over it)
          const failed = new Set(failures.map((f) => JSON.stringify(f.part)));
          expect(failed).toEqual(new Set(plans.flatMap((plan, p) => (plan.refuses ? [JSON.stringify({ part: p })] : []))));
          expect(failures.every((f) => f.error instanceof PartRefused)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reads the next parts' first pages at once, and holds them so that no page is asked twice on a forward walk", async () => {
    const plans = Array.from({ length: 17 }, (_, p): PartPlan => ({ size: p % 3 === 0 ? 0 : 4, behaviour: "honours", refuses: false }));
    const { sources, source, buffer, expected } = listingOf(plans, 8);
    let concurrent = 0;
    let mostConcurrent = 0;
    for (const inner of sources) {
      const fetch = inner.fetchPage.bind(inner);
      inner.fetchPage = async (token, size) => {
        concurrent += 1;
        mostConcurrent = Math.max(mostConcurrent, concurrent);
        await new Promise((r) => setTimeout(r, 5));
        concurrent -= 1;
        return fetch(token, size);
      };
    }
    const { seen } = await walk(source, buffer, [7], [-1]);
    expect(seen).toEqual(expected);
    expect(mostConcurrent).toBe(8);
    expect(sources.map((s) => s.calls)).toEqual(sources.map(() => 1));
  });

  it("refuses a token whose part is no longer where it was, rather than list another part from it", async () => {
    const { source } = listingOf([{ size: 10, behaviour: "honours", refuses: false }, { size: 10, behaviour: "honours", refuses: false }], 1);
    const page = await source.fetchPage(undefined, 5);
    const [other] = [concatSources([{ name: { part: "elsewhere" }, source: fakeSource(["x"], "honours") }, { name: { part: 0 }, source: fakeSource(["y"], "honours") }], { concurrency: 1, isPartFailure: () => false })];
    await expect(other!.fetchPage(page.nextToken, 5)).rejects.toBeInstanceOf(PartsChangedError);
  });

  it("fails the whole page on an error that is not a part's own", async () => {
    const broken = fakeSource(["a"], "honours");
    broken.fetchPage = async () => {
      throw new Error("the cursor store is down");
    };
    const source = concatSources([{ name: 0, source: broken }, { name: 1, source: fakeSource(["b"], "honours") }], { concurrency: 2, isPartFailure: (e) => e instanceof PartRefused });
    await expect(fillPage(source, START, 5, { maxCalls: 5 })).rejects.toThrow("the cursor store is down");
  });
});
