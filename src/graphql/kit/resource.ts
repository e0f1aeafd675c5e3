// One declaration for any AWS resource: its list call (any paging style, regional or global), its
// id and how a batch of ids is looked up, its fields once, the detail call made only when a
// selected field needs it, the filters pushed down, its links and child connections, and the cost
// data. From it come a node type, its connection, the query fields, and the request's loaders.
import { createContextCache } from "@pothos/core";
import type { MetadataBearer } from "@smithy/types";
import DataLoader from "dataloader";
import { pathToArray } from "graphql/jsutils/Path.js";
import type { InAccount } from "../../aws/accounts.js";
import type { AwsCommand, RequestAws } from "../../aws/clients.js";
import { listSource, tokens, type ListOperation, type PageInput } from "../../aws/list-operation.js";
import { keyedLookup, placedKey, type Scope } from "../../aws/lookups.js";
import { regionsAsked } from "../../aws/regions.js";
import type { NamedCommand } from "../../aws/service-modules.js";
import { accountsListing, regionalListing } from "../../aws/sources.js";
import { badInput } from "../../errors.js";
import { readAll } from "../../pagination/engine.js";
import type { JsonSafe, PagedSource } from "../../pagination/source.js";
import { listCost, lookupCost } from "../aws-cost.js";
import { InputFieldBuilder as PothosInputFieldBuilder, type InputFieldMap, type InputObjectRef } from "@pothos/core";
import { builder, pagingArgs, type SchemaTypes } from "../builder.js";
import { resolveConnection, type ConnectionArgs } from "../connection.js";
import { contractErrorOf } from "../contract-errors.js";
import type { ResourceContext } from "../resource-context.js";
import { exposed, fieldKit, modelMapper, type FieldKit, type FieldSpecs, type ModelOf } from "./fields.js";
import { serveArns, type ServedArn } from "./arns.js";
import { defineNode, loadExisting, loadOne, pothosShape, type NodeResource } from "./node.js";

type Awaitable<Value> = Value | Promise<Value>;

/** Where a model was read: its account, and its region for a regional service. */
export type Placed = InAccount & { region?: string };

/** Where a lookup of one id is made: the request, and the account the id's key names. */
export interface EachPlace {
  ctx: ResourceContext;
  account: string;
}

/** Sends a command in the account and region at hand, for the service of the declaration. */
export type Send = <Output extends MetadataBearer>(command: AwsCommand<Output> | NamedCommand<Output>) => Promise<Output>;

/** What a link can point at: any resource of the gateway, EC2's and IAM's kits' included. */
export interface LinkTarget<Model> extends NodeResource<Model> {
  /** the loader key of an id in the account (and region) of a model that names it */
  keyOf(where: Placed, id: string): string;
  /** how many ids one lookup call takes, for query cost */
  readonly idsPerLookup: number;
}

export interface Resource<Model extends Placed> extends LinkTarget<Model> {
  readonly scope: Scope;
  /** the most items one list call returns, for query cost */
  readonly itemsPerCall: number;
  /** the filter argument's input type, which a child connection over this resource takes too */
  readonly filterInput?: InputObjectRef<SchemaTypes, Record<string, unknown>>;
  /** the list call's input for a filter's values, under a parent's input (a child connection's) */
  listInput(asked: FilterAsked): PageInput;
  /** the list field's own filtering arguments, which a child connection may take too */
  readonly filterArguments?: (t: InputFieldBuilder) => InputFields;
  /** the listing in one account's region, with `input` (filters, a parent's name) in every call */
  source(aws: RequestAws, region: string, input: PageInput): PagedSource<Model>;
}

/** A filter argument pushed down into the list call's input. */
export interface PushedDown {
  type: "String" | "Boolean";
  description?: string;
  /** the values AWS accepts; anything else is BAD_USER_INPUT before any call */
  oneOf?: readonly string[];
  input: (value: string & boolean) => PageInput;
}

export type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<SchemaTypes, "InputObject" | "Arg">;
type InputFields = InputFieldMap;

/** Builds a list field's own arguments as the fields of an input (an ArgBuilder has no `field`). */
const argumentFields: InputFieldBuilder = new PothosInputFieldBuilder(builder, "Arg");

/** What a listing is asked for: its filter input's values, its own arguments, a parent's input. */
export interface FilterAsked {
  filter?: Readonly<Record<string, unknown>> | null;
  args?: Readonly<Record<string, unknown>>;
  parent?: PageInput;
}

