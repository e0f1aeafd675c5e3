// A connection field's Relay arguments as one page request: `first` after `after`, or `last`
// before `before`, checked against the page-size limits.
import { badInput } from "../errors.js";
import type { PageRequest } from "../pagination/read-page.js";
import type { ResourceContext } from "./resource-context.js";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** `first` or `last` within 0..maxPageSize, the default page size when omitted. */
export function pageSize(ctx: ResourceContext, size: number | null | undefined, argument: "first" | "last" = "first"): number {
  if (size === null || size === undefined) return ctx.paging.defaultPageSize;
  if (size < 0 || size > ctx.paging.maxPageSize) {
    throw badInput(`\`${argument}\` must be between 0 and ${ctx.paging.maxPageSize}.`, { argument, max: ctx.paging.maxPageSize });
  }
  return size;
}

/** Which way a page goes and how far: forward `first` items after `after`, or backward `last` before `before`. */
export function pageRequestOf(ctx: ResourceContext, args: ConnectionArgs): PageRequest {
  const given = (value: unknown) => value !== null && value !== undefined;
  if (given(args.first) && given(args.last)) {
    throw badInput("Ask for `first` (a page forward, after `after`) or `last` (a page backward, before `before`), not both.", { argument: "last" });
  }
  if (given(args.after) && given(args.before)) {
    throw badInput("Ask for a page `after` a cursor or `before` one, not both.", { argument: "before" });
  }
  if (given(args.last) && !given(args.before)) {
    throw badInput("AWS lists can only be read from their start, so `last` needs `before`: page forward with `first`, then back from any edge's cursor with `last` and `before`.", { argument: "last" });
  }
  if (given(args.first) && given(args.before)) {
    throw badInput("A page `before` a cursor goes backward: take `last` items before it, or `first` items `after` one.", { argument: "before" });
  }
  if (given(args.before)) return { forward: false, size: pageSize(ctx, args.last, "last"), before: args.before! };
  return { forward: true, size: pageSize(ctx, args.first), after: args.after ?? undefined };
}
