// The EC2 family in one declaration each: a regional Describe call with Filters, MaxResults and
// NextToken (or none, for calls AWS does not page) becomes a paged source, a batched loader, a
// node type, its connection, `ec2Xs`/`ec2X` query fields, a filter input, links, and cost data.
import { DescribeRegionsCommand, type Filter } from "@aws-sdk/client-ec2";
import type { InputObjectRef } from "@pothos/core";
import type { MetadataBearer } from "@smithy/types";
import { pathToArray } from "graphql/jsutils/Path.js";
import type { AwsCommand, RequestAws } from "../../aws/clients.js";
import { expandRegions, hasPatterns, regionsAsked } from "../../aws/regions.js";
import { awsListSource } from "../../aws/list-source.js";
import { badInput, ErrorCode, isGatewayError } from "../../errors.js";
import { readAll } from "../../pagination/engine.js";
import type { JsonSafe, PagedSource } from "../../pagination/source.js";
import { listCost, lookupCost } from "../aws-cost.js";
import { builder, IDS_PER_LOOKUP, pagingArgs, TagFilter, type SchemaTypes } from "../builder.js";
import { contractErrorOf, failingSource, listingOver, resolveConnection, type ConnectionArgs, type ListingSource } from "../connection.js";
import type { ResourceContext } from "../resource-context.js";
import { exposed, fieldKit, modelMapper, type FieldKit, type FieldSpecs, type ModelOf } from "./fields.js";
import { accountKey, defineNode, loadExisting, loadOne, pothosShape, splitAccountKey, type BatchLookup, type InAccount, type NodeResource } from "./node.js";

/** EC2 ids are unique within an account's region only: loader keys and node ids carry all three. */
export const regionalKey = (account: string, region: string, id: string) => accountKey(account, `${region}/${id}`);

function splitRegionalKey(ctx: ResourceContext, key: string): { account: string; region: string; id: string } | undefined {
  const inAccount = splitAccountKey(ctx, key);
  if (!inAccount) return undefined;
  const slash = inAccount.key.indexOf("/");
  return slash < 0 ? undefined : { account: inAccount.account, region: inAccount.key.slice(0, slash), id: inAccount.key.slice(slash + 1) };
}

/** Every EC2 model knows its account and region. */
export type Regional = { region: string } & InAccount;

/** How long the regions enabled for an account (DescribeRegions) are remembered. */
const ENABLED_REGIONS_TTL_MS = 10 * 60_000;

/** The regions enabled for an account: those that need no opt-in, and those it opted in to. */
function enabledRegions(aws: RequestAws): Promise<string[]> {
  return aws.regionsEnabled(async () => {
    const out = await aws.send("ec2", aws.defaultRegion, new DescribeRegionsCommand({}));
    return (out.Regions ?? []).filter((r) => r.OptInStatus !== "not-opted-in").flatMap((r) => (r.RegionName ? [r.RegionName] : []));
  }, ENABLED_REGIONS_TTL_MS);
}

/**
 * The sources of a regional listing: every account named, in order, times its regions (names in
 * order, patterns expanded against the regions enabled for that account). An account whose regions
 * cannot be listed is one failed source.
 */
async function regionalSources<Model extends Regional & JsonSafe>(
  ctx: ResourceContext,
  accounts: readonly string[],
  asked: readonly string[],
  source: (aws: RequestAws, region: string) => PagedSource<Model>,
): Promise<PagedSource<Model>> {
  const perAccount = await Promise.all(
    accounts.map(async (accountName): Promise<ListingSource<Model>[]> => {
      const aws = ctx.aws.forAccount(accountName);
      if (!hasPatterns(asked)) return asked.map((region) => ({ accountName, region, source: source(aws, region) }));
      try {
        return expandRegions(asked, await enabledRegions(aws)).map((region) => ({ accountName, region, source: source(aws, region) }));
      } catch (error) {
        return [{ accountName, region: null, source: failingSource(error) }];
      }
    }),
  );
  return listingOver(ctx, perAccount.flat());
}

