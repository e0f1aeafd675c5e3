// A resource's node type, its connection type and its per-request DataLoader, made from one
// declaration; the links between resources load through these loaders, batched per page.
import { createContextCache, type ObjectRef } from "@pothos/core";
import DataLoader from "dataloader";
import { DEFAULT_ACCOUNT } from "../../aws/accounts.js";
import { ErrorCode, isGatewayError } from "../../errors.js";
import type { JsonSafe } from "../../pagination/source.js";
import { builder, type SchemaTypes } from "../builder.js";
import { countCost } from "../aws-cost.js";
import { contractErrorOf, type Connection, type FailedSource } from "../connection.js";
import type { ResourceContext } from "../resource-context.js";
import { exposedFields, type ExposedField } from "./fields.js";

/** Every model knows the account it was read in (its configured name). */
export type InAccount = { account: string };

const ACCOUNT_KEY = /^~([A-Za-z0-9_-]{1,64})~([\s\S]*)$/;

/**
 * A loader key (and so a node id) in an account: as it always was for the default account, and
 * `~name~` before it for another (no AWS name of a key starts with "~").
 */
export const accountKey = (account: string, key: string) => (account === DEFAULT_ACCOUNT ? key : `~${account}~${key}`);

/** The account and the rest of a key, or undefined when it names an account that is not configured. */
export function splitAccountKey(ctx: ResourceContext, key: string): { account: string; key: string } | undefined {
  const match = ACCOUNT_KEY.exec(key);
  if (!match) return { account: DEFAULT_ACCOUNT, key };
  return ctx.accounts.all.some((a) => a.name === match[1]) ? { account: match[1]!, key: match[2]! } : undefined;
}

const FailedSourceRef = builder.objectRef<FailedSource>("FailedSource").implement({
  description: "a source (account and region) of a listing that could not be read; the other sources answered",
  fields: (t) => ({
    accountName: t.exposeString("accountName"),
    accountId: t.exposeString("accountId", { nullable: true }),
    region: t.exposeString("region", { nullable: true, description: "null for global services (IAM, S3 buckets) and where an account's regions could not be listed" }),
    code: t.exposeString("code", { description: "the error code of the source's failure" }),
  }),
});

/** A Relay connection type, with the sources its listing could not read. */
export function connectionType<Node>(type: ObjectRef<SchemaTypes, Node> | Parameters<typeof builder.connectionObject>[0]["type"], name: string) {
  return builder.connectionObject({
    type: type as ObjectRef<SchemaTypes, Node>,
    name,
    fields: (t) => ({
      totalCount: t.int({
        nullable: true,
        description: "how many items the whole listing holds, counted only when asked for (at most MAX_COUNT_AWS_CALLS AWS calls; past that null and a QUERY_TOO_COSTLY error)",
        extensions: countCost(),
        resolve: (connection) => (connection as unknown as { count?: () => Promise<number> }).count?.() ?? null,
      }),
      fetchedAt: t.string({
        nullable: true,
        description: "ISO-8601: when AWS gave the oldest answer this page was cut from (answers are shared for AWS_CACHE_SECONDS; send Cache-Control: no-cache to read afresh)",
        resolve: (connection) => (connection as unknown as { fetchedAt?: string | null }).fetchedAt ?? null,
      }),
      failedSources: t.field({
        type: [FailedSourceRef],
        description: "sources (accounts, regions) this page passed over because they failed, each also an error on this field's path",
        resolve: (connection) => (connection as unknown as { failedSources?: FailedSource[] }).failedSources ?? [],
      }),
    }),
  });
}

/** Loads models by key for one request: null where nothing has that key, an Error where the lookup failed. */
export type BatchLookup<Model> = (keys: readonly string[], ctx: ResourceContext) => Promise<(Model | null | Error)[]>;

export interface NodeResource<Model> {
  readonly name: string;
  readonly ref: ObjectRef<SchemaTypes, Model>;
  readonly connection: ObjectRef<SchemaTypes, Connection<Model>>;
  /** the request's loader: one batch per tick, each key looked up once per request */
  loader(ctx: ResourceContext): DataLoader<string, Model | null>;
}

