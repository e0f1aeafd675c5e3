// Turns a connection field's page request into a read of the cursor map and the engine, and the
// page into a Relay connection: edges, page info, failed sources, freshness and the count.
import { GraphQLError } from "graphql";
import pLimit from "p-limit";
import { ErrorCode, GatewayError } from "../errors.js";
import { fillPage, START } from "../pagination/engine.js";
import { readPage } from "../pagination/read-page.js";
import { listingFingerprint } from "../pagination/fingerprint.js";
import type { JsonSafe, PagedSource, SourceFailure } from "../pagination/source.js";
import { contractErrorOf, withContractErrors } from "./contract-errors.js";
import { pageRequestOf, type ConnectionArgs } from "./relay-args.js";
import type { ResourceContext } from "./resource-context.js";

export type { ConnectionArgs } from "./relay-args.js";

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
  /** counts the whole listing by the value each item has (read once with count) */
  countBy: (group: (node: Node) => string | null) => Promise<CountGroup[]>;
}

/** A group of a count: the value its items share (null: none), and how many there are. */
export type CountGroup = { key: string | null; count: number };

/** Names one listing: the field, its parent object's id, and its arguments but first/after. */
export interface Listing {
  field: string;
  parentId?: string;
  args: Record<string, unknown>;
  /** where the field stands in the answer, for the errors of failed sources */
  path?: readonly (string | number)[];
}

/** The listing args of a global service's field: as before for the default account alone. */
export const accountsArgs = (accounts: readonly string[], args: Record<string, unknown>, named: boolean) => (named ? { ...args, accounts } : args);

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
  // totalCount and countBy read the listing once between them, only when one is asked for.
  let read: Promise<Node[]> | undefined;
  const counted = () => (read ??= withContractErrors(() => countedItems(ctx, source)));
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
      failedSources: page.failures.length === 0 ? [] : await Promise.all(page.failures.map((failure) => reportFailure(ctx, listing, failure))),
      fetchedAt: page.fetchedAt === undefined ? null : new Date(page.fetchedAt).toISOString(),
      count: async () => (await counted()).length,
      countBy: async (group) => groupCounts(await counted(), group),
    };
  });
}

/**
 * Every item of a listing, for a count: each source (account and region) read to its end on its
 * own at its largest page size, through the page cache, sources at once as a page reads them.
 * MAX_COUNT_AWS_CALLS bounds each source, MAX_QUERY_AWS_CALLS the calls the whole query has made;
 * past either, QUERY_TOO_COSTLY. A failed source fails the count: a count missing what AWS would
 * not tell is not a smaller count.
 */
async function countedItems<Node extends JsonSafe>(ctx: ResourceContext, source: () => PagedSource<Node> | Promise<PagedSource<Node>>): Promise<Node[]> {
  const max = ctx.paging.maxCountAwsCalls;
  const listing = await source();
  const parts = listing.parts ?? [listing];
  const withinQuery = (part: PagedSource<Node>): PagedSource<Node> => ({
    minPageSize: part.minPageSize,
    maxPageSize: part.maxPageSize,
    fetchPage: (token, pageSize) => {
      const limit = ctx.paging.maxQueryAwsCalls;
      if (ctx.aws.usage.calls >= limit) {
        return Promise.reject(
          new GatewayError(ErrorCode.QUERY_TOO_COSTLY, `Counting this listing has reached the query's ${limit} AWS calls (MAX_QUERY_AWS_CALLS); count fewer sources.`, {
            limit: "awsCalls",
            max: limit,
            value: ctx.aws.usage.calls + 1,
          }),
        );
      }
      return part.fetchPage(token, pageSize);
    },
  });
  const countPart = async (part: PagedSource<Node>): Promise<Node[]> => {
    const page = await fillPage(withinQuery(part), START, Number.MAX_SAFE_INTEGER, { maxCalls: max });
    if (page.failures.length > 0) throw page.failures[0]!.error;
    if (page.hasNextPage) {
      throw new GatewayError(ErrorCode.QUERY_TOO_COSTLY, `Counting one source of this listing takes more than ${max} AWS calls (MAX_COUNT_AWS_CALLS); page through it instead.`, {
        limit: "count",
        max,
        value: max + 1,
      });
    }
    return page.items;
  };
  const limit = pLimit(Math.max(1, ctx.paging.fanoutConcurrency));
  return (await Promise.all(parts.map((part) => limit(() => countPart(part))))).flat();
}

/** Groups by count, highest first, then by key (the null key last among equals). */
function groupCounts<Node>(items: readonly Node[], group: (node: Node) => string | null): CountGroup[] {
  const counts = new Map<string | null, number>();
  for (const item of items) {
    const key = group(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1));
}

/** A failed source as the answer tells it: one error on the connection's path, and its row in failedSources. */
async function reportFailure(ctx: ResourceContext, listing: Listing, failure: SourceFailure): Promise<FailedSource> {
  const { accountName: account, region } = failure.part as { accountName: string; region: string | null };
  const mapped = contractErrorOf(failure.error);
  const error = mapped instanceof GatewayError ? mapped : new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, "This source could not be read.");
  const accountId = await ctx.aws.forAccount(account).accountId().catch(() => null);
  const accountName = ctx.accounts.shownName(account);
  const source = { accountId, accountName, region };
  ctx.partialErrors.push(new GraphQLError(`${error.message} (account ${accountName}${region ? `, ${region}` : ""}; the other sources answered)`, { path: listing.path, extensions: { ...error.extensions, source } }));
  return { ...source, code: error.code };
}