/** What the kit puts into a Describe call: Filters, and the page's token and size when it pages. */
export interface Ec2PageInput {
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
}

/** The items of nested AWS lists, flattened with loops (EC2 instances come in reservations). */
export function flatten<Outer, Inner>(outer: readonly Outer[] | undefined, inner: (item: Outer) => readonly Inner[] | undefined): Inner[] {
  const items: Inner[] = [];
  for (const item of outer ?? []) for (const value of inner(item) ?? []) items.push(value);
  return items;
}

// ---- Filters -------------------------------------------------------------------------------

type FilterField =
  | { kind: "values" | "value" | "flag"; name: string; description?: string }
  | { kind: "tags"; description?: string };
type FilterFields = Record<string, FilterField>;

/** How a filter input's fields become EC2 Filters. */
const filterKit = {
  /** [String!]: any of these values of the EC2 filter `name` */
  values: (name: string, description?: string): FilterField => ({ kind: "values", name, description }),
  /** String: this one value */
  value: (name: string, description?: string): FilterField => ({ kind: "value", name, description }),
  /** Boolean, which EC2 writes "true"/"false" */
  flag: (name: string, description?: string): FilterField => ({ kind: "flag", name, description }),
  /** [TagFilter!]: tag:Key = any of values */
  tags: (description = "tag:Key = any of values, pushed down to AWS"): FilterField => ({ kind: "tags", description }),
};
type FilterKit = typeof filterKit;

interface TagFilterInput {
  key: string;
  values: readonly string[];
}

/**
 * EC2 Filters from named value lists and tag filters, checked against EC2's limits and sorted, so
 * that the same filter always gives the same cursor fingerprint.
 */
function ec2Filters(named: Record<string, readonly string[] | null | undefined>, tags?: readonly TagFilterInput[] | null): Filter[] {
  const filters: Filter[] = [];
  const add = (name: string, values: readonly string[] | null | undefined) => {
    if (values === null || values === undefined) return;
    if (values.length === 0 || values.length > 200 || values.some((v) => v.length === 0 || v.length > 256)) {
      throw badInput(`Filter "${name}" takes 1 to 200 values of 1 to 256 characters.`, { argument: "filter" });
    }
    filters.push({ Name: name, Values: [...new Set(values)].sort() });
  };
  for (const [name, values] of Object.entries(named)) add(name, values);
  for (const tag of tags ?? []) {
    if (tag.key.length === 0 || tag.key.length > 128) throw badInput("A tag filter's key takes 1 to 128 characters.", { argument: "filter" });
    add(`tag:${tag.key}`, tag.values);
  }
  if (filters.length > 50) throw badInput("At most 50 filters.", { argument: "filter" });
  return filters.sort((a, b) => (a.Name! < b.Name! ? -1 : a.Name! > b.Name! ? 1 : 0));
}

/**
 * The EC2 Filters an input object asks for, by its declared fields, with a back-link's own filter
 * (an instance's VPC: `vpc-id`) kept as the parent sets it: the input may repeat it, not change it,
 * or the listing would reach past its parent.
 */
function filtersOf(fields: FilterFields, input: Readonly<Record<string, unknown>> | null | undefined, parent: Filter[] = []): Filter[] {
  const named: Record<string, readonly string[] | undefined> = {};
  let tags: readonly TagFilterInput[] | undefined;
  for (const [argument, field] of Object.entries(fields)) {
    const value = input?.[argument];
    if (value === null || value === undefined) continue;
    if (field.kind === "tags") tags = value as TagFilterInput[];
    else named[field.name] = field.kind === "values" ? (value as string[]) : [String(value)];
  }
  for (const { Name, Values = [] } of parent) {
    const asked = named[Name!];
    if (asked !== undefined && (asked.length !== Values.length || asked.some((v) => !Values.includes(v)))) {
      throw badInput(`This connection lists what is under its parent, which sets the filter "${Name}"; leave it out.`, { argument: "filter" });
    }
    named[Name!] = Values;
  }
  return ec2Filters(named, tags);
}

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<SchemaTypes, "InputObject" | "Arg">;

