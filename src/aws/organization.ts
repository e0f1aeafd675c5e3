// The organization the gateway reads with its own credentials (AWS_ORGANIZATION_ROLE): every
// account in ListAccounts order, with the root or OU directly above it (ListRoots, then
// ListOrganizationalUnitsForParent and ListAccountsForParent down the tree, a level at a time),
// remembered for AWS_ORGANIZATION_CACHE_SECONDS. Member accounts are reached by assuming the role.
import type { Account as AwsAccount, OrganizationalUnit, Root } from "@aws-sdk/client-organizations";
import { readAll } from "../pagination/engine.js";
import { inactiveAccount, isActive, NotAnAccountError } from "./accounts.js";
import type { RequestAws } from "./clients.js";
import { listSource, tokens, type ListOperation, type PageInput } from "./list-operation.js";
import { namedCommand, type NamedCommand } from "./service-modules.js";
import type { MetadataBearer } from "@smithy/types";
import pLimit from "p-limit";

/** A member account as `organizationAccounts` serves it. */
export type OrganizationAccount = {
  accountId: string;
  name: string;
  email: string | null;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE, ... (AWS's State, or its older Status) */
  status: string;
  joinedTimestamp: string | null;
  /** the root or OU directly above it */
  parentId: string | null;
};

export interface OrganizationTree {
  /** every account, in ListAccounts order */
  readonly accounts: readonly OrganizationAccount[];
  readonly byId: ReadonlyMap<string, OrganizationAccount>;
  /** each root and OU id, with the ids of the accounts below it at any depth, in ListAccounts order */
  readonly below: ReadonlyMap<string, readonly string[]>;
  /** when it was read (ms since the epoch) */
  readonly readAt: number;
}

/** The most Organizations calls one listing of the tree makes: enough for 20,000 accounts or OUs below one parent. */
const MAX_TREE_CALLS = 1_000;

/**
 * Listings of the tree under way at once: few, so that each call waits little for the account's
 * budget of Organizations calls (AWS_CALLS_PER_SECOND), which a whole level at once would spend
 * past its wait.
 */
const TREE_LISTINGS_AT_ONCE = 4;

/** Every Organizations list call pages with NextToken and MaxResults 1..20. */
function listOperation<Output extends MetadataBearer, Item>(command: (input: PageInput) => NamedCommand<Output>, items: (out: Output) => Item[] | undefined): ListOperation<Output, Item> {
  return { service: "organizations", command, tokens: tokens.field("NextToken"), pageSize: { member: "MaxResults", min: 1, max: 20 }, items };
}

const LIST_ACCOUNTS = listOperation((input) => namedCommand("organizations", "ListAccountsCommand", input), (out) => out.Accounts);
const LIST_ROOTS = listOperation((input) => namedCommand("organizations", "ListRootsCommand", input), (out) => out.Roots);
const LIST_OUS = listOperation((input) => namedCommand("organizations", "ListOrganizationalUnitsForParentCommand", { ParentId: "", ...input }), (out) => out.OrganizationalUnits);
const LIST_ACCOUNTS_FOR_PARENT = listOperation((input) => namedCommand("organizations", "ListAccountsForParentCommand", { ParentId: "", ...input }), (out) => out.Accounts);

const accountOf = (a: AwsAccount): OrganizationAccount => ({
  accountId: a.Id ?? "",
  name: a.Name ?? "",
  email: a.Email ?? null,
  status: a.State ?? a.Status ?? "",
  joinedTimestamp: a.JoinedTimestamp ? new Date(a.JoinedTimestamp).toISOString() : null,
  parentId: null,
});

const idOf = (item: AwsAccount | OrganizationalUnit | Root) => item.Id ?? "";

/** A tree older than this many cache times is no longer answered while it is read again: the query waits for the read. */
const STALE_CACHE_TIMES = 3;
/** After a failed read in the background, the next waits this long at most. */
const RETRY_AFTER_MS = 60_000;

export class Organization {
  private reading?: Promise<OrganizationTree>;
  private retryAt = 0;
  /** the tree last read, for what must be known without a call (names shown, cost estimates) */
  lastRead?: OrganizationTree;

  constructor(
    readonly roleName: string,
    readonly externalId: string | undefined,
    private readonly cacheMs: number,
    /** told of each read that failed */
    private readonly onReadFailed: (error: unknown) => void = () => undefined,
  ) {}

  /** The role assumed in a member account. */
  roleArnOf(accountId: string, region: string): string {
    const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    return `arn:${partition}:iam::${accountId}:role/${this.roleName}`;
  }

  /**
   * The tree, read in the gateway's own account (the account of `aws`) when none was read yet.
   * One read older than the cache's time is still answered while it is read again in the
   * background: a large organization takes many calls, and no query should wait for them every
   * so often. With no cache time, or once the last tree is far too old, the query waits for a read.
   */
  tree(aws: RequestAws): Promise<OrganizationTree> {
    const last = this.lastRead;
    const age = last ? Date.now() - last.readAt : Number.POSITIVE_INFINITY;
    if (last && age < this.cacheMs) return Promise.resolve(last);
    if (!last || this.cacheMs === 0 || age >= STALE_CACHE_TIMES * this.cacheMs) return this.read(aws);
    if (Date.now() >= this.retryAt) this.read(aws).catch(() => undefined);
    return Promise.resolve(last);
  }

  /**
   * One read at a time, shared by whoever asks while it is under way; the gateway's own work, read
   * afresh (not from answers shared for AWS_CACHE_SECONDS) and counted in no request.
   */
  private read(aws: RequestAws): Promise<OrganizationTree> {
    this.reading ??= readTree(aws.detached())
      .then(
        (tree) => (this.lastRead = tree),
        (error: unknown) => {
          this.retryAt = Date.now() + Math.min(this.cacheMs, RETRY_AFTER_MS);
          this.onReadFailed(error);
          throw error;
        },
      )
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** NotAnAccountError unless the account is an ACTIVE member: no call is ever made in any other. */
  async checkMember(aws: RequestAws, accountId: string): Promise<void> {
    const account = (await this.tree(aws)).byId.get(accountId);
    if (!account) throw new NotAnAccountError(`Account ${accountId} is not in the organization.`);
    if (!isActive(account)) throw inactiveAccount(accountId, account.status);
  }
}

async function readTree(aws: RequestAws): Promise<OrganizationTree> {
  const limit = pLimit(TREE_LISTINGS_AT_ONCE);
  const all = <Output extends MetadataBearer, Item extends AwsAccount | OrganizationalUnit | Root, Model extends string | OrganizationAccount>(
    operation: ListOperation<Output, Item>,
    toModel: (item: Item) => Model,
    input?: PageInput,
  ) => limit(() => readAll(listSource(aws, aws.defaultRegion, operation, toModel, input), MAX_TREE_CALLS));
  const [accounts, roots] = await Promise.all([all(LIST_ACCOUNTS, accountOf), all(LIST_ROOTS, idOf)]);
  const parentOf = new Map<string, string>();
  const parents: string[] = [...roots];
  for (let level = [...roots]; level.length > 0; ) {
    const children = await Promise.all(
      level.map(async (parent) => {
        const [units, members] = await Promise.all([all(LIST_OUS, idOf, { ParentId: parent }), all(LIST_ACCOUNTS_FOR_PARENT, idOf, { ParentId: parent })]);
        for (const child of [...units, ...members]) parentOf.set(child, parent);
        return units;
      }),
    );
    level = children.flat();
    parents.push(...level);
  }
  const below = new Map<string, string[]>(parents.map((parent) => [parent, []]));
  for (const account of accounts) {
    account.parentId = parentOf.get(account.accountId) ?? null;
    for (let above = account.parentId; above !== null; above = parentOf.get(above) ?? null) below.get(above)?.push(account.accountId);
  }
  return { accounts, byId: new Map(accounts.map((a) => [a.accountId, a])), below, readAt: Date.now() };
}
