// Fake AWS list operations that page the way real services misbehave, for engine tests.
import { END, START, fillPage, positionAfter, type FilledPage, type PageBuffer, type Resume } from "../../src/pagination/engine.js";
import type { JsonSafe, PagedSource, SourceFailure, SourcePage } from "../../src/pagination/source.js";

export type PagingBehaviour = "honours" | "ignores" | "shortens" | "lengthens" | "emptyPages";
export const behaviours: PagingBehaviour[] = ["honours", "ignores", "shortens", "lengthens", "emptyPages"];

export interface CountingSource<T extends JsonSafe> extends PagedSource<T> {
  calls: number;
}

/**
 * A listing of `items` that pages by `behaviour`. Pages are a pure function of (token, size), as
 * AWS pages are, so a page asked again with the same token and size comes back the same.
 */
export function fakeSource<T extends JsonSafe>(items: readonly T[], behaviour: PagingBehaviour, limits = { minPageSize: 5, maxPageSize: 1000 }): CountingSource<T> {
  const source: CountingSource<T> = {
    ...limits,
    calls: 0,
    async fetchPage(token, pageSize): Promise<SourcePage<T>> {
      source.calls += 1;
      if (pageSize < limits.minPageSize || pageSize > limits.maxPageSize) throw new Error(`page size ${pageSize} out of range`);
      const emptyFirst = token?.startsWith("e");
      const offset = token === undefined ? 0 : Number(token.replace(/^e/, ""));
      if (behaviour === "emptyPages" && !emptyFirst && offset % 2 === 0 && offset < items.length) {
        return { items: [], nextToken: `e${offset}` };
      }
      const length = {
        honours: pageSize,
        ignores: items.length,
        shortens: Math.max(1, pageSize - 1 - (offset % 4)),
        lengthens: pageSize + 1 + (offset % 7),
        emptyPages: pageSize,
      }[behaviour];
      const end = Math.min(items.length, offset + length);
      return { items: items.slice(offset, end), nextToken: end < items.length ? String(end) : undefined };
    },
  };
  return source;
}

/** A PageBuffer in a Map, standing in for the cursor store. */
export function mapBuffer<T>(): PageBuffer<T> & { held: number } {
  const pages = new Map<string, SourcePage<T>>();
  const buffer = {
    held: 0,
    async hold(page: SourcePage<T>) {
      const id = String(pages.size);
      pages.set(id, page);
      buffer.held += 1;
      return id;
    },
    async read(id: string) {
      return pages.get(id);
    },
  };
  return buffer;
}

/**
 * Walks a listing page by page as a client does: `first` from `firsts` in turn, resuming after a
 * chosen edge of each page (a negative choice: the last), so pages may overlap. `onPage` sees
 * every page filled, for checks of its own.
 */
export async function walkListing<T extends JsonSafe>(
  source: PagedSource<T>,
  options: { firsts: number[]; resumes: number[]; maxCalls?: number; buffer?: PageBuffer<T>; maxSteps?: number; onPage?: (page: FilledPage<T>, first: number) => void },
): Promise<{ seen: T[]; failures: SourceFailure[] }> {
  const seen: T[] = [];
  const failures: SourceFailure[] = [];
  let from: Resume = START;
  for (let step = 0; from !== END; step += 1) {
    if (step > (options.maxSteps ?? 10_000)) throw new Error("walk does not end");
    const first = options.firsts[step % options.firsts.length]!;
    const page: FilledPage<T> = await fillPage(source, from, first, { maxCalls: options.maxCalls ?? 50, buffer: options.buffer });
    options.onPage?.(page, first);
    failures.push(...page.failures);
    if (page.items.length === 0) {
      from = page.resume;
      continue;
    }
    const choice = options.resumes[step % options.resumes.length]!;
    const edge = choice < 0 ? page.items.length - 1 : choice % page.items.length;
    seen.push(...page.items.slice(0, edge + 1));
    from = edge === page.items.length - 1 ? page.resume : positionAfter(page.segments, edge);
  }
  return { seen, failures };
}
