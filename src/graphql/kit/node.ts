// A resource's node type, its connection type and its per-request DataLoader, made from one
// declaration; the links between resources load through these loaders, batched per page.
import { createContextCache, type ObjectRef } from "@pothos/core";
import DataLoader from "dataloader";
import { ErrorCode, isGatewayError } from "../../errors.js";
import type { JsonSafe } from "../../pagination/source.js";
import { builder, type SchemaTypes } from "../builder.js";
import type { Connection } from "../connection.js";
import type { ResourceContext } from "../resource-context.js";
import { exposedFields, type ExposedField } from "./fields.js";

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

export function defineNode<Model extends JsonSafe>(spec: NodeSpec<Model>): NodeResource<Model> {
  const loaders = createContextCache((ctx: ResourceContext) => new DataLoader<string, Model | null>((keys) => spec.lookup(keys, ctx)));
  const ref = builder.objectRef<Model>(spec.name);
  builder.node(ref, {
    description: spec.description,
    id: { resolve: spec.key },
    // One promise per id: a failed lookup fails its own node, not the whole list.
    loadMany: (keys, ctx) => keys.map((key) => loaders(ctx).load(key)),
    fields: (t) => ({ ...exposedFields(t, spec.fields), ...spec.resolvedFields?.(t) }),
  });
  const connection = builder.connectionObject({ type: ref, name: `${spec.name}Connection` }) as ObjectRef<SchemaTypes, Connection<Model>>;
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
 * A lookup for services with no batch Get: one call per key, in parallel; null for a key that
 * cannot name anything (no call made) or that AWS says does not exist, the error for any other
 * failure, so it surfaces on that key's field alone.
 */
export function lookupEach<Model>(valid: (key: string) => boolean, fetch: (key: string, ctx: ResourceContext) => Promise<Model | undefined>): BatchLookup<Model> {
  return (keys, ctx) =>
    Promise.all(
      keys.map(async (key) => {
        if (!valid(key)) return null;
        try {
          return (await fetch(key, ctx)) ?? null;
        } catch (error) {
          return isGatewayError(error, ErrorCode.NOT_FOUND) ? null : (error as Error);
        }
      }),
    );
}
