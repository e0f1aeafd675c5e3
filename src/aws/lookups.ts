// Models looked up by key for one request, batched as each service allows: by a filter or an ids
// parameter, one call per account, region and batch (EC2), or one call per key where AWS offers
// nothing else. Keys, and so node ids, carry the account (and the region of regional services).
import { ErrorCode, isGatewayError } from "../errors.js";
import { readAll } from "../pagination/engine.js";
import type { JsonSafe, PagedSource } from "../pagination/source.js";
import { splitAccountKey, accountKey, type AccountDirectory, type InAccount } from "./accounts.js";
import type { RequestAws, Service } from "./clients.js";

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

/** Where a service's ids are unique: within an account's region, or within the account (IAM, Route 53). */
export type Scope = "regional" | "global";

/** The loader key, and node id, of an id: it carries the account, and the region of a regional service. */
export const placedKey = (scope: Scope, account: string, region: string | undefined, id: string) =>
  scope === "regional" ? regionalKey(account, region ?? "", id) : accountKey(account, id);

function splitPlacedKey(scope: Scope, ctx: LookupContext, key: string): { account: string; region: string; id: string } | undefined {
  if (scope === "regional") return splitRegionalKey(ctx.accounts, key);
  const inAccount = splitAccountKey(ctx.accounts, key);
  return inAccount && { account: inAccount.account, region: ctx.aws.defaultRegion, id: inAccount.key };
}

export interface KeyedLookupSpec<Model, Ctx extends LookupContext = LookupContext> {
  service: Service;
  /** what the shared cache keeps the models under, per id */
  kind: string;
  scope: Scope;
  /** what an id looks like; anything else is null without a call */
  valid?: (id: string) => boolean;
  /** the most ids one call takes (1: a call per id) */
  idsPerCall: number;
  /** ids that only one call can take together (an ECS cluster's services): calls never mix groups */
  group?: (id: string) => string;
  /** the models of these ids in one account's region, those that exist */
  read: (aws: RequestAws, region: string, ids: string[], ctx: Ctx) => Promise<{ id: string; model: Model }[]>;
}

/**
 * A DataLoader batch over placed keys: one call per account, region, group and `idsPerCall` ids,
 * null where nothing has that id, the error where the call failed, in that key's place only. A
 * batch that fails as not found (EC2 with an ids parameter, ECR) is asked again one id at a time.
 */
export function keyedLookup<Model, Ctx extends LookupContext = LookupContext>(spec: KeyedLookupSpec<Model, Ctx>): BatchLookup<Model, Ctx> {
  return async (keys, ctx) => {
    const found = new Map<string, Model | Error>();
    const read = async (aws: RequestAws, region: string, ids: string[]): Promise<void> => {
      try {
        const models = await aws.lookupKept(spec.service, region, spec.kind, ids, (missing) => spec.read(aws, region, missing, ctx));
        for (const { id, model } of models) found.set(placedKey(spec.scope, aws.account, region, id), model);
      } catch (error) {
        if (isGatewayError(error, ErrorCode.NOT_FOUND)) {
          if (ids.length > 1) await Promise.all(ids.map((id) => read(aws, region, [id])));
          return;
        }
        for (const id of ids) found.set(placedKey(spec.scope, aws.account, region, id), failure(error));
      }
    };
    const batches = new Map<string, { account: string; region: string; ids: Set<string> }>();
    for (const key of keys) {
      const named = splitPlacedKey(spec.scope, ctx, key);
      if (!named || !(spec.valid?.(named.id) ?? true)) continue;
      const batch = `${named.account} ${named.region} ${spec.group?.(named.id) ?? ""}`;
      if (!batches.has(batch)) batches.set(batch, { account: named.account, region: named.region, ids: new Set() });
      batches.get(batch)!.ids.add(named.id);
    }
    await Promise.all(
      [...batches.values()].flatMap(({ account, region, ids }) => {
        try {
          ctx.aws.region(region);
        } catch (error) {
          for (const id of ids) found.set(placedKey(spec.scope, account, region, id), failure(error));
          return [];
        }
        const aws = ctx.aws.forAccount(account);
        const all = [...ids];
        const calls: Promise<void>[] = [];
        for (let i = 0; i < all.length; i += spec.idsPerCall) calls.push(read(aws, region, all.slice(i, i + spec.idsPerCall)));
        return calls;
      }),
    );
    return keys.map((key) => found.get(key) ?? null);
  };
}

/**
 * EC2's lookups: one Describe call per account, region and 200 ids. They go by filter where EC2
 * has one: with an ids parameter, one unknown id fails the whole call with `*.NotFound`.
 */
export function regionalLookup<Model extends InAccount & { region: string } & JsonSafe>(
  kind: string,
  pattern: RegExp,
  source: (aws: RequestAws, region: string, ids: string[]) => PagedSource<Model>,
  idOf: (model: Model) => string,
): BatchLookup<Model> {
  return keyedLookup({
    service: "ec2",
    kind,
    scope: "regional",
    valid: (id) => pattern.test(id),
    idsPerCall: IDS_PER_LOOKUP,
    read: async (aws, region, ids, ctx) => (await readAll(source(aws, region, ids), ctx.paging.maxAwsCallsPerPage)).map((model) => ({ id: idOf(model), model })),
  });
}
