// Turns `first`/`after` into an engine walk and the engine's page into a Relay connection; maps
// what the pagination layer refuses to the contract's codes.
import { badInput, ErrorCode, GatewayError } from "../errors.js";
import { fillPage, START, type Resume } from "../pagination/engine.js";
import { CursorError, RepeatedTokenError, type CursorRefusal } from "../pagination/errors.js";
import { listingFingerprint } from "../pagination/fingerprint.js";
import type { JsonSafe, PagedSource } from "../pagination/source.js";
import { CursorStoreUnavailableError } from "../store/types.js";
import type { ResourceContext } from "./resource-context.js";

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

const CURSOR_CODES: Record<CursorRefusal, ErrorCode> = {
  invalid: ErrorCode.CURSOR_INVALID,
  expired: ErrorCode.CURSOR_EXPIRED,
  mismatch: ErrorCode.CURSOR_MISMATCH,
};

/** The contract error for a failure of the pagination layer or the cursor store; anything else as it is. */
export function contractErrorOf(error: unknown): unknown {
  if (error instanceof CursorError) return new GatewayError(CURSOR_CODES[error.refusal], error.message);
  if (error instanceof CursorStoreUnavailableError) {
    return new GatewayError(ErrorCode.CURSOR_STORE_UNAVAILABLE, "The cursor store cannot be reached; try again shortly.");
  }
  if (error instanceof RepeatedTokenError) return new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, error.message, { reason: "REPEATED_TOKEN" });
  return error;
}

/** Runs pagination work, its failures raised with contract codes. */
export async function withContractErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw contractErrorOf(error);
  }
}

/** `first` within 0..maxPageSize, the default page size when omitted. */
export function pageSize(ctx: ResourceContext, first: number | null | undefined): number {
  if (first === null || first === undefined) return ctx.paging.defaultPageSize;
  if (first < 0 || first > ctx.paging.maxPageSize) {
    throw badInput(`\`first\` must be between 0 and ${ctx.paging.maxPageSize}.`, { argument: "first", max: ctx.paging.maxPageSize });
  }
  return first;
}

/**
 * Resolves a connection field. The cursor is checked before `source` is asked for anything,
 * so a bad cursor never costs an AWS call.
 */
export function resolveConnection<Node extends JsonSafe>(
  ctx: ResourceContext,
  listing: Listing,
  args: ConnectionArgs,
  source: () => PagedSource<Node>,
): Promise<Connection<Node>> {
  const first = pageSize(ctx, args.first);
  const fingerprint = listingFingerprint(listing.field, listing.parentId, listing.args);
  return withContractErrors(async () => {
    const from: Resume = args.after === null || args.after === undefined ? START : await ctx.cursors.resolve(args.after, fingerprint, ctx.caller);
    const page = await fillPage(source(), from, first, { maxCalls: ctx.paging.maxAwsCallsPerPage, buffer: ctx.heldPages.of<Node>() });
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
  });
}
