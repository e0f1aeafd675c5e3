// The context of one request: who is calling, AWS as this request uses it, the cursor map, held
// pages and the paging limits: what resources see (ResourceContext), made here from configuration.
import type { AccountDirectory } from "./aws/accounts.js";
import { RequestAws, type AwsClients } from "./aws/clients.js";
import type { Config } from "./config.js";
import type { ResourceContext } from "./graphql/resource-context.js";
import { RequestScope, scopeOf } from "./graphql/policy.js";
import type { Span } from "./tracing.js";
import type { CursorMap } from "./pagination/cursor-records.js";
import type { HeldPages } from "./pagination/held-pages.js";

export type GatewayContext = ResourceContext;

export interface SharedState {
  config: Pick<Config, "DEFAULT_PAGE_SIZE" | "MAX_PAGE_SIZE" | "MAX_AWS_CALLS_PER_PAGE" | "AWS_FANOUT_CONCURRENCY" | "MAX_COUNT_AWS_CALLS" | "MAX_QUERY_AWS_CALLS"> & Partial<Pick<Config, "GATEWAY_POLICY_FILE">>;
  clients: AwsClients;
  accounts: AccountDirectory;
  cursors: CursorMap;
  heldPages: HeldPages;
}

export function requestContext(shared: SharedState, request: { requestId: string; caller: string; groups?: string[]; fresh?: boolean; span?: Span }): GatewayContext {
  const aws = new RequestAws(shared.clients, undefined, undefined, request.fresh ?? false, request.span);
  return {
    requestId: request.requestId,
    caller: request.caller,
    groups: request.groups ?? [],
    aws,
    accounts: shared.accounts,
    scope: new RequestScope(scopeOf(shared.config.GATEWAY_POLICY_FILE, request.caller, request.groups ?? []), shared.accounts, aws),
    cursors: shared.cursors,
    heldPages: shared.heldPages,
    paging: {
      defaultPageSize: shared.config.DEFAULT_PAGE_SIZE,
      maxPageSize: shared.config.MAX_PAGE_SIZE,
      maxAwsCallsPerPage: shared.config.MAX_AWS_CALLS_PER_PAGE,
      fanoutConcurrency: shared.config.AWS_FANOUT_CONCURRENCY,
      maxCountAwsCalls: shared.config.MAX_COUNT_AWS_CALLS,
      maxQueryAwsCalls: shared.config.MAX_QUERY_AWS_CALLS,
    },
    partialErrors: [],
  };
}
