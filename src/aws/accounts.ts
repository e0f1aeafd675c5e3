// The accounts a query may name: "default" (the gateway's own credentials) and those of AWS_ACCOUNTS,
// reached by assuming a role; `["*"]` is all of them in configuration order.
import { badInput } from "../errors.js";

export const DEFAULT_ACCOUNT = "default";

export interface Account {
  name: string;
  /** the role assumed to act in the account; none for the gateway's own */
  roleArn?: string;
  externalId?: string;
  /** known from the role ARN; the gateway's own is asked of STS */
  accountId?: string;
}

export class AccountDirectory {
  readonly all: readonly Account[];

  constructor(configured: readonly Account[]) {
    this.all = [{ name: DEFAULT_ACCOUNT }, ...configured];
  }

  /** The accounts an `accounts` argument names, in its order, each once; BAD_USER_INPUT for a name not configured. */
  named(names: readonly string[] | null | undefined): string[] {
    if (names === null || names === undefined) return [DEFAULT_ACCOUNT];
    if (names.length === 0) throw badInput("`accounts` names no account: omit it for the default account, or use [\"*\"] for all.", { argument: "accounts" });
    const chosen: string[] = [];
    for (const name of names) {
      const matched = name === "*" ? this.all.map((a) => a.name) : this.all.some((a) => a.name === name) ? [name] : undefined;
      if (!matched) {
        throw badInput(`Unknown account "${name.slice(0, 64)}": the accounts are ${this.all.map((a) => a.name).join(", ")}.`, { argument: "accounts" });
      }
      for (const account of matched) if (!chosen.includes(account)) chosen.push(account);
    }
    return chosen;
  }

  /** One account by name, as a single-item field's `account` argument names it. */
  one(name: string | null | undefined): string {
    if (name === "*") throw badInput("`account` names one account; use `accounts` on a connection for several.", { argument: "account" });
    return this.named(name === null || name === undefined ? undefined : [name])[0]!;
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

/** The account and the rest of a key, or undefined when it names an account that is not configured. */
export function splitAccountKey(accounts: AccountDirectory, key: string): { account: string; key: string } | undefined {
  const match = ACCOUNT_KEY.exec(key);
  if (!match) return { account: DEFAULT_ACCOUNT, key };
  return accounts.all.some((a) => a.name === match[1]) ? { account: match[1]!, key: match[2]! } : undefined;
}
