// A listing over several sources (accounts, and regions of regional services) as one PagedSource:
// sources in their order, read at once where a page needs several, a failed source reported and
// passed over. Region patterns expand against the regions enabled for each account.
import { DescribeRegionsCommand } from "@aws-sdk/client-ec2";
import { ErrorCode, isGatewayError } from "../errors.js";
import { concatSources } from "../pagination/concat.js";
import type { HeldPages } from "../pagination/held-pages.js";
import type { JsonSafe, PagedSource } from "../pagination/source.js";
import type { RequestAws } from "./clients.js";
import { expandRegions, hasPatterns } from "./regions.js";

/** What a listing over sources needs of the request: its AWS, its held pages, how many sources it reads at once. */
export interface SourcesContext {
  aws: RequestAws;
  heldPages: HeldPages;
  paging: { fanoutConcurrency: number };
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
 * One listing over its sources in their order. A single source is the listing itself, and fails
 * the field as it always did.
 */
export function listingOver<Node extends JsonSafe>(ctx: SourcesContext, sources: readonly ListingSource<Node>[]): PagedSource<Node> {
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

/** A global service's listing over the accounts a field names, in their order: one source per account. */
export function accountsListing<Model extends JsonSafe>(ctx: SourcesContext, accounts: readonly string[], source: (aws: RequestAws) => PagedSource<Model>): PagedSource<Model> {
  return listingOver(
    ctx,
    accounts.map((accountName) => ({ accountName, region: null, source: source(ctx.aws.forAccount(accountName)) })),
  );
}

/** A source that can only fail: where an account's regions could not even be listed. */
export function failingSource<Node extends JsonSafe>(error: unknown): PagedSource<Node> {
  return { minPageSize: 1, maxPageSize: Number.MAX_SAFE_INTEGER, fetchPage: () => Promise.reject(error) };
}

/** How long the regions enabled for an account (DescribeRegions) are remembered. */
const ENABLED_REGIONS_TTL_MS = 10 * 60_000;

/** The regions enabled for an account: those that need no opt-in, and those it opted in to. */
function enabledRegions(aws: RequestAws): Promise<string[]> {
  return aws.regionsEnabled(async () => {
    const out = await aws.send("ec2", aws.defaultRegion, new DescribeRegionsCommand({}));
    return (out.Regions ?? []).filter((r) => r.OptInStatus !== "not-opted-in").flatMap((r) => (r.RegionName ? [r.RegionName] : []));
  }, ENABLED_REGIONS_TTL_MS);
}

/**
 * A regional listing: every account named, in order, times its regions (names in order, patterns
 * expanded against the regions enabled for that account), those `keep` keeps (the caller's
 * scope). An account whose regions cannot be listed is one failed source.
 */
export function regionalListing<Model extends JsonSafe>(
  ctx: SourcesContext,
  accounts: readonly string[],
  asked: readonly string[],
  source: (aws: RequestAws, region: string) => PagedSource<Model>,
  keep: (accountName: string, region: string) => boolean = () => true,
): PagedSource<Model> | Promise<PagedSource<Model>> {
  if (hasPatterns(asked)) return expandedListing(ctx, accounts, asked, source, keep);
  // Regions named outright: the listing is made at once, with no turn of waiting for each account.
  const sources: ListingSource<Model>[] = [];
  for (const accountName of accounts) {
    const aws = ctx.aws.forAccount(accountName);
    for (const region of asked) if (keep(accountName, region)) sources.push({ accountName, region, source: source(aws, region) });
  }
  return listingOver(ctx, sources);
}

/** A regional listing whose region patterns are expanded for each account, the accounts at once. */
async function expandedListing<Model extends JsonSafe>(
  ctx: SourcesContext,
  accounts: readonly string[],
  asked: readonly string[],
  source: (aws: RequestAws, region: string) => PagedSource<Model>,
  keep: (accountName: string, region: string) => boolean,
): Promise<PagedSource<Model>> {
  const perAccount = await Promise.all(
    accounts.map(async (accountName): Promise<ListingSource<Model>[]> => {
      const aws = ctx.aws.forAccount(accountName);
      try {
        return expandRegions(asked, await enabledRegions(aws))
          .filter((region) => keep(accountName, region))
          .map((region) => ({ accountName, region, source: source(aws, region) }));
      } catch (error) {
        return [{ accountName, region: null, source: failingSource(error) }];
      }
    }),
  );
  return listingOver(ctx, perAccount.flat());
}