function filterInputFields(t: InputFieldBuilder, fields: FilterFields) {
  return Object.fromEntries(
    Object.entries(fields).map(([argument, field]) => [
      argument,
      field.kind === "values" ? t.stringList({ description: field.description })
      : field.kind === "value" ? t.string({ description: field.description })
      : field.kind === "flag" ? t.boolean({ description: field.description })
      : t.field({ type: [TagFilter], description: field.description }),
    ]),
  );
}

// ---- The resource --------------------------------------------------------------------------

export interface Ec2Resource<Model extends Regional> extends NodeResource<Model> {
  /** the most items one list call returns, for query cost */
  readonly itemsPerCall: number;
  readonly filterInput?: InputObjectRef<SchemaTypes, Record<string, unknown>>;
  /** the Filters of a filter input, with the parent's filters of a back-link */
  filters(input: Readonly<Record<string, unknown>> | null | undefined, parent?: Filter[]): Filter[];
  source(aws: RequestAws, region: string, filters: Filter[]): PagedSource<Model>;
}

type Link<Model> = (
  t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Model>,
  place: { typeName: string; fieldName: string },
) => ReturnType<PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Model>["field"]>;

/** The links a resource declares to others; targets are thunks, as resources link both ways. */
function linkKit<Model extends Regional>() {
  return {
    /** a single related resource by its id, null when there is none */
    one:
      <Target extends Regional>(target: () => Ec2Resource<Target>, id: (model: Model) => string | undefined, description?: string): Link<Model> =>
      (t) =>
        t.field({
          type: target().ref,
          nullable: true,
          description,
          extensions: lookupCost(IDS_PER_LOOKUP),
          resolve: (model, _args, ctx) => {
            const related = id(model);
            return pothosShape(loadOne(target(), ctx, related === undefined ? undefined : regionalKey(model.account, model.region, related)));
          },
        }),
    /** the related resources by their ids, those that still exist */
    many:
      <Target extends Regional>(target: () => Ec2Resource<Target>, ids: (model: Model) => readonly string[], description?: string): Link<Model> =>
      (t) =>
        t.field({
          type: [target().ref],
          description,
          extensions: lookupCost(IDS_PER_LOOKUP),
          resolve: (model, _args, ctx) => loadExisting(target(), ctx, ids(model).map((related) => regionalKey(model.account, model.region, related))),
        }),
    /** a connection over what lists this model under the EC2 filter `filterName` (an instance's VPC: `vpc-id`) */
    under:
      <Target extends Regional>(target: () => Ec2Resource<Target>, filterName: string, parentId: (model: Model) => string, description?: string): Link<Model> =>
      (t, place) => {
        const listed = target();
        return t.field({
          type: listed.connection,
          description,
          args: { ...(listed.filterInput ? { filter: t.arg({ type: listed.filterInput }) } : {}), ...pagingArgs(t.arg) },
          extensions: listCost(listed.itemsPerCall),
          resolve: (model, args, ctx, info) => {
            const id = parentId(model);
            const filters = listed.filters(args.filter as Record<string, unknown> | undefined, [{ Name: filterName, Values: [id] }]);
            const listing = { field: `${place.typeName}.${place.fieldName}`, parentId: regionalKey(model.account, model.region, id), args: { region: model.region, filters }, path: pathToArray(info.path) };
            return resolveConnection(ctx, listing, args, () => listed.source(ctx.aws.forAccount(model.account), model.region, filters));
          },
        });
      },
  };
}
type LinkKit<Model extends Regional> = ReturnType<typeof linkKit<Model>>;

