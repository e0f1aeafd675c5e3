// The EC2 family in one declaration each: a regional Describe call with Filters, MaxResults and
// NextToken (or none, for calls AWS does not page) becomes a paged source, a batched loader, a
// node type, its connection, `ec2Xs`/`ec2X` query fields, a filter input, links, and cost data.
import type { Filter } from "@aws-sdk/client-ec2";
import type { InputObjectRef } from "@pothos/core";
import type { MetadataBearer } from "@smithy/types";
import { pathToArray } from "graphql/jsutils/Path.js";
import type { AwsCommand, RequestAws } from "../../aws/clients.js";
import { regionsAsked } from "../../aws/regions.js";
import { filterKit, filtersOf, type FilterFields, type FilterKit } from "../../aws/ec2-filters.js";
import { ec2Paging, listSource, tokens, type ListOperation, type PageInput } from "../../aws/list-operation.js";
import type { PagedSource } from "../../pagination/source.js";
import { listCost, lookupCost } from "../aws-cost.js";
import { builder, pagingArgs, TagFilter, type SchemaTypes } from "../builder.js";
import { regionalListing } from "../../aws/sources.js";
import { resolveConnection, type ConnectionArgs } from "../connection.js";
import { exposed, fieldKit, modelMapper, type FieldKit, type FieldSpecs, type ModelOf } from "./fields.js";
import type { InAccount } from "../../aws/accounts.js";
import { IDS_PER_LOOKUP, regionalKey, regionalLookup } from "../../aws/lookups.js";
import { defineNode, loadExisting, loadOne, pothosShape, type NodeResource } from "./node.js";

/** Every EC2 model knows its account and region. */
export type Regional = { region: string } & InAccount;

/** The items of nested AWS lists, flattened with loops (EC2 instances come in reservations). */
export function flatten<Outer, Inner>(outer: readonly Outer[] | undefined, inner: (item: Outer) => readonly Inner[] | undefined): Inner[] {
  const items: Inner[] = [];
  for (const item of outer ?? []) for (const value of inner(item) ?? []) items.push(value);
  return items;
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
  request: (page: PageInput) => AwsCommand<Output>;
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
  const operation: ListOperation<Output, Item> =
    spec.pageSize === "unpaged"
      ? { service: "ec2", command: spec.request, items: spec.items, tokens: tokens.none(), pageSize: { min: 1, max: Number.MAX_SAFE_INTEGER } }
      : { service: "ec2", command: spec.request, items: spec.items, ...ec2Paging(spec.pageSize) };
  const paging = operation.pageSize;
  const modelIn = (aws: RequestAws, region: string) => (item: Item) => toModel(item, { region, account: aws.account });
  const source = (aws: RequestAws, region: string, filters: Filter[]): PagedSource<Model> =>
    listSource(aws, region, operation, modelIn(aws, region), filters.length ? { Filters: filters } : {});

  const lookup = spec.id.lookup;
  const lookupSource = (aws: RequestAws, region: string, ids: string[]): PagedSource<Model> =>
    "filter" in lookup
      ? source(aws, region, [{ Name: lookup.filter, Values: ids }])
      : listSource(aws, region, { ...operation, command: () => lookup.request(ids), tokens: tokens.none(), pageSize: { min: 1, max: IDS_PER_LOOKUP } }, modelIn(aws, region));

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
        return resolveConnection(ctx, listing, args as ConnectionArgs, () => regionalListing(ctx, accounts, regions, (aws, region) => source(aws, region, filters)));
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
