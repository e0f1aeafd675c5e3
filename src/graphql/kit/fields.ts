// Fields written once: each names its GraphQL type and how its value is read from the AWS item.
// The model a resource stores (JSON-safe, held and cached as JSON) is made of these values, and
// the GraphQL fields expose them as they are.
import type { ObjectRef } from "@pothos/core";
import type { JsonSafe } from "../../pagination/source.js";
import { builder, Tag, type SchemaTypes, type TagModel } from "../builder.js";

type Scalar = "String" | "Int" | "Float" | "Boolean";
type OutputType = Scalar | [Scalar] | ObjectRef<SchemaTypes, unknown> | [ObjectRef<SchemaTypes, unknown>];

/** A GraphQL field that shows the model's member of the same name as it is. */
export interface ExposedField {
  type: OutputType;
  nullable: boolean;
  description?: string;
  /** kept in the model, never served (an id made of two parts, what a link or a detail reads) */
  hidden?: boolean;
}

/** An exposed field, and how its value is read from the AWS item. */
export interface FieldSpec<Item, Value extends JsonSafe> extends ExposedField {
  from: (item: Item) => Value;
}

/** A model member of a hand-built model (not mapped from an AWS item by the kit), exposed as it is. */
export const exposed = (type: OutputType, options: { nullable?: boolean; description?: string } = {}): ExposedField => ({
  type,
  nullable: options.nullable ?? false,
  description: options.description,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldSpecs<Item> = Record<string, FieldSpec<Item, any>>;

type ValueOf<Field> = Field extends FieldSpec<never, infer Value extends JsonSafe> ? Value : never;

/** The model the fields make: one member per field, holding its value (JSON-safe, as every field's is). */
export type ModelOf<Fields> = { [K in keyof Fields]: ValueOf<Fields[K]> };

interface AwsTag {
  Key?: string;
  Value?: string;
}

const spec = <Item, Value extends JsonSafe>(type: OutputType, nullable: boolean, from: (item: Item) => Value, description?: string): FieldSpec<Item, Value> => ({
  type,
  nullable,
  from,
  description,
});

/** The field kinds a declaration picks from, typed on the AWS item they read. */
export function fieldKit<Item>() {
  return {
    /** String!: ids and names, which AWS always sets */
    requiredString: (from: (item: Item) => string, description?: string) => spec("String", false, from, description),
    string: (from: (item: Item) => string | undefined, description?: string) => spec("String", true, from, description),
    int: (from: (item: Item) => number | undefined, description?: string) => spec("Int", true, from, description),
    float: (from: (item: Item) => number | undefined, description?: string) => spec("Float", true, from, description),
    /** Float!: sizes past 2^31 (S3 objects) */
    requiredFloat: (from: (item: Item) => number, description?: string) => spec("Float", false, from, description),
    boolean: (from: (item: Item) => boolean | undefined, description?: string) => spec("Boolean", true, from, description),
    requiredBoolean: (from: (item: Item) => boolean, description?: string) => spec("Boolean", false, from, description),
    /** a member of the model that no field serves: part of an id, what a link or a detail reads */
    kept: <Value extends JsonSafe>(from: (item: Item) => Value): FieldSpec<Item, Value> => ({ ...spec("String", true, from), hidden: true }),
    /** an ISO-8601 string */
    date: (from: (item: Item) => Date | undefined, description?: string) =>
      spec("String", true, (item: Item) => from(item)?.toISOString(), description),
    /** [String!]!, the absent values left out */
    strings: (from: (item: Item) => readonly (string | undefined)[] | undefined, description?: string) =>
      spec(["String"], false, (item: Item) => presentValues(from(item)), description),
    tags: (from: (item: Item) => readonly AwsTag[] | undefined, description?: string) =>
      spec<Item, TagModel[]>([Tag], false, (item) => tagModels(from(item)), description),
    /** [Type!]!: the AWS values of a list, each made into a value type's model (a security group's rules) */
    values: <Value, Model extends JsonSafe>(type: ValueType<Value, Model>, from: (item: Item) => readonly Value[] | undefined, description?: string) =>
      spec<Item, Model[]>([type.ref as ObjectRef<SchemaTypes, unknown>], false, (item) => type.models(from(item)), description),
    /** Type (nullable): one AWS value made into a value type's model (a record set's alias target) */
    value: <Value, Model extends JsonSafe>(type: ValueType<Value, Model>, from: (item: Item) => Value | undefined, description?: string) =>
      spec<Item, Model | null>(type.ref as ObjectRef<SchemaTypes, unknown>, true, (item) => {
        const value = from(item);
        return value === undefined ? null : type.model(value);
      }, description),
  };
}

export type FieldKit<Item> = ReturnType<typeof fieldKit<Item>>;

/**
 * The present values of an optional AWS list. A loop, not filter or flatMap: this runs for every
 * item of every page, and flatMap made mapping a page five times slower.
 */
export function presentValues(list: readonly (string | undefined)[] | undefined): string[] {
  const values: string[] = [];
  for (const value of list ?? []) if (value) values.push(value);
  return values;
}

function tagModels(tags: readonly AwsTag[] | undefined): TagModel[] {
  const models: TagModel[] = [];
  for (const tag of tags ?? []) models.push({ key: tag.Key ?? "", value: tag.Value ?? "" });
  return models;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Maps AWS items to models, plus the members `extraKeys` names (region, account). The mapper is
 * compiled to one object literal, as a hand-written mapper would be: a loop over the fields made
 * every model grow member by member and every read a call through a different function, and
 * mapping a page of instances took a seventh of the gateway's time.
 */
export function modelMapper<Item, Fields extends FieldSpecs<Item>, Extra extends object>(fields: Fields, extraKeys: readonly (keyof Extra & string)[]) {
  const names = Object.keys(fields);
  for (const name of [...names, ...extraKeys]) if (!IDENTIFIER.test(name)) throw new Error(`a model member must be an identifier: ${name}`);
  const readers = names.map((name) => fields[name]!.from);
  const members = [...extraKeys.map((key) => `${key}: extra.${key}`), ...names.map((name, i) => `${name}: readers[${i}](item)`)];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const compiled = new Function("readers", `return function toModel(item, extra) { return { ${members.join(", ")} }; };`)(readers) as (item: Item, extra: Extra) => ModelOf<Fields> & Extra;
  return compiled;
}

/**
 * The Pothos fields that expose a model's values. Pothos types each field from a literal type
 * parameter; here the types come from the declarations, so the options are built untyped once.
 */
export function exposedFields<Model>(t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Model>, fields: Record<string, ExposedField>) {
  const exposed: Record<string, ReturnType<typeof t.field>> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (field.hidden) continue;
    // Exposed, not resolved: graphql-jit reads an exposed field as a property, where a resolver of
    // our own would be a call per field and edge (a page of 100 edges ran five times slower).
    exposed[name] = (t.expose as (name: string, options: object) => ReturnType<typeof t.field>)(name, {
      type: field.type,
      nullable: field.nullable,
      description: field.description,
    });
  }
  return exposed;
}

/** A small object type of its own (a route, a rule, an access key): fields declared once, on the AWS value it reads. */
export interface ValueType<Value, Model> {
  ref: ObjectRef<SchemaTypes, Model>;
  /** the model of one AWS value */
  model(value: Value): Model;
  /** the models of an optional AWS list */
  models(values: readonly Value[] | undefined): Model[];
}

export function valueType<Value, Fields extends FieldSpecs<Value>>(name: string, fields: (f: FieldKit<Value>) => Fields, description?: string): ValueType<Value, ModelOf<Fields>> {
  const specs = fields(fieldKit<Value>());
  const toModel = modelMapper<Value, Fields, object>(specs, []);
  const ref = builder.objectRef<ModelOf<Fields>>(name).implement({ description, fields: (t) => exposedFields(t, specs) });
  const model = (value: Value) => toModel(value, {});
  return {
    ref,
    model,
    models: (values) => {
      const models: ModelOf<Fields>[] = [];
      for (const value of values ?? []) models.push(model(value));
      return models;
    },
  };
}