export interface Ec2ResourceSpec<Output extends MetadataBearer, Item, Fields extends FieldSpecs<Item>> {
  /** the GraphQL type, e.g. "Ec2NatGateway" */
  name: string;
  /** the connection field on Query, e.g. "ec2NatGateways" */
  listField: string;
  /** the single-item field on Query, e.g. "ec2NatGateway", taking the id field as its argument */
  singleField: string;
  /** the Describe command for one page: the kit's Filters, token and size go into its input */
  request: (page: Ec2PageInput) => AwsCommand<Output>;
  /** MaxResults' limits, or "unpaged" for a call that answers everything at once */
  pageSize: { min: number; max: number } | "unpaged";
  items: (output: Output) => readonly Item[] | undefined;
  id: {
    /** the field holding the AWS id, also the single-item field's argument */
    field: keyof Fields & string;
    /** what an id looks like; anything else is null without a call */
    pattern: RegExp;
    /** how a batch of ids is looked up: by this EC2 filter, or by the command's ids parameter */
    lookup: { filter: string } | { request: (ids: string[]) => AwsCommand<Output> };
  };
  fields: (f: FieldKit<Item>) => Fields;
  /** the filter input's fields, pushed down as EC2 Filters */
  filter?: (f: FilterKit) => FilterFields;
  /** arguments of the list field itself that are filters too (`ec2Subnets(vpcId:)`) */
  listArguments?: (f: FilterKit) => FilterFields;
}