/** Filters in general: a filter input, arguments of the list field, and the list call's input they make. */
export interface FilterSpec {
  /** the `filter` input's fields; none: no `filter` argument */
  fields?: (t: InputFieldBuilder) => InputFields;
  /** arguments of the list field itself that filter too (`ec2Subnets(vpcId:)`, `iamUsers(pathPrefix:)`) */
  arguments?: (t: InputFieldBuilder) => InputFields;
  /** the list call's input, checked first (bad values are BAD_USER_INPUT before any call) */
  input(asked: FilterAsked): PageInput;
}

/** A String argument as GraphQL gives it: a string, or nothing. */
export const stringArgument = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A [String!] argument as GraphQL gives it. */
const stringsArgument = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined);

/** An input-object argument as GraphQL gives it: an object, or nothing. */
export const recordArgument = (value: unknown): Readonly<Record<string, unknown>> | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** A filter of named values, each pushed down as members of the list call's input. */
export function pushedDownFilter(name: string, filter: Record<string, PushedDown>): FilterSpec {
  return {
    fields: (t) =>
      Object.fromEntries(
        Object.entries(filter).map(([argument, field]) => [argument, field.type === "Boolean" ? t.boolean({ description: field.description }) : t.string({ description: field.description })]),
      ),
    input: ({ filter: values, parent }) => ({ ...parent, ...pushedDown(name, filter, values) }),
  };
}

export interface DetailSpec<Item, Detail, DetailFields extends FieldSpecs<Detail>> {
  /** the most ids one detail call takes (1: a call per item) */
  idsPerCall: number;
  /** ids that only one call takes together (an ECS cluster's services) */
  group?: (id: string) => string;
  /** the details of these ids, those that exist */
  describe: (ids: string[], send: Send) => Promise<readonly Detail[] | undefined>;
  /** the id a detail answers for */
  id: (detail: Detail) => string | undefined;
  /** the list item a detail holds: a single item is found by its detail call alone */
  item: (detail: Detail) => Item;
  /** the detail a list item already holds, where some listings give it and others do not (IAM policies) */
  known?: (item: Item) => Detail | undefined;
  fields: (f: FieldKit<Detail>) => DetailFields;
}

export interface ResourceSpec<Output extends MetadataBearer, Item, Fields extends FieldSpecs<Item>, Detail, DetailFields extends FieldSpecs<Detail>> {
  /** the GraphQL type, e.g. "LambdaFunction" */
  name: string;
  description?: string;
  scope: Scope;
  list: ListOperation<Output, Item>;
  /** the query fields: a connection, and a single-item field (none where another field finds one); none for what is listed only under a parent */
  query?: { list: string; single?: string; description?: string };
  id: {
    /** the field holding the id, also the single-item field's argument */
    field: keyof Fields & string;
    /** what an id looks like; anything else is null without a call */
    pattern?: RegExp | ((id: string) => boolean);
    /** the id as AWS keeps it, for ids AWS matches without case (RDS identifiers are kept in lower case) */
    normalize?: (id: string) => string;
    /** the region an id names (an ARN's), where the single-item field is asked without `region` */
    region?: (id: string) => string | undefined;
    /**
     * How ids are looked up: by ids in the list call's input, or one call per id. Without it, a
     * resource with a detail call is looked up by that call.
     */
    lookup?: { input: (ids: string[]) => PageInput; idsPerCall: number; unpaged?: boolean } | { each: (id: string, send: Send, place: EachPlace) => Promise<Item | undefined> };
  };
  fields: (f: FieldKit<Item>) => Fields;
  detail?: DetailSpec<Item, Detail, DetailFields>;
  /** the list field's `filter` argument, its values pushed down as they are */
  filter?: Record<string, PushedDown>;
  /** filters of any other shape (EC2's Filters, IAM's path prefix) */
  filters?: FilterSpec;
  /**
   * The resource's ARN: the type ARNs of it name (as the Tagging API names it), the id an ARN
   * gives, and the `arn` field: a field that holds it, or built from the model and its account id.
   */
  arn?: ServedArn & { of: { field: NoInfer<keyof Fields & string> } | { build: (model: NoInfer<ModelOf<Fields> & Placed>, accountId: string) => string } };
}

type FieldBuilder<Model> = PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Model>;
export type Link<Model> = (t: FieldBuilder<Model>, place: { typeName: string; fieldName: string }) => ReturnType<FieldBuilder<Model>["field"]>;

