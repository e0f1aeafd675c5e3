// Two answers to one query compared as a client sees them.
import { expect } from "vitest";

const CURSOR = /[A-Za-z0-9_-]{16}\.\d+\.[A-Za-z0-9_-]{12}/g;
/** When AWS answered: differs from run to run, as cursors do. */
const FETCHED_AT = /"fetchedAt":"[^"]+"/g;

type Answer = {
  data?: unknown;
  errors?: readonly { message: string; locations?: unknown; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
};
interface ComparableError {
  message: string;
  locations?: unknown;
  path?: (string | number)[];
  code?: string;
}

/** An answer's data and errors as a client sees them, each cursor replaced by its edge index (cursors are random per page), times left out. */
function comparableAnswer({ data, errors }: Answer): { data?: unknown; errors: ComparableError[] } {
  const comparable = { data, errors: (errors ?? []).map(({ message, locations, path, extensions }) => ({ message, locations, path, code: extensions?.code })) };
  const text = JSON.stringify(comparable).replace(CURSOR, (cursor) => `cursor #${cursor.split(".")[1]}`).replace(FETCHED_AT, '"fetchedAt":"(a time)"');
  return JSON.parse(text) as { data?: unknown; errors: ComparableError[] };
}

/** Whether `path` runs through a value the answer nulled: the data itself, or an object above the path's end. */
function nulledAbove(data: unknown, path: readonly (string | number)[] = []): boolean {
  let value = data;
  for (const key of path.slice(0, -1)) {
    if (value === null || value === undefined) return true;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value === null || value === undefined;
}

/**
 * The same answer as the expected one, cursors aside: equal data, and the same errors in any order.
 * Where a failure nulled an object, the errors below it may differ: executors stop listening to that
 * object's other fields at different moments (graphql-js and graphql-jit alike, each its own way).
 */
export function expectSameAnswer(answer: Answer, expected: Answer, label: string): void {
  const actual = comparableAnswer(answer);
  const wanted = comparableAnswer(expected);
  expect(actual.data, label).toEqual(wanted.data);
  const settled = (errors: ComparableError[]) => new Set(errors.filter((e) => !nulledAbove(actual.data, e.path)).map((e) => JSON.stringify(e)));
  expect(settled(actual.errors), label).toEqual(settled(wanted.errors));
  expect(actual.errors.length > 0, label).toBe(wanted.errors.length > 0);
}