export function ec2Resource<Output extends MetadataBearer, Item, Fields extends FieldSpecs<Item>>(
  spec: Ec2ResourceSpec<Output, Item, Fields>,
): Ec2Resource<ModelOf<Fields> & Regional> {
  type Model = ModelOf<Fields> & Regional;
  const fields = spec.fields(fieldKit<Item>());
  const toModel = modelMapper<Item, Fields, Regional>(fields, ["region", "account"]);
  const idOf = (model: Model) => model[spec.id.field] as string;
  const paging = spec.pageSize === "unpaged" ? { min: 1, max: Number.MAX_SAFE_INTEGER } : spec.pageSize;
  const unpaged = spec.pageSize === "unpaged";

  const modelsOf = (output: Output, region: string, account: string) => {
    const models: Model[] = [];
    for (const item of spec.items(output) ?? []) models.push(toModel(item, { region, account }));
    return models;
  };
  const source = (aws: RequestAws, region: string, filters: Filter[]): PagedSource<Model> =>
    awsListSource(aws, {
      service: "ec2",
      region,
      minPageSize: paging.min,
      maxPageSize: paging.max,
      command: (token, pageSize) =>
        spec.request({ Filters: filters.length ? filters : undefined, ...(unpaged ? {} : { MaxResults: pageSize, NextToken: token }) }),
      items: (output) => modelsOf(output, region, aws.account),
      nextToken: (output) => (unpaged ? undefined : (output as { NextToken?: string }).NextToken),
    }) as PagedSource<Model>;

  const lookup = spec.id.lookup;
  const lookupSource = (aws: RequestAws, region: string, ids: string[]): PagedSource<Model> =>
    "filter" in lookup
      ? source(aws, region, [{ Name: lookup.filter, Values: ids }])
      : awsListSource(aws, {
          service: "ec2",
          region,
          minPageSize: 1,
          maxPageSize: IDS_PER_LOOKUP,
          command: () => lookup.request(ids),
          items: (output) => modelsOf(output, region, aws.account),
          nextToken: () => undefined,
        });

  const filterFields = spec.filter?.(filterKit) ?? {};
  const listArguments = spec.listArguments?.(filterKit) ?? {};
  const filterInput =
    spec.filter && (builder.inputType(`${spec.name}Filter`, { fields: (t) => filterInputFields(t, filterFields) }) as InputObjectRef<SchemaTypes, Record<string, unknown>>);

  const node = defineNode<Model>({
    name: spec.name,
    key: (model) => regionalKey(model.account, model.region, idOf(model)),
    lookup: regionalLookup(spec.name, spec.id.pattern, lookupSource, idOf),
    fields: { region: exposed("String"), ...fields },
  });
  const resource: Ec2Resource<Model> = {
    ...node,
    itemsPerCall: paging.max,
    filterInput: filterInput || undefined,
    filters: (input, parent) => filtersOf(filterFields, input, parent),
    source,
  };

  builder.queryFields((t) => ({
    [spec.listField]: t.field({
      type: node.connection,
      args: {
        region: t.arg.string(),
        regions: t.arg.stringList({ description: 'region names and patterns ("*": every region enabled for the account, "us-*")' }),
        accounts: t.arg.stringList({ description: 'names from AWS_ACCOUNTS, "default" for the gateway\'s own, ["*"] for all' }),
        ...(filterInput ? { filter: t.arg({ type: filterInput }) } : {}),
        ...filterInputFields(t.arg as unknown as InputFieldBuilder, listArguments),
        ...pagingArgs(t.arg),
      },
      extensions: listCost(paging.max),
      resolve: (_root, args, ctx, info) => {
        const filters = filtersOf({ ...filterFields, ...listArguments }, { ...(args.filter as Record<string, unknown> | undefined), ...args });
        const regions = regionsAsked(args.region as string | null | undefined, args.regions as string[] | null | undefined, ctx.aws.defaultRegion);
        const accounts = ctx.accounts.named(args.accounts as string[] | null | undefined);
        // One account and region as before names its listing as before; several name all of them.
        const single = args.regions == null && args.accounts == null;
        const listing = { field: `Query.${spec.listField}`, args: single ? { region: regions[0], filters } : { accounts, regions, filters }, path: pathToArray(info.path) };
        return resolveConnection(ctx, listing, args as ConnectionArgs, () => regionalSources(ctx, accounts, regions, (aws, region) => source(aws, region, filters)));
      },
    }),
    [spec.singleField]: t.field({
      type: node.ref,
      nullable: true,
      args: { [spec.id.field]: t.arg.string({ required: true }), region: t.arg.string(), account: t.arg.string() },
      extensions: lookupCost(IDS_PER_LOOKUP),
      resolve: (_root, args, ctx) => {
        const key = regionalKey(ctx.accounts.one(args.account as string | null | undefined), ctx.aws.region(args.region as string | null | undefined), args[spec.id.field] as string);
        return pothosShape(loadOne(resource, ctx, key));
      },
    }),
  }));
  return resource;
}

/**
 * The links of a resource to others, declared beside it (not inside it: resources link both ways,
 * and TypeScript cannot type two declarations that each name the other). Targets are thunks, read
 * when the schema is built, once every resource module has been evaluated.
 */
export function ec2Links<Model extends Regional>(resource: Ec2Resource<Model>, links: (l: LinkKit<Model>) => Record<string, Link<Model>>): void {
  const declared = links(linkKit<Model>());
  builder.objectFields(resource.ref, (t) =>
    Object.fromEntries(Object.entries(declared).map(([fieldName, link]) => [fieldName, link(t, { typeName: resource.name, fieldName })])),
  );
}

/**
 * A DataLoader batch over account-and-region keys: one Describe call per account, region and 200
 * ids, null where nothing has that id. Lookups go by filter where EC2 has one: with an ids
 * parameter, one unknown id fails the whole call with `*.NotFound`, and then each id is asked alone.
 */
function regionalLookup<Model extends Regional & JsonSafe>(
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
        for (const id of ids) found.set(regionalKey(aws.account, region, id), contractErrorOf(error) as Error);
      }
    };
    const bySource = new Map<string, { account: string; region: string; ids: Set<string> }>();
    for (const key of keys) {
      const named = splitRegionalKey(ctx, key);
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
          for (const id of ids) found.set(regionalKey(account, region, id), error as Error);
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
