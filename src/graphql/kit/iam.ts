// The IAM family in one declaration each: a global list call (Marker, IsTruncated, MaxItems 1..1000)
// under a path prefix, a Get call per name, the fields, and per-parent listings as links.
import type { MetadataBearer } from "@smithy/types";
import { accountKey, type InAccount } from "../../aws/accounts.js";
import type { AwsCommand } from "../../aws/clients.js";
import { IAM_PAGING, iamListSource, type PageInput } from "../../aws/list-operation.js";
import { badInput } from "../../errors.js";
import type { JsonSafe } from "../../pagination/source.js";
import { listCost } from "../aws-cost.js";
import { pagingArgs, type SchemaTypes } from "../builder.js";
import { resolveConnection } from "../connection.js";
import type { FieldKit, FieldSpecs, ModelOf } from "./fields.js";
import { pothosShape, type NodeResource } from "./node.js";
import { lastPart } from "./arns.js";
import { resource, stringArgument, type DeclaredResource, type FilterSpec } from "./resource.js";

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

export type IamResource<Model extends InAccount, Item> = DeclaredResource<Model, Item>;

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
  /** the resource type its ARNs name (arn:aws:iam::account:role/path/name), whose last part is the name */
  arnType: "user" | "role" | "group";
}

/** IAM's `pathPrefix` argument, checked and pushed down as PathPrefix. */
const PATH_PREFIX: FilterSpec = {
  arguments: (t) => ({ pathPrefix: t.string() }),
  input: ({ args, parent }) => ({ ...parent, PathPrefix: pathPrefix(stringArgument(args?.pathPrefix)) }),
};

/** The IAM preset: global, Marker while IsTruncated, a path prefix, one Get call per name. */
export function iamResource<ListOutput extends IamPage, GetOutput extends MetadataBearer, Item, Fields extends FieldSpecs<Item>>(
  spec: IamResourceSpec<ListOutput, GetOutput, Item, Fields>,
): IamResource<ModelOf<Fields> & InAccount, Item> {
  return resource({
    name: spec.name,
    scope: "global",
    list: { service: "iam", command: (input) => spec.list({ PathPrefix: "/", ...input }), items: spec.items, ...IAM_PAGING },
    query: { list: spec.listField, single: spec.singleField },
    id: { field: spec.id.field, pattern: IAM_NAME, lookup: { each: async (name, send) => spec.id.item(await send(spec.id.get(name))) } },
    fields: spec.fields,
    filters: PATH_PREFIX,
    arn: { type: `iam:${spec.arnType}`, id: lastPart, of: { field: "arn" } },
  });
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
    toModel: (where: InAccount) => (item: Item) => Model;
  },
) {
  return t.field({
    type: spec.target.connection,
    args: { ...pagingArgs(t.arg) },
    extensions: listCost(IAM_MAX_ITEMS),
    resolve: (parent, args, ctx) =>
      pothosShape(
        resolveConnection(ctx, { field: `${place.typeName}.${place.fieldName}`, parentId: accountKey(parent.account, spec.parentId(parent)), args: {} }, args, () =>
          iamListSource(ctx.aws.forAccount(parent.account), (page) => spec.request(parent, page), spec.items, spec.toModel({ account: parent.account })),
        ),
      ),
  });
}
