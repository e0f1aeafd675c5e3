// Models looked up by key for one request, batched as each service allows: by a filter or an ids
// parameter, one call per account, region and batch (EC2), or one call per key where AWS offers
// nothing else. Keys, and so node ids, carry the account (and the region of regional services).
import { ErrorCode, isGatewayError } from "../errors.js";
import { readAll } from "../pagination/engine.js";
import type { JsonSafe, PagedSource } from "../pagination/source.js";
import { splitAccountKey, accountKey, type AccountDirectory, type InAccount } from "./accounts.js";
import type { RequestAws } from "./clients.js";

/** How many ids one batched lookup call takes (EC2 filters take 200 values). */
export const IDS_PER_LOOKUP = 200;

/** What a lookup needs of the request: its AWS, the accounts keys may name, and the bound on calls. */
export interface LookupContext {
  aws: RequestAws;
  accounts: AccountDirectory;
  paging: { maxAwsCallsPerPage: number };
}

/** Loads models by key for one request: null where nothing has that key, an Error where the lookup failed. */
export type BatchLookup<Model, Ctx extends LookupContext = LookupContext> = (keys: readonly string[], ctx: Ctx) => Promise<(Model | null | Error)[]>;

/** A failure kept in a key's place: an Error as it is, anything else wrapped. */
const failure = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** EC2 ids are unique within an account's region only: loader keys and node ids carry all three. */
export const regionalKey = (account: string, region: string, id: string) => accountKey(account, `${region}/${id}`);

function splitRegionalKey(accounts: AccountDirectory, key: string): { account: string; region: string; id: string } | undefined {
  const inAccount = splitAccountKey(accounts, key);
  if (!inAccount) return undefined;
  const slash = inAccount.key.indexOf("/");
  return slash < 0 ? undefined : { account: inAccount.account, region: inAccount.key.slice(0, slash), id: inAccount.key.slice(slash + 1) };
}

/**
 * A lookup for services with no batch Get: one call per key (in the account the key names), in
 * parallel; null for a key that
 * cannot name anything (no call made) or that AWS says does not exist, the error for any other
 * failure, so it surfaces on that key's field alone.
 */
export function lookupEach<Model, Ctx extends LookupContext = LookupContext>(
  valid: (key: string) => boolean,
  fetch: (key: string, ctx: Ctx, account: string) => Promise<Model | undefined>,
): BatchLookup<Model, Ctx> {
  return (keys, ctx) =>
    Promise.all(
      keys.map(async (accountScoped) => {
        const inAccount = splitAccountKey(ctx.accounts, accountScoped);
        if (!inAccount || !valid(inAccount.key)) return null;
        try {
          return (await fetch(inAccount.key, ctx, inAccount.account)) ?? null;
        } catch (error) {
          return isGatewayError(error, ErrorCode.NOT_FOUND) ? null : failure(error);
        }
      }),
    );
}

/**
 * A DataLoader batch over account-and-region keys: one Describe call per account, region and 200
 * ids, null where nothing has that id. Lookups go by filter where EC2 has one: with an ids
 * parameter, one unknown id fails the whole call with `*.NotFound`, and then each id is asked alone.
 */
export function regionalLookup<Model extends InAccount & { region: string } & JsonSafe>(
  kind: string,
  pattern: RegExp,
  source: (aws: RequestAws, region: string, ids: string[]) => PagedSource<Model>,
  idOf: (model: Model) => string,
): BatchLookup<Model> {
  return async (keys, ctx) => {
    const found = new Map<string, Model | Error>();
    const read = async (aws: RequestAws, region: string, ids: string[]): Promise<void> => {
      try {
        const models = await aws.lookupKept("ec2", region, kind, ids, async (missing) =>
          (await readAll(source(aws, region, missing), ctx.paging.maxAwsCallsPerPage)).map((model) => ({ id: idOf(model), model })),
        );
        for (const { id, model } of models) found.set(regionalKey(aws.account, region, id), model);
      } catch (error) {
        if (isGatewayError(error, ErrorCode.NOT_FOUND)) {
          if (ids.length > 1) await Promise.all(ids.map((id) => read(aws, region, [id])));
          return;
        }
        for (const id of ids) found.set(regionalKey(aws.account, region, id), failure(error));
      }
    };
    const bySource = new Map<string, { account: string; region: string; ids: Set<string> }>();
    for (const key of keys) {
      const named = splitRegionalKey(ctx.accounts, key);
      if (!named || !pattern.test(named.id)) continue;
      const group = `${named.account} ${named.region}`;
      if (!bySource.has(group)) bySource.set(group, { account: named.account, region: named.region, ids: new Set() });
      bySource.get(group)!.ids.add(named.id);
    }
    await Promise.all(
      [...bySource.values()].flatMap(({ account, region, ids }) => {
        try {
          ctx.aws.region(region);
        } catch (error) {
          for (const id of ids) found.set(regionalKey(account, region, id), failure(error));
          return [];
        }
        const aws = ctx.aws.forAccount(account);
        const all = [...ids];
        const batches: Promise<void>[] = [];
        for (let i = 0; i < all.length; i += IDS_PER_LOOKUP) batches.push(read(aws, region, all.slice(i, i + IDS_PER_LOOKUP)));
        return batches;
      }),
    );
    return keys.map((key) => found.get(key) ?? null);
  };
}
