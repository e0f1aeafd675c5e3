// The accounts a query may name: "default" (the gateway's own credentials) and those of AWS_ACCOUNTS,
// reached by assuming a role; `["*"]` is all of them in configuration order. With an organization
// (AWS_ORGANIZATION_ROLE), also its ACTIVE member accounts, named by id, by Organizations name, or
// by an OU or root above them; a member is known in the gateway by its 12-digit id.
import { badInput, ErrorCode, GatewayError } from "../errors.js";
import type { RequestAws } from "./clients.js";
import type { Organization, OrganizationAccount } from "./organization.js";

export const DEFAULT_ACCOUNT = "default";

/** A 12-digit account id. */
export const isAccountId = (name: string) => /^\d{12}$/.test(name);

/** An organizational unit (`ou-`) or root (`r-`) id. */
export const isParentId = (name: string) => /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/.test(name);

/** Only ACTIVE accounts of an organization are read. */
export const isActive = (account: OrganizationAccount) => account.status === "ACTIVE";

export interface Account {
  name: string;
  /** the role assumed to act in the account; none for the gateway's own */
  roleArn?: string;
  externalId?: string;
  /** known from the role ARN; the gateway's own is asked of STS */
  accountId?: string;
}

/** The accounts an `accounts` argument reaches, and how it named them. */
export interface AccountsNamed {
  accounts: string[];
  /** named by name or id (omitted: the default account) */
  outright: string[];
  /** each OU or root named, with the accounts below it */
  parents: { parent: string; accounts: string[] }[];
}

/**
 * BAD_USER_INPUT for a name that reaches no account the gateway reads (unknown, outside the
 * organization, suspended): a caller whose policy limits it is told FORBIDDEN instead, which says
 * nothing of the organization outside its scope.
 */
export class NotAnAccountError extends GatewayError {
  constructor(message: string, argument = "accounts") {
    super(ErrorCode.BAD_USER_INPUT, message, { argument });
  }
}

/** An account of the organization that is not ACTIVE (SUSPENDED, PENDING_CLOSURE, CLOSED): never read. */
export const inactiveAccount = (account: string, status: string) => new NotAnAccountError(`Account ${account} is ${status} in the organization: only ACTIVE accounts are read.`);

const unknownAccount = (name: string, known: string) => new NotAnAccountError(`Unknown account "${name.slice(0, 64)}": the accounts are ${known}.`);

export class AccountDirectory {
  readonly all: readonly Account[];

  constructor(
    configured: readonly Account[],
    readonly organization?: Organization,
  ) {
    this.all = [{ name: DEFAULT_ACCOUNT }, ...configured];
  }

  /** Whether a name may be an account's: configured, "default", or (with an organization) a 12-digit id. */
  has(name: string): boolean {
    return this.all.some((a) => a.name === name) || (this.organization !== undefined && isAccountId(name));
  }

  /**
   * The accounts an `accounts` argument names, in its order, each once; BAD_USER_INPUT for a name
   * that is not an account, before any call in one. `aws` is the gateway's own account, which
   * reads the organization when a name needs it. Also tells which were named outright (by name
   * or id; omitted, the default account) and which OUs or roots were named, with their accounts.
   */
  async named(names: readonly string[] | null | undefined, aws: RequestAws): Promise<AccountsNamed> {
    if (names === null || names === undefined) return { accounts: [DEFAULT_ACCOUNT], outright: [DEFAULT_ACCOUNT], parents: [] };
    if (names.length === 0) throw badInput("`accounts` names no account: omit it for the default account, or use [\"*\"] for all.", { argument: "accounts" });
    const chosen = new Set<string>();
    const outright = new Set<string>();
    const parents: AccountsNamed["parents"] = [];
    for (const name of names) {
      const accounts = await this.accountsOf(name, aws);
      for (const account of accounts) chosen.add(account);
      if (this.organization && isParentId(name)) parents.push({ parent: name, accounts });
      else if (name !== "*") for (const account of accounts) outright.add(account);
    }
    return { accounts: [...chosen], outright: [...outright], parents };
  }

  /** One account by name, as a single-item field's `account` argument names it. */
  async one(name: string | null | undefined, aws: RequestAws): Promise<string> {
    if (name === "*" || (name && isParentId(name))) throw badInput("`account` names one account; use `accounts` on a connection for several.", { argument: "account" });
    const { accounts } = await this.named(name === null || name === undefined ? undefined : [name], aws);
    if (accounts.length > 1) throw new NotAnAccountError(`"${name!.slice(0, 64)}" names several accounts of the organization; name one by its id.`, "account");
    return accounts[0]!;
  }