export interface NodeSpec<Model> {
  /** the GraphQL type */
  name: string;
  description?: string;
  /** the key the loader takes, which the node id carries */
  key: (model: Model) => string;
  lookup: BatchLookup<Model>;
  /** fields that show the stored model's members as they are */
  fields: Record<string, ExposedField>;
  /** fields that do more than read the model (IAM policy details, a bucket's region) */
  resolvedFields?: (t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Model>) => Record<string, ReturnType<typeof t.field>>;
}

export function defineNode<Model extends JsonSafe & InAccount>(spec: NodeSpec<Model>): NodeResource<Model> {
  const loaders = createContextCache((ctx: ResourceContext) => new DataLoader<string, Model | null>((keys) => spec.lookup(keys, ctx)));
  const ref = builder.objectRef<Model>(spec.name);
  builder.node(ref, {
    description: spec.description,
    id: { resolve: spec.key },
    // Settled values, which Pothos brands with their type (a promise it would brand in their place).
    // A failed lookup stays an Error in its place: graphql-js raises it for that node alone, where
    // Pothos' own loadMany would fail all the ids with it. The loader caches per request already.
    loadManyWithoutCache: async (keys, ctx) => (await loaders(ctx).loadMany(keys)) as (Model | null)[],
    fields: (t) => ({
      ...exposedFields(t, spec.fields),
      accountName: t.string({ description: "the account's name in AWS_ACCOUNTS, or \"default\"", resolve: (model) => model.account }),
      accountId: t.string({ resolve: (model, _args, ctx) => ctx.aws.forAccount(model.account).accountId() }),
      ...spec.resolvedFields?.(t),
    }),
  });
  const connection = connectionType(ref, `${spec.name}Connection`) as unknown as ObjectRef<SchemaTypes, Connection<Model>>;
  return { name: spec.name, ref, connection, loader: loaders };
}

/**
 * A resolver's answer for a field whose type is a generic model's: Pothos decides whether a
 * field's shape is a list with a conditional type, which TypeScript cannot settle for a type
 * parameter. The shape is right by construction (the field's type is the model's own), so it is
 * handed over unchecked, here and nowhere else.
 */
export const pothosShape = <Value>(value: Promise<Value>) => value as never;

/** The model with this key, null when there is none (or no key). */
export function loadOne<Model>(resource: NodeResource<Model>, ctx: ResourceContext, key: string | undefined): Promise<Model | null> {
  return key === undefined ? Promise.resolve(null) : resource.loader(ctx).load(key);
}

/**
 * The models that exist, in the order of their keys; a vanished one is left out. A lookup that
 * failed fails the field: a list missing what AWS would not tell is not a shorter list.
 */
export async function loadExisting<Model>(resource: NodeResource<Model>, ctx: ResourceContext, keys: readonly string[]): Promise<Model[]> {
  const loaded = await resource.loader(ctx).loadMany(keys);
  const models: Model[] = [];
  for (const model of loaded) {
    if (model instanceof Error) throw model;
    if (model !== null) models.push(model);
  }
  return models;
}

/**
 * A lookup for services with no batch Get: one call per key (in the account the key names), in
 * parallel; null for a key that
 * cannot name anything (no call made) or that AWS says does not exist, the error for any other
 * failure, so it surfaces on that key's field alone.
 */
export function lookupEach<Model>(
  valid: (key: string) => boolean,
  fetch: (key: string, ctx: ResourceContext, account: string) => Promise<Model | undefined>,
): BatchLookup<Model> {
  return (keys, ctx) =>
    Promise.all(
      keys.map(async (accountScoped) => {
        const inAccount = splitAccountKey(ctx, accountScoped);
        if (!inAccount || !valid(inAccount.key)) return null;
        try {
          return (await fetch(inAccount.key, ctx, inAccount.account)) ?? null;
        } catch (error) {
          return isGatewayError(error, ErrorCode.NOT_FOUND) ? null : (contractErrorOf(error) as Error);
        }
      }),
    );
}
