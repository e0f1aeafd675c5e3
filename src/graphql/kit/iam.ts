// The IAM family in one declaration each: a global list call (Marker, IsTruncated, MaxItems 1..1000)
// under a path prefix, a Get call per name, the fields, and per-parent listings as links.
import type { MetadataBearer } from "@smithy/types";
import { pathToArray } from "graphql/jsutils/Path.js";
import type { AwsCommand } from "../../aws/clients.js";
import { IAM_PAGING, iamListSource, type PageInput } from "../../aws/list-operation.js";
import { badInput } from "../../errors.js";
import type { JsonSafe } from "../../pagination/source.js";
import { listCost, lookupCost } from "../aws-cost.js";
import { builder, pagingArgs, type SchemaTypes } from "../builder.js";
import { accountsListing } from "../../aws/sources.js";
import { accountsArgs, resolveConnection } from "../connection.js";
import { fieldKit, modelMapper, type FieldKit, type FieldSpecs, type ModelOf } from "./fields.js";
import { accountKey, type InAccount } from "../../aws/accounts.js";
import { lookupEach } from "../../aws/lookups.js";
import { defineNode, loadOne, pothosShape, type NodeResource } from "./node.js";

/** IAM's paging fields, common to every list call. */
export interface IamPage extends MetadataBearer {
  IsTruncated?: boolean;
  Marker?: string;
}

/** The members the paging sets in an IAM list call's input. */
export type IamPageInput = PageInput;

export const IAM_MAX_ITEMS = IAM_PAGING.pageSize.max;

/** Names of users, roles and groups. */
export const IAM_NAME = /^[\w+=,.@-]{1,128}$/;

/** IAM path prefixes start and end with "/"; the default lists everything. */
export function pathPrefix(prefix: string | null | undefined): string {
  if (prefix === null || prefix === undefined) return "/";
  if (!/^\/([\x21-\x7e]*\/)?$/.test(prefix) || prefix.length > 512) {
    throw badInput('`pathPrefix` must start and end with "/" (for example "/engineering/"), in 512 characters or fewer.', { argument: "pathPrefix" });
  }
  return prefix;
}

export interface IamResource<Model, Item> extends NodeResource<Model> {
  /** the loader key of a name in the account of a model that names it */
  keyOf(where: InAccount, name: string): string;
  readonly idsPerLookup: number;
  /** the model of an item of the resource's own list and Get calls, read in `account` */
  toModel(account: string): (item: Item) => Model;
}


export interface IamResourceSpec<ListOutput extends IamPage, GetOutput extends MetadataBearer, Item, Fields extends FieldSpecs<Item>> {
  /** the GraphQL type, e.g. "IamUser" */
  name: string;
  listField: string;
  singleField: string;
  /** ListUsers and the like, under a path prefix */
  list: (page: IamPageInput & { PathPrefix: string }) => AwsCommand<ListOutput>;
  items: (out: ListOutput) => readonly Item[] | undefined;
  id: {
    /** the field holding the name, also the single-item field's argument */
    field: keyof Fields & string;
    /** GetUser and the like, for one name */
    get: (id: string) => AwsCommand<GetOutput>;
    item: (out: GetOutput) => Item | undefined;
  };
  fields: (f: FieldKit<Item>) => Fields;
}

export function iamResource<ListOutput extends IamPage, GetOutput extends MetadataBearer, Item, Fields extends FieldSpecs<Item>>(
  spec: IamResourceSpec<ListOutput, GetOutput, Item, Fields>,
): IamResource<ModelOf<Fields> & InAccount, Item> {
  type Model = ModelOf<Fields> & InAccount;
  const fields = spec.fields(fieldKit<Item>());
  const map = modelMapper<Item, Fields, InAccount>(fields, ["account"]);
  const toModel = (account: string) => (item: Item): Model => map(item, { account });
  const node = defineNode<Model>({
    name: spec.name,
    key: (model) => accountKey(model.account, model[spec.id.field] as string),
    lookup: lookupEach(
      (name) => IAM_NAME.test(name),
      async (name, ctx, account) => {
        const aws = ctx.aws.forAccount(account);
        const item = spec.id.item(await aws.send("iam", aws.defaultRegion, spec.id.get(name)));
        return item && toModel(account)(item);
      },
    ),
    fields,
  });
  const resource: IamResource<Model, Item> = { ...node, toModel, keyOf: (where, name) => accountKey(where.account, name), idsPerLookup: 1 };

  builder.queryFields((t) => ({
    [spec.listField]: t.field({
      type: node.connection,
      args: { pathPrefix: t.arg.string(), accounts: t.arg.stringList(), ...pagingArgs(t.arg) },
      extensions: listCost(IAM_MAX_ITEMS),
      resolve: (_root, args, ctx, info) => {
        const prefix = pathPrefix(args.pathPrefix);
        const accounts = ctx.accounts.named(args.accounts);
        const listing = { field: `Query.${spec.listField}`, args: accountsArgs(accounts, { prefix }, args.accounts != null), path: pathToArray(info.path) };
        return resolveConnection(ctx, listing, args, () =>
          accountsListing(ctx, accounts, (aws) => iamListSource(aws, (page) => spec.list({ ...page, PathPrefix: prefix }), spec.items, toModel(aws.account))),
        );
      },
    }),
    [spec.singleField]: t.field({
      type: node.ref,
      nullable: true,
      args: { [spec.id.field]: t.arg.string({ required: true }), account: t.arg.string() },
      extensions: lookupCost(1),
      resolve: (_root, args, ctx) => pothosShape(loadOne(resource, ctx, accountKey(ctx.accounts.one(args.account as string | null | undefined), args[spec.id.field] as string))),
    }),
  }));
  return resource;
}

type ParentFieldBuilder<Parent> = PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Parent>;

/**
 * A connection of what IAM lists for one parent (a user's groups, a role's policies): the parent
 * names the listing, so its cursors work only under that parent.
 */
export function listedFor<Parent extends InAccount, Output extends IamPage, Item, Model extends JsonSafe>(
  t: ParentFieldBuilder<Parent>,
  place: { typeName: string; fieldName: string },
  spec: {
    target: NodeResource<Model>;
    parentId: (parent: Parent) => string;
    request: (parent: Parent, page: IamPageInput) => AwsCommand<Output>;
    items: (out: Output) => readonly Item[] | undefined;
    /** the model of an item, read in the parent's account */
    toModel: (account: string) => (item: Item) => Model;
  },
) {
  return t.field({
    type: spec.target.connection,
    args: { ...pagingArgs(t.arg) },
    extensions: listCost(IAM_MAX_ITEMS),
    resolve: (parent, args, ctx) =>
      pothosShape(
        resolveConnection(ctx, { field: `${place.typeName}.${place.fieldName}`, parentId: accountKey(parent.account, spec.parentId(parent)), args: {} }, args, () =>
          iamListSource(ctx.aws.forAccount(parent.account), (page) => spec.request(parent, page), spec.items, spec.toModel(parent.account)),
        ),
      ),
  });
}