const sender =
  (aws: RequestAws, service: ListOperation<MetadataBearer, unknown>["service"], region: string): Send =>
  (command) =>
    aws.send(service, region, command);

/** The members a filter input pushes into the list call, checked first. */
function pushedDown(name: string, filter: Record<string, PushedDown>, values: Readonly<Record<string, unknown>> | null | undefined): PageInput {
  const input: PageInput = {};
  for (const [argument, value] of Object.entries(values ?? {})) {
    const field = filter[argument];
    if (!field || value === null || value === undefined) continue;
    if (field.oneOf && !field.oneOf.includes(String(value))) {
      throw badInput(`\`filter.${argument}\` of ${name} must be one of ${field.oneOf.join(", ")}.`, { argument: `filter.${argument}` });
    }
    Object.assign(input, field.input(value as string & boolean));
  }
  return input;
}

/** A declared resource: a Resource, and the model of one of its items read in a place. */
export interface DeclaredResource<Model extends Placed, Item, DetailValues = unknown> extends Resource<Model> {
  toModel(where: Placed): (item: Item) => Model;
  /** the values of the detail fields of a model (batched with every other detail asked in the request), null once it is gone */
  detailOf(ctx: ResourceContext, model: Model): Promise<DetailValues | null>;
}

export function resource<Output extends MetadataBearer, Item, Fields extends FieldSpecs<Item>, Detail = never, DetailFields extends FieldSpecs<Detail> = Record<never, never>>(
  spec: ResourceSpec<Output, Item, Fields, Detail, DetailFields>,
): DeclaredResource<ModelOf<Fields> & Placed, Item, ModelOf<DetailFields>> {
  type Model = ModelOf<Fields> & Placed;
  const regional = spec.scope === "regional";
  const fields = spec.fields(fieldKit<Item>());
  const map = regional ? modelMapper<Item, Fields, Required<Placed>>(fields, ["region", "account"]) : modelMapper<Item, Fields, InAccount>(fields, ["account"]);
  const detailFields = spec.detail?.fields(fieldKit<Detail>());
  const detailValues = detailFields && modelMapper<Detail, DetailFields, object>(detailFields, []);
  // A listing that gives the detail already (IAM's ListPolicies, where attachments give names only)
  // keeps it in the model, and its detail fields need no call.
  const known = spec.detail?.known;
  const toModel = (where: Placed): ((item: Item) => Model) => {
    const extra = { region: where.region ?? "", account: where.account };
    if (!known) return (item) => map(item, extra);
    return (item) => {
      const model: Model & { known?: JsonSafe } = map(item, extra);
      const detail = known(item);
      if (detail !== undefined) model.known = detailValues!(detail, {});
      return model;
    };
  };
  const modelIn = (aws: RequestAws, region: string) => toModel({ account: aws.account, region });
  const idOf = (model: Model): string => String(model[spec.id.field]);
  const keyOf = (where: Placed, id: string) => placedKey(spec.scope, where.account, where.region, id);
  const source = (aws: RequestAws, region: string, input: PageInput): PagedSource<Model> => listSource(aws, region, spec.list, modelIn(aws, region), input);
  const pattern = spec.id.pattern;
  const valid = pattern && (typeof pattern === "function" ? pattern : (id: string) => pattern.test(id));
  const service = spec.list.service;
  const filters = spec.filters ?? (spec.filter && pushedDownFilter(spec.name, spec.filter));
  const listInput = (asked: FilterAsked): PageInput => (filters ? filters.input(asked) : { ...asked.parent });

  // The detail call, batched per request; a single item is found through it, so never asked twice.
  const detail = spec.detail && detailLoader(spec.name, spec.detail, detailFields!, detailValues!, spec.scope, service, valid, modelIn);
  const lookup = spec.id.lookup;
  const idsPerLookup = !lookup && detail ? spec.detail!.idsPerCall : !lookup || "each" in lookup ? 1 : lookup.idsPerCall;
  const node = defineNode<Model>({
    name: spec.name,
    description: spec.description,
    service,
    scope: spec.scope,
    key: (model) => keyOf(model, idOf(model)),
    lookup:
      !lookup && detail ? async (keys, ctx) => (await detail.loader(ctx).loadMany(keys)).map((found) => (found instanceof Error || found === null ? found : found.listed))
      : keyedLookup<Model, ResourceContext>({
          service,
          kind: spec.name,
          scope: spec.scope,
          valid,
          idsPerCall: idsPerLookup,
          read: async (aws, region, ids, ctx) => {
            if (lookup && "input" in lookup) {
              // Some calls take ids or a page size, not both (DescribeLaunchTemplates): asked unpaged.
              const operation = lookup.unpaged ? { ...spec.list, ...unpaged, pageSize: { min: 1, max: lookup.idsPerCall } } : spec.list;
              const models = await readAll(listSource(aws, region, operation, modelIn(aws, region), lookup.input(ids)), ctx.paging.maxAwsCallsPerPage);
              return models.map((model) => ({ id: idOf(model), model }));
            }
            if (!lookup) throw new Error(`${spec.name} declares no lookup`);
            const item = await lookup.each(ids[0]!, sender(aws, service, region), { ctx, account: aws.account });
            return item === undefined ? [] : [{ id: ids[0]!, model: modelIn(aws, region)(item) }];
          },
        }),
    fields: regional ? { region: exposed("String"), ...fields } : fields,
    resolvedFields: detail && ((t) => detail.fields(t, (model) => keyOf(model, idOf(model)))),
  });
  const filterInput = filters?.fields && builder.inputType(`${spec.name}Filter`, { fields: filters.fields });
  // A detail field named `arn` (EKS's DescribeCluster) serves it already.
  const arnServed = "arn" in fields || (detailFields !== undefined && "arn" in detailFields);
  if (spec.arn) declareArn(spec.name, node.ref, spec.arn, () => resource, arnServed);
  const resource: DeclaredResource<Model, Item, ModelOf<DetailFields>> = {
    ...node,
    scope: spec.scope,
    itemsPerCall: spec.list.pageSize.max,
    idsPerLookup,
    filterInput: filterInput || undefined,
    filterArguments: filters?.arguments,
    keyOf,
    source,
    listInput,
    toModel,
    detailOf: async (ctx, model) => (detail ? detail.detailOf(ctx, model, (m) => keyOf(m, idOf(m))) : null),
  };

  if (spec.query) {
    const { list: listField, single: singleField, description: listDescription } = spec.query;
    builder.queryFields((t) => ({
      [listField]: t.field({
        type: node.connection,
        description: listDescription,
        args: {
          ...(regional
            ? { region: t.arg.string(), regions: t.arg.stringList({ description: 'region names and patterns ("*": every region enabled for the account, "us-*")' }) }
            : {}),
          accounts: t.arg.stringList({ description: 'names from AWS_ACCOUNTS, "default" for the gateway\'s own, ["*"] for all; with an organization also member account ids and names, OU and root ids' }),
          ...(filterInput ? { filter: t.arg({ type: filterInput }) } : {}),
          ...filters?.arguments?.(argumentFields),
          ...pagingArgs(t.arg),
        },
        extensions: listCost(resource.itemsPerCall),
        resolve: async (_root, args: Record<string, unknown> & ConnectionArgs, ctx, info) => {
          const input = listInput({ filter: recordArgument(args.filter), args });
          const accountsAsked = stringsArgument(args.accounts);
          // What the caller's policy allows, before any AWS call and any page is read: an account
          // or region named outright outside it is FORBIDDEN, `*` and patterns shrink to it.
          const named = await ctx.scope.naming(() => ctx.accounts.named(accountsAsked, ctx.aws));
          const path = pathToArray(info.path);
          if (!regional) {
            const { accounts } = await ctx.scope.listing(service, named);
            const listing = { field: `Query.${listField}`, args: { accounts, input }, path };
            return resolveConnection(ctx, listing, args, () => accountsListing(ctx, accounts, (aws) => source(aws, aws.defaultRegion, input)));
          }
          const regions = regionsAsked(stringArgument(args.region), stringsArgument(args.regions), ctx.aws.defaultRegion);
          const { accounts, keep } = await ctx.scope.listing(service, named, regions);
          const listing = { field: `Query.${listField}`, args: { accounts, regions, input }, path };
          return resolveConnection(ctx, listing, args, () => regionalListing(ctx, accounts, regions, (aws, region) => source(aws, region, input), keep));
        },
      }),
      ...(singleField && {
        [singleField]: t.field({
          type: node.ref,
          nullable: true,
          args: { [spec.id.field]: t.arg.string({ required: true }), ...(regional ? { region: t.arg.string() } : {}), account: t.arg.string() },
          extensions: lookupCost(idsPerLookup),
          resolve: (_root, args: Record<string, unknown>, ctx) => {
            const asked = String(args[spec.id.field]);
            const id = spec.id.normalize ? spec.id.normalize(asked) : asked;
            const region = regional ? ctx.aws.region(stringArgument(args.region) ?? spec.id.region?.(id)) : undefined;
            const account = ctx.scope.naming(() => ctx.accounts.one(stringArgument(args.account), ctx.aws));
            return pothosShape(account.then((name) => loadOne(resource, ctx, keyOf({ account: name, region }, id))));
          },
        }),
      }),
    }));
  }
  return resource;
}

