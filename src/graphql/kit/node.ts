// A resource's node type, its connection type and its per-request DataLoader, made from one
// declaration; the links between resources load through these loaders, batched per page.
import { createContextCache, type ObjectRef } from "@pothos/core";
import DataLoader from "dataloader";
import { splitAccountKey, type InAccount } from "../../aws/accounts.js";
import type { BatchLookup, Scope } from "../../aws/lookups.js";
import type { JsonSafe } from "../../pagination/source.js";
import { builder, type SchemaTypes } from "../builder.js";
import { countCost } from "../aws-cost.js";
import { badInput } from "../../errors.js";
import type { Connection, CountGroup, FailedSource } from "../connection.js";
import { contractErrorOf } from "../contract-errors.js";
import type { ResourceContext } from "../resource-context.js";
import { exposedFields, type ExposedField } from "./fields.js";

const FailedSourceRef = builder.objectRef<FailedSource>("FailedSource").implement({
  description: "a source (account and region) of a listing that could not be read; the other sources answered",
  fields: (t) => ({
    accountName: t.exposeString("accountName"),
    accountId: t.exposeString("accountId", { nullable: true }),
    region: t.exposeString("region", { nullable: true, description: "null for global services (IAM, S3 buckets) and where an account's regions could not be listed" }),
    code: t.exposeString("code", { description: "the error code of the source's failure" }),
  }),
});

/**
 * What resolveConnection made of a connection, which Pothos types as its own connection shape:
 * the members beyond edges and page info (absent on a connection made elsewhere).
 */
const ourConnection = (connection: object): Partial<Pick<Connection<JsonSafe>, "count" | "countBy" | "fetchedAt" | "failedSources">> => connection;

const CountGroupRef = builder.objectRef<CountGroup>("CountGroup").implement({
  description: "a group of a count: the value its items share (null: they have none), and how many there are",
  fields: (t) => ({ key: t.exposeString("key", { nullable: true }), count: t.exposeInt("count") }),
});

/** What a connection's items can be counted by: the enum value, and each item's key for it. */
export type CountFields = Record<string, { description?: string; key: (node: JsonSafe, tagKey: string | undefined) => string | null; needsTagKey?: boolean }>;

/** The value of a model's member as a group's key. */
const groupKey = (value: JsonSafe): string | null => (value === null || value === undefined ? null : typeof value === "object" ? JSON.stringify(value) : String(value));

/** A model's member, read from the model as JSON. */
const memberOf = (node: JsonSafe, name: string): JsonSafe => (node !== null && typeof node === "object" && !Array.isArray(node) && name in node ? (node as { readonly [key: string]: JsonSafe })[name] : undefined);

/** The value of one tag of a model, null when it has none. */
function tagValue(node: JsonSafe, tagKey: string | undefined): string | null {
  const tags = memberOf(node, "tags");
  if (!Array.isArray(tags)) return null;
  for (const tag of tags) if (memberOf(tag, "key") === tagKey) return groupKey(memberOf(tag, "value"));
  return null;
}

/** CountField's values: a field's name in capitals, words split (instanceType: INSTANCE_TYPE). */
const countValue = (fieldName: string) => fieldName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** What a node type's connection counts by: its scalar fields, ACCOUNT, REGION where it has one, TAG where it has tags. */
function countFieldsOf(fields: Record<string, ExposedField>): CountFields {
  const counted: CountFields = { ACCOUNT: { description: "the account: its name in AWS_ACCOUNTS, \"default\", or a member account's 12-digit id (Organizations names need not be unique)", key: (node) => groupKey(memberOf(node, "account")) } };
  for (const [name, field] of Object.entries(fields)) {
    if (field.hidden) continue;
    if (name === "tags") counted.TAG = { description: "the value of the tag `tagKey`", key: tagValue, needsTagKey: true };
    else if (typeof field.type === "string") counted[countValue(name)] = { description: `the node's ${name}`, key: (node) => groupKey(memberOf(node, name)) };
  }
  return counted;
}

