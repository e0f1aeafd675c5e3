// Turns `first`/`after` into an engine walk and the engine's page into a Relay connection.
import type { GatewayContext } from "../context.js";
import { badInput, ErrorCode, GatewayError } from "../errors.js";
import { CursorMap } from "../pagination/cursors.js";
import { fillPage, RepeatedTokenError, START, type Resume } from "../pagination/engine.js";
import type { PagedSource } from "../pagination/source.js";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Names one listing: the field, its parent object's id, and its arguments but first/after. */
export interface Listing {
  field: string;
  parentId?: string;
  args: Record<string, unknown>;
}

/** `first` within 0..MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when omitted. */
export function pageSize(ctx: GatewayContext, first: number | null | undefined): number {
  if (first === null || first === undefined) return ctx.config.DEFAULT_PAGE_SIZE;
  if (first < 0 || first > ctx.config.MAX_PAGE_SIZE) {
    throw badInput(`\`first\` must be between 0 and ${ctx.config.MAX_PAGE_SIZE}.`, { argument: "first", max: ctx.config.MAX_PAGE_SIZE });
  }
  return first;
}

/**
 * Resolves a connection field. The cursor is checked before `source` is asked for anything,
 * so a bad cursor never costs an AWS call.
 */
export async function resolveConnection<Node>(
  ctx: GatewayContext,
  listing: Listing,
  args: ConnectionArgs,
  source: () => PagedSource<Node>,
): Promise<Connection<Node>> {
  const first = pageSize(ctx, args.first);
  const fingerprint = CursorMap.fingerprint(listing.field, listing.parentId, listing.args);
  const from: Resume =
    args.after === null || args.after === undefined ? START : await ctx.cursors.resolve(args.after, fingerprint, ctx.caller);
  let page;
  try {
    page = await fillPage(source(), from, first, {
      maxCalls: ctx.config.MAX_AWS_CALLS_PER_PAGE,
      buffer: ctx.cursors.pageBuffer<Node>(),
    });
  } catch (error) {
    if (error instanceof RepeatedTokenError) {
      throw new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, error.message, { reason: "REPEATED_TOKEN" });
    }
    throw error;
  }
  const cursors = await ctx.cursors.issue(page, fingerprint, ctx.caller);
  const edges = page.items.map((node, index) => ({ cursor: cursors.edges[index]!, node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: from !== START,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: cursors.end ?? null,
    },
  };
}