/** Registers a resource's ARNs, and gives its type `arn: String!` where no field of that name holds it. */
function declareArn<Model extends Placed>(
  name: string,
  ref: NodeResource<Model>["ref"],
  arn: ServedArn & { of: { field: string } | { build: (model: Model, accountId: string) => string } },
  target: () => LinkTarget<Model>,
  served: boolean,
): void {
  serveArns(arn, target);
  if (served) return;
  const of = arn.of;
  if ("field" in of) {
    builder.objectFields(ref, (t) => ({
      arn: t.string({ description: `the ${name}'s ARN`, resolve: (model) => String((model as Record<string, unknown>)[of.field] ?? "") }),
    }));
    return;
  }
  builder.objectFields(ref, (t) => ({
    arn: t.string({ description: `the ${name}'s ARN`, resolve: async (model, _args, ctx) => of.build(model, await ctx.aws.forAccount(model.account).accountId()) }),
  }));
}

/** The request's loader of a resource's details, and the fields that read them. */
function detailLoader<Item, Detail, DetailFields extends FieldSpecs<Detail>, Model extends Placed>(
  name: string,
  spec: DetailSpec<Item, Detail, DetailFields>,
  detailFields: DetailFields,
  map: (detail: Detail, extra: object) => ModelOf<DetailFields>,
  scope: Scope,
  service: ListOperation<MetadataBearer, unknown>["service"],
  valid: ((id: string) => boolean) | undefined,
  modelIn: (aws: RequestAws, region: string) => (item: Item) => Model,
) {
  type Found = { values: ModelOf<DetailFields>; listed: Model };
  const lookup = keyedLookup<Found>({
    service,
    kind: `${name}.detail`,
    scope,
    valid,
    idsPerCall: spec.idsPerCall,
    group: spec.group,
    read: async (aws, region, ids) => {
      const found: { id: string; model: Found }[] = [];
      for (const detail of (await spec.describe(ids, sender(aws, service, region))) ?? []) {
        const id = spec.id(detail);
        if (id !== undefined && ids.includes(id)) found.push({ id, model: { values: map(detail, {}), listed: modelIn(aws, region)(spec.item(detail)) } });
      }
      return found;
    },
  });
  const loader = createContextCache(
    (ctx: ResourceContext) => new DataLoader<string, Found | null>(async (keys) => (await lookup(keys, ctx)).map((found) => (found instanceof Error ? contractErrorOf(found) : found))),
  );
  const fields = (t: FieldBuilder<Model>, keyOf: (model: Model) => string) => {
    const resolved: Record<string, ReturnType<typeof t.field>> = {};
    for (const [fieldName, field] of Object.entries(detailFields)) {
      // Every detail field of one node shares one lookup: the cost walk charges the group once.
      resolved[fieldName] = (t.field as (options: object) => ReturnType<typeof t.field>)({
        type: field.type,
        nullable: true,
        description: field.description,
        extensions: { ...lookupCost(spec.idsPerCall), awsCostGroup: `${name}.detail` },
        resolve: async (model: Model, _args: unknown, ctx: ResourceContext) => ((await detailOf(ctx, model, keyOf)) as Record<string, unknown> | null)?.[fieldName] ?? null,
      });
    }
    return resolved;
  };
  /** The detail values of a model: those its listing gave, or its detail call's, null once it is gone. */
  const detailOf = async (ctx: ResourceContext, model: Model, keyOf: (model: Model) => string): Promise<ModelOf<DetailFields> | null> => {
    const known = (model as { known?: ModelOf<DetailFields> }).known;
    return known ?? (await loader(ctx).load(keyOf(model)))?.values ?? null;
  };
  return { loader, fields, detailOf };
}

