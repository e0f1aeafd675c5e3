// Who may see what (GATEWAY_POLICY_FILE): a caller's scope is its own entry joined with the entries
// of its groups; a source (account, region, service) is allowed when one entry allows all three. A
// field that names something outside is FORBIDDEN before any AWS call; `*` and patterns shrink to
// the scope. Without the file every caller may read everything.
import { isAccountId, isParentId, NotAnAccountError, type AccountDirectory, type AccountsNamed } from "../aws/accounts.js";
import type { RequestAws } from "../aws/clients.js";
import { hasPatterns, regionMatches } from "../aws/regions.js";
import type { PolicyEntry, PolicyFile } from "../config.js";
import { ErrorCode, GatewayError } from "../errors.js";

/** A caller's entries: none at all reads nothing; `undefined` (no policy file) reads everything. */
export type CallerScope = readonly PolicyEntry[] | undefined;

/** The entries of a caller and of each of its groups, in that order. */
export function scopeOf(policy: PolicyFile | undefined, caller: string, groups: readonly string[]): CallerScope {
  if (!policy) return undefined;
  const entries: PolicyEntry[] = [];
  if (Object.hasOwn(policy.callers, caller)) entries.push(policy.callers[caller]!);
  for (const group of groups) if (Object.hasOwn(policy.groups, group)) entries.push(policy.groups[group]!);
  return entries;
}

/** Whether a caller may send documents of its own under TRUSTED_DOCUMENTS_ONLY: an entry of its scope says `"explore": true`. */
export const exploreAllowed = (scope: CallerScope): boolean => scope?.some((entry) => entry.explore === true) ?? false;

const serviceIn = (entry: PolicyEntry, service: string) => entry.services === undefined || (entry.services as readonly string[]).includes(service);
const regionIn = (entry: PolicyEntry, region: string | undefined) =>
  region === undefined || entry.regions === undefined || entry.regions.some((r) => regionMatches(r, region));

/** An account in a refusal: by its configured name, never by a member's id the caller may have named otherwise. */
const shown = (account: string) => (isAccountId(account) ? "an account named in `accounts`" : `account "${account}"`);

export const forbidden = (what: string) => new GatewayError(ErrorCode.FORBIDDEN, `The caller's policy does not allow ${what}.`);

/** A caller's scope as one request checks it: account ids are known from the directory (and STS for the default account, only when an entry names an id). */
export class RequestScope {
  constructor(
    readonly entries: CallerScope,
    private readonly accounts: AccountDirectory,
    private readonly aws: RequestAws,
  ) {}

  get limited(): boolean {
    return this.entries !== undefined;
  }

  /**
   * Whether an entry's accounts take this account: by name, by 12-digit id, or "*"; with an
   * organization also by an OU or root above it (never by an Organizations name, which a member
   * account may change itself).
   */
  private async accountIn(entry: PolicyEntry, account: string): Promise<boolean> {
    if (entry.accounts === undefined || entry.accounts.includes("*") || entry.accounts.includes(account)) return true;
    const ids = entry.accounts.filter(isAccountId);
    const parents = entry.accounts.filter(isParentId);
    if (ids.length === 0 && parents.length === 0) return false;
    const id = isAccountId(account) ? account : (this.accounts.all.find((a) => a.name === account)?.accountId ?? (await this.aws.forAccount(account).accountId()));
    if (ids.includes(id)) return true;
    const organization = this.accounts.organization;
    if (!organization || parents.length === 0) return false;
    const tree = await organization.tree(this.aws);
    return parents.some((parent) => tree.below.get(parent)?.includes(id) ?? false);
  }

  /**
   * What an `accounts` argument names, for a caller the policy limits to some accounts: a name
   * that reaches no account (outside the organization, suspended, unknown) is FORBIDDEN like one
   * outside the scope, so that the answer tells nothing of accounts the caller may not see.
   */
  async naming<Named>(resolve: () => Promise<Named>): Promise<Named> {
    // a caller that may see every account (or the whole organization, below its root) learns nothing it may not
    const everyAccount = this.entries?.some((entry) => entry.accounts === undefined || entry.accounts.some((a) => a === "*" || a.startsWith("r-")));
    if (this.entries === undefined || everyAccount) return resolve();
    try {
      return await resolve();
    } catch (error) {
      if (error instanceof NotAnAccountError) throw forbidden("an account named there");
      throw error;
    }
  }

  /** The entries that allow a service in an account. */
  private async entriesFor(service: string, account: string): Promise<PolicyEntry[]> {
    const entries: PolicyEntry[] = [];
    for (const entry of this.entries ?? []) if (serviceIn(entry, service) && (await this.accountIn(entry, account))) entries.push(entry);
    return entries;
  }

  /** FORBIDDEN unless some entry allows the service. */
  checkService(service: string): void {
    if (this.entries !== undefined && !this.entries.some((entry) => serviceIn(entry, service))) throw forbidden(`the service "${service}"`);
  }

  /** Whether one place (an account, and a region for regional services) of a service may be read. */
  async allows(service: string, account: string, region: string | undefined): Promise<boolean> {
    if (this.entries === undefined) return true;
    return (await this.entriesFor(service, account)).some((entry) => regionIn(entry, region));
  }

  /** FORBIDDEN unless that place of the service may be read (a node, a child connection). */
  async checkPlace(service: string, account: string, region: string | undefined): Promise<void> {
    if (await this.allows(service, account, region)) return;
    this.checkService(service);
    throw forbidden(`account "${account}"${region === undefined ? "" : ` in region "${region}"`}`);
  }

  /**
   * A listing's accounts and regions in the scope: an account or region named outright and outside
   * is FORBIDDEN (so is the default account when `accounts` is omitted), and so is an OU or root
   * with no account below it inside; `*`, OUs and patterns shrink to it. `regions` undefined: a
   * global service. Gives the accounts kept and whether a region of an account is kept.
   */
  async listing(service: string, named: AccountsNamed, regions?: readonly string[]): Promise<{ accounts: string[]; keep: (account: string, region: string) => boolean }> {
    if (this.entries === undefined) return { accounts: [...named.accounts], keep: () => true };
    this.checkService(service);
    const allowedIn = new Map<string, PolicyEntry[]>();
    for (const account of named.accounts) {
      const entries = await this.entriesFor(service, account);
      if (entries.length === 0 && named.outright.includes(account)) throw forbidden(`${shown(account)} for ${service}`);
      if (entries.length > 0) allowedIn.set(account, entries);
    }
    const refusedParent = named.parents.find(({ accounts }) => accounts.length > 0 && !accounts.some((account) => allowedIn.has(account)));
    if (refusedParent) throw forbidden(`the accounts below "${refusedParent.parent}" for ${service}`);
    const keep = (account: string, region: string) => allowedIn.get(account)?.some((entry) => regionIn(entry, region)) ?? false;
    for (const region of regions?.filter((r) => !hasPatterns([r])) ?? []) {
      const kept = [...allowedIn.keys()];
      const refused = kept.find((account) => named.outright.includes(account) && !keep(account, region));
      if (refused !== undefined) throw forbidden(`region "${region}" in ${shown(refused)} for ${service}`);
      if (!this.entries.some((entry) => serviceIn(entry, service) && regionIn(entry, region))) throw forbidden(`region "${region}" for ${service}`);
    }
    return { accounts: [...allowedIn.keys()], keep };
  }
}
