// Turns `first`/`after` into an engine walk and the engine's page into a Relay connection; maps
// what the pagination layer refuses to the contract's codes.
import { GraphQLError } from "graphql";
import { badInput, ErrorCode, GatewayError, isGatewayError } from "../errors.js";
import { concatSources, PartsChangedError } from "../pagination/concat.js";
import { fillPage, START } from "../pagination/engine.js";
import { readPage, type PageRequest } from "../pagination/read-page.js";
import { CursorError, RepeatedTokenError, type CursorRefusal } from "../pagination/errors.js";
import { listingFingerprint } from "../pagination/fingerprint.js";
import type { RequestAws } from "../aws/clients.js";
import type { JsonSafe, PagedSource, SourceFailure } from "../pagination/source.js";
import { CursorStoreUnavailableError } from "../store/types.js";
import type { ResourceContext } from "./resource-context.js";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A source of a listing that failed while others answered: which account and region, and how. */
export type FailedSource = {
  accountName: string;
  accountId: string | null;
  region: string | null;
  code: string;
};

export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  failedSources: FailedSource[];
  /** ISO-8601: when AWS gave the oldest answer this page was cut from */
  fetchedAt: string | null;
  /** counts the whole listing, when totalCount is asked for */
  count: () => Promise<number>;
}

/** Names one listing: the field, its parent object's id, and its arguments but first/after. */
export interface Listing {
  field: string;
  parentId?: string;
  args: Record<string, unknown>;
  /** where the field stands in the answer, for the errors of failed sources */
  path?: readonly (string | number)[];
}

/** One source of a listing over several: an account, and a region for regional services. */
export interface ListingSource<Node extends JsonSafe> {
  accountName: string;
  region: string | null;
  source: PagedSource<Node>;
}

/** The codes that fail a whole page rather than one source: the cursor, the store, the caller's own input. */
const PAGE_WIDE = new Set<string>([ErrorCode.CURSOR_EXPIRED, ErrorCode.CURSOR_INVALID, ErrorCode.CURSOR_MISMATCH, ErrorCode.CURSOR_STORE_UNAVAILABLE]);

/**
 * One listing over its sources in their order, read concurrently where a page needs several; a
 * source that fails (denied, throttled, unreachable) is reported and passed over. A single source
 * is the listing itself, and fails the field as it always did.
 */
export function listingOver<Node extends JsonSafe>(ctx: ResourceContext, sources: readonly ListingSource<Node>[]): PagedSource<Node> {
  if (sources.length === 1) return sources[0]!.source;
  return concatSources(
    sources.map(({ accountName, region, source }) => ({ name: { accountName, region }, source })),
    {
      concurrency: ctx.paging.fanoutConcurrency,
      buffer: ctx.heldPages.of<Node>(),
      isPartFailure: (error) => isGatewayError(error) && !PAGE_WIDE.has(error.code),
    },
  );
}

/**
 * One listing of a global service over the accounts a field names, in their order: one source
 * per account (its region null), read as one listing.
 */
export function accountsListing<Model extends JsonSafe>(ctx: ResourceContext, accounts: readonly string[], source: (aws: RequestAws) => PagedSource<Model>): PagedSource<Model> {
  return listingOver(
    ctx,
    accounts.map((accountName) => ({ accountName, region: null, source: source(ctx.aws.forAccount(accountName)) })),
  );
}

/** The listing args of a global service's field: as before for the default account alone. */
export const accountsArgs = (accounts: readonly string[], args: Record<string, unknown>, named: boolean) => (named ? { ...args, accounts } : args);

/** A source that can only fail: where an account's regions could not even be listed. */
export function failingSource<Node extends JsonSafe>(error: unknown): PagedSource<Node> {
  return { minPageSize: 1, maxPageSize: Number.MAX_SAFE_INTEGER, fetchPage: () => Promise.reject(error) };
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
  if (error instanceof PartsChangedError) {
    return new GatewayError(ErrorCode.CURSOR_EXPIRED, "The accounts or regions behind this cursor changed; start the listing again without `after`.");
  }
  return error;
}

/** Runs pagination work, its failures raised with contract codes. */
async function withContractErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw contractErrorOf(error);
  }
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
function pageRequestOf(ctx: ResourceContext, args: ConnectionArgs): PageRequest {
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

/**
 * Resolves a connection field, forward (`first`/`after`) or backward (`last`/`before`). The cursor
 * is checked before `source` is asked for anything, so a bad cursor never costs an AWS call.
 */
export function resolveConnection<Node extends JsonSafe>(
  ctx: ResourceContext,
  listing: Listing,
  args: ConnectionArgs,
  source: () => PagedSource<Node> | Promise<PagedSource<Node>>,
): Promise<Connection<Node>> {
  const request = pageRequestOf(ctx, args);
  const owner = { fingerprint: listingFingerprint(listing.field, listing.parentId, listing.args), caller: ctx.caller };
  return withContractErrors(async () => {
    const page = await readPage(ctx.cursors, owner, request, source, { maxCalls: ctx.paging.maxAwsCallsPerPage, buffer: ctx.heldPages.of<Node>() });
    const edges = page.items.map((node, index) => ({ cursor: page.cursors.edges[index]!, node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: page.cursors.end ?? null,
      },
      failedSources: await Promise.all(page.failures.map((failure) => reportFailure(ctx, listing, failure))),
      fetchedAt: page.fetchedAt === undefined ? null : new Date(page.fetchedAt).toISOString(),
      count: () => withContractErrors(() => countListing(ctx, source)),
    };
  });
}

/**
 * The number of items in a listing: read to its end at the service's largest page size (through
 * the page cache), within MAX_COUNT_AWS_CALLS; past that QUERY_TOO_COSTLY, and a failed source
 * fails the count (a count missing what AWS would not tell is not a smaller count).
 */
async function countListing<Node extends JsonSafe>(ctx: ResourceContext, source: () => PagedSource<Node> | Promise<PagedSource<Node>>): Promise<number> {
  const max = ctx.paging.maxCountAwsCalls;
  const page = await fillPage(await source(), START, Number.MAX_SAFE_INTEGER, { maxCalls: max });
  if (page.failures.length > 0) throw page.failures[0]!.error;
  if (page.hasNextPage) {
    throw new GatewayError(ErrorCode.QUERY_TOO_COSTLY, `Counting this listing takes more than ${max} AWS calls (MAX_COUNT_AWS_CALLS); page through it instead.`, {
      limit: "count",
      max,
      value: max + 1,
    });
  }
  return page.items.length;
}

/** A failed source as the answer tells it: one error on the connection's path, and its row in failedSources. */
async function reportFailure(ctx: ResourceContext, listing: Listing, failure: SourceFailure): Promise<FailedSource> {
  const { accountName, region } = failure.part as { accountName: string; region: string | null };
  const mapped = contractErrorOf(failure.error);
  const error = mapped instanceof GatewayError ? mapped : new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, "This source could not be read.");
  const accountId = await ctx.aws.forAccount(accountName).accountId().catch(() => null);
  const source = { accountId, accountName, region };
  ctx.partialErrors.push(new GraphQLError(`${error.message} (account ${accountName}${region ? `, ${region}` : ""}; the other sources answered)`, { path: listing.path, extensions: { ...error.extensions, source } }));
  return { ...source, code: error.code };
}
