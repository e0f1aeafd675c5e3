// What a resource's resolvers may use, defined here so resources never import the entry layer:
// AWS as this request sees it, the cursor map, held pages, and the paging limits.
import type { GraphQLError } from "graphql";
import type { AccountDirectory } from "../aws/accounts.js";
import type { RequestAws } from "../aws/clients.js";
import type { CursorMap } from "../pagination/cursor-records.js";
import type { HeldPages } from "../pagination/held-pages.js";
import type { RequestScope } from "./policy.js";

export interface PagingLimits {
  /** `first` when omitted */
  defaultPageSize: number;
  /** the largest `first` accepted */
  maxPageSize: number;
  /** most AWS calls one page (or one batch of lookups) may make */
  maxAwsCallsPerPage: number;
  /** how many sources (account and region) one page may read at once */
  fanoutConcurrency: number;
  /** most AWS calls a count (totalCount, countBy) may make in each of its sources */
  maxCountAwsCalls: number;
  /** most AWS calls the whole query may make (MAX_QUERY_AWS_CALLS), which a count checks as it reads */
  maxQueryAwsCalls: number;
}

export interface ResourceContext {
  /** the caller's x-request-id when it is plain, or one made up; logs and the response carry it */
  requestId: string;
  /** the caller's name from GATEWAY_API_KEYS or its token's caller claim, or "anonymous" when the gateway is open */
  caller: string;
  /** the caller's groups, from its token's groups claim (GATEWAY_JWT_GROUPS_CLAIM); none for an API key */
  groups: string[];
  /** AWS in the default account; `aws.forAccount(name)` for another */
  aws: RequestAws;
  accounts: AccountDirectory;
  /** what the caller may read (GATEWAY_POLICY_FILE): checked before any AWS call */
  scope: RequestScope;
  cursors: CursorMap;
  heldPages: HeldPages;
  paging: PagingLimits;
  /** errors of fields that still answered (a failed source of a listing), added to the answer's errors */
  partialErrors: GraphQLError[];
}