/** A Relay connection type, with the sources its listing could not read, and counts (by group, with `countFields`). */
export function connectionType<Node>(type: ObjectRef<SchemaTypes, Node> | Parameters<typeof builder.connectionObject>[0]["type"], name: string, countFields?: { enumName: string; fields: CountFields }) {
  const countField =
    countFields &&
    builder.enumType(countFields.enumName, {
      description: "what countBy groups by: the node's own fields, its account, its region, or one of its tags",
      values: Object.fromEntries(Object.entries(countFields.fields).map(([value, field]) => [value, { value, description: field.description }])),
    });
  return builder.connectionObject({
    type: type as ObjectRef<SchemaTypes, Node>,
    name,
    fields: (t) => ({
      totalCount: t.int({
        nullable: true,
        description: "how many items the whole listing holds, counted only when asked for (at most MAX_COUNT_AWS_CALLS AWS calls for each source; past that null and a QUERY_TOO_COSTLY error)",
        extensions: { ...countCost(), awsCostGroup: "count" },
        resolve: (connection) => ourConnection(connection).count?.() ?? null,
      }),
      ...(countField && {
        countBy: t.field({
          type: [CountGroupRef],
          args: { field: t.arg({ type: countField, required: true }), tagKey: t.arg.string({ description: "the tag to group by, with field: TAG" }) },
          description: "the whole listing counted by a field, its account, region or a tag: the largest groups first, then by key; read once with totalCount, under the same limits",
          extensions: { ...countCost(), awsCostGroup: "count" },
          resolve: (connection, args) => {
            const field = countFields.fields[String(args.field)];
            if (!field) return [];
            const tagKey = args.tagKey ?? undefined;
            if (field.needsTagKey && !tagKey) throw badInput("countBy(field: TAG) needs `tagKey`.", { argument: "tagKey" });
            if (!field.needsTagKey && tagKey !== undefined) throw badInput("`tagKey` goes with countBy(field: TAG) only.", { argument: "tagKey" });
            return ourConnection(connection).countBy?.((node) => field.key(node, tagKey)) ?? [];
          },
        }),
      }),
      fetchedAt: t.string({
        nullable: true,
        description: "ISO-8601: when AWS gave the oldest answer this page was cut from (answers are shared for AWS_CACHE_SECONDS; send Cache-Control: no-cache to read afresh)",
        resolve: (connection) => ourConnection(connection).fetchedAt ?? null,
      }),
      failedSources: t.field({
        type: [FailedSourceRef],
        description: "sources (accounts, regions) this page passed over because they failed, each also an error on this field's path",
        resolve: (connection) => ourConnection(connection).failedSources ?? [],
      }),
    }),
  });
}

export interface NodeResource<Model> {
  readonly name: string;
  /** the AWS service it is read from, which the caller's policy must allow */
  readonly service: string;
  /** where its ids are unique: its keys carry the region of a regional service */
  readonly scope: Scope;
  readonly ref: ObjectRef<SchemaTypes, Model>;
  readonly connection: ObjectRef<SchemaTypes, Connection<Model>>;
  /** the request's loader: one batch per tick, each key looked up once per request */
  loader(ctx: ResourceContext): DataLoader<string, Model | null>;
}

export interface NodeSpec<Model> {
  /** the GraphQL type */
  name: string;
  description?: string;
  /** the AWS service it is read from, and where its ids are unique */
  service: string;
  scope: Scope;
  /** the key the loader takes, which the node id carries */
  key: (model: Model) => string;
  lookup: BatchLookup<Model, ResourceContext>;
  /** fields that show the stored model's members as they are */
  fields: Record<string, ExposedField>;
  /** fields that do more than read the model (IAM policy details, a bucket's region) */
  resolvedFields?: (t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Model>) => Record<string, ReturnType<typeof t.field>>;
}

export function defineNode<Model extends JsonSafe & InAccount>(spec: NodeSpec<Model>): NodeResource<Model> {
  // A failed lookup stays an Error in its key's place, with its contract code.
  const loaders = createContextCache(
    (ctx: ResourceContext) =>
      new DataLoader<string, Model | null>(async (keys) => {
        if (!ctx.scope.limited) return (await spec.lookup(keys, ctx)).map((found) => (found instanceof Error ? contractErrorOf(found) : found));
        // A key outside the caller's policy is FORBIDDEN in its place, never looked up.
        const refusals = await Promise.all(keys.map((key) => refusalOf(ctx, spec.service, spec.scope, key)));
        const allowed = keys.filter((_key, i) => refusals[i] === undefined);
        const found = allowed.length === 0 ? [] : await spec.lookup(allowed, ctx);
        let next = 0;
        return refusals.map((refusal) => {
          if (refusal) return refusal;
          const one = found[next++] ?? null;
          return one instanceof Error ? contractErrorOf(one) : one;
        });
      }),
  );
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
      accountName: t.string({ description: "the account's name in AWS_ACCOUNTS, \"default\", or a member account's Organizations name", resolve: (model, _args, ctx) => ctx.accounts.shownName(model.account) }),
      accountId: t.string({ resolve: (model, _args, ctx) => ctx.aws.forAccount(model.account).accountId() }),
      ...spec.resolvedFields?.(t),
    }),
  });
  const connection = connectionType(ref, `${spec.name}Connection`, { enumName: `${spec.name}CountField`, fields: countFieldsOf(spec.fields) }) as unknown as ObjectRef<SchemaTypes, Connection<Model>>;
  return { name: spec.name, service: spec.service, scope: spec.scope, ref, connection, loader: loaders };
}

/** The FORBIDDEN error of a key whose account, region or service the caller's policy does not allow. */
async function refusalOf(ctx: ResourceContext, service: string, scope: Scope, key: string): Promise<Error | undefined> {
  if (!ctx.scope.limited) return undefined;
  const inAccount = splitAccountKey(ctx.accounts, key);
  // A key naming no configured account finds nothing, with no call.
  if (!inAccount) return undefined;
  const slash = inAccount.key.indexOf("/");
  const region = scope === "regional" && slash >= 0 ? inAccount.key.slice(0, slash) : undefined;
  try {
    await ctx.scope.checkPlace(service, inAccount.account, region);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
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