/** The links a resource declares to others; targets are thunks, as resources link both ways. */
function linkKit<Model extends Placed>() {
  return {
    /** a single related resource by its id (which a detail call may tell: then a promise), null when there is none */
    one:
      <Target>(target: () => LinkTarget<Target>, id: (model: Model, ctx: ResourceContext) => Awaitable<string | undefined>, description?: string): Link<Model> =>
      (t) =>
        t.field({
          type: target().ref,
          nullable: true,
          description,
          extensions: lookupCost(target().idsPerLookup),
          resolve: (model, _args, ctx) => {
            const load = (related: string | undefined) => loadOne(target(), ctx, related === undefined ? undefined : target().keyOf(model, related));
            const related = id(model, ctx);
            return pothosShape(related instanceof Promise ? related.then(load) : load(related));
          },
        }),
    /** the related resources by their ids, those that still exist */
    many:
      <Target>(target: () => LinkTarget<Target>, ids: (model: Model, ctx: ResourceContext) => Awaitable<readonly string[]>, description?: string): Link<Model> =>
      (t) =>
        t.field({
          type: [target().ref],
          description,
          extensions: lookupCost(target().idsPerLookup),
          resolve: (model, _args, ctx) => {
            const load = (related: readonly string[]) => loadExisting(target(), ctx, related.map((one) => target().keyOf(model, one)));
            const related = ids(model, ctx);
            return pothosShape(related instanceof Promise ? related.then(load) : load(related));
          },
        }),
    /**
     * A connection over what the target lists under this model: the child call's input made from
     * the model, and the target's own filter beside it (an instance's VPC lists its subnets, filtered).
     */
    children:
      <Target extends Placed>(
        target: () => Resource<Target>,
        input: (model: Model) => PageInput,
        description?: string,
        options: {
          /** where the children are listed, when it is not the model's region (a bucket's objects: the bucket's) */
          region?: (model: Model, ctx: ResourceContext) => Promise<string>;
          /** the target's list-field arguments too (`objects(prefix:)`) */
          withArguments?: boolean;
        } = {},
      ): Link<Model> =>
      (t, place) => {
        const listed = target();
        return t.field({
          type: listed.connection,
          description,
          args: {
            ...(listed.filterInput ? { filter: t.arg({ type: listed.filterInput }) } : {}),
            ...(options.withArguments ? listed.filterArguments?.(argumentFields) : {}),
            ...pagingArgs(t.arg),
          },
          extensions: listCost(listed.itemsPerCall),
          resolve: (model, args: Record<string, unknown> & ConnectionArgs, ctx, info) => {
            const asked = listed.listInput({ filter: recordArgument(args.filter), args: options.withArguments ? args : undefined, parent: input(model) });
            const listing = { field: `${place.typeName}.${place.fieldName}`, parentId: JSON.stringify([model.account, model.region]), args: { input: asked }, path: pathToArray(info.path) };
            const aws = ctx.aws.forAccount(model.account);
            // The children's service in the model's place must be in the caller's scope too.
            const allowed = ctx.scope.checkPlace(listed.service, model.account, listed.scope === "regional" ? model.region || undefined : undefined);
            return pothosShape(
              allowed.then(() =>
                resolveConnection(ctx, listing, args, async () => listed.source(aws, options.region ? await options.region(model, ctx) : (model.region ?? ctx.aws.defaultRegion), asked)),
              ),
            );
          },
        });
      },
  };
}
export type LinkKit<Model extends Placed> = ReturnType<typeof linkKit<Model>>;

/**
 * The links of a resource to others, declared beside it (not inside it: resources link both ways,
 * and TypeScript cannot type two declarations that each name the other). Targets are thunks, read
 * when the schema is built, once every resource module has been evaluated.
 */
export function links<Model extends Placed>(resource: NodeResource<Model>, declare: (l: LinkKit<Model>) => Record<string, Link<Model>>): void {
  const declared = declare(linkKit<Model>());
  builder.objectFields(resource.ref, (t) => Object.fromEntries(Object.entries(declared).map(([fieldName, link]) => [fieldName, link(t, { typeName: resource.name, fieldName })])));
}

/** A list call that answers everything at once (no token, no page size). */
export const unpaged = { tokens: tokens.none(), pageSize: { min: 1, max: Number.MAX_SAFE_INTEGER } };

/** The last part of an ARN's resource ("function:name" -> "name", "role/path/name" -> "name"). */
export const arnName = (arn: string | undefined): string | undefined => (arn === undefined ? undefined : arn.split(/[:/]/).pop() || undefined);