  /** The account with a 12-digit id, as the gateway knows it; undefined when it is none it may read. */
  async withId(accountId: string, aws: RequestAws): Promise<string | undefined> {
    try {
      return await this.byId(accountId, aws);
    } catch (error) {
      if (error instanceof NotAnAccountError) return undefined;
      throw error;
    }
  }

  /** The account with a 12-digit id: a configured one by its name, the gateway's own as "default", else an ACTIVE member. */
  private async byId(accountId: string, aws: RequestAws): Promise<string> {
    const configured = this.all.find((a) => a.accountId === accountId)?.name;
    if (configured !== undefined) return configured;
    if (accountId === (await aws.accountId().catch(() => undefined))) return DEFAULT_ACCOUNT;
    if (!this.organization) throw unknownAccount(accountId, this.all.map((a) => a.name).join(", "));
    await this.organization.checkMember(aws, accountId);
    return accountId;
  }

  /** An account's name as nodes show it: its configured name, "default", or a member's Organizations name. */
  shownName(account: string): string {
    return (isAccountId(account) && this.organization?.lastRead?.byId.get(account)?.name) || account;
  }

  /** How many accounts an `accounts` argument reaches, without a call: for cost estimates, from the organization last read. */
  reach(names: readonly string[]): number {
    const tree = this.organization?.lastRead;
    const active = tree?.accounts.filter(isActive) ?? [];
    let count = 0;
    for (const name of new Set(names)) {
      if (name === "*") {
        // the management account is "default"; a configured member is counted once
        const members = active.filter((a) => !this.all.some((c) => c.accountId === a.accountId));
        count += this.all.length + Math.max(0, members.length - 1);
      } else if (tree && isParentId(name)) count += tree.below.get(name)?.length ?? 0;
      else if (tree && !this.all.some((a) => a.name === name) && !isAccountId(name)) count += Math.max(1, active.filter((a) => a.name === name).length);
      else count += 1;
    }
    return count;
  }

  private async accountsOf(name: string, aws: RequestAws): Promise<string[]> {
    const configured = this.all.map((a) => a.name);
    if (name !== "*" && configured.includes(name)) return [name];
    if (!this.organization) {
      if (name === "*") return configured;
      throw unknownAccount(name, configured.join(", "));
    }
    const tree = await this.organization.tree(aws);
    const members = (ids: readonly string[]) => this.namesOf(ids, aws);
    if (name === "*") return [...configured, ...(await members(tree.accounts.filter(isActive).map((a) => a.accountId)))];
    if (isParentId(name)) {
      const below = tree.below.get(name);
      if (!below) throw new NotAnAccountError(`"${name}" is not an organizational unit or root of the organization.`);
      return members(below.filter((id) => isActive(tree.byId.get(id)!)));
    }
    if (isAccountId(name)) return [await this.byId(name, aws)];
    const withName = tree.accounts.filter((a) => a.name === name);
    if (withName.length === 0) throw unknownAccount(name, `${configured.join(", ")}, and the organization's account ids, names, OU ids and root`);
    const active = withName.filter(isActive);
    if (active.length === 0) throw inactiveAccount(`"${name.slice(0, 64)}"`, withName[0]!.status);
    return members(active.map((a) => a.accountId));
  }

  /** Accounts of the organization as the gateway knows them: its own as "default", a configured one by its name, the rest by id. */
  async namesOf(ids: readonly string[], aws: RequestAws): Promise<string[]> {
    const own = await aws.accountId();
    return ids.map((id) => (id === own ? DEFAULT_ACCOUNT : (this.all.find((a) => a.accountId === id)?.name ?? id)));
  }
}

/** Every model knows the account it was read in (its configured name). */
export type InAccount = { account: string };

const ACCOUNT_KEY = /^~([A-Za-z0-9_-]{1,64})~([\s\S]*)$/;

/**
 * A loader key (and so a node id) in an account: as it always was for the default account, and
 * `~name~` before it for another (no AWS name of a key starts with "~").
 */
export const accountKey = (account: string, key: string) => (account === DEFAULT_ACCOUNT ? key : `~${account}~${key}`);

/** The account and the rest of a key, or undefined when it names no account the gateway may know. */
export function splitAccountKey(accounts: AccountDirectory, key: string): { account: string; key: string } | undefined {
  const match = ACCOUNT_KEY.exec(key);
  if (!match) return { account: DEFAULT_ACCOUNT, key };
  return accounts.has(match[1]!) ? { account: match[1]!, key: match[2]! } : undefined;
}
