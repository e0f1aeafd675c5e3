// IAM groups: ListGroups, GetGroup (which also pages the group's users).
import { GetGroupCommand, ListAttachedGroupPoliciesCommand, ListGroupsCommand, type Group } from "@aws-sdk/client-iam";
import type { GatewayContext } from "../../context.js";
import { lookupEach } from "../../aws/lookups.js";
import { builder } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { IAM_NAME, iamListSource, iso, pathPrefix } from "./common.js";
import { IamPolicyConnection, resolveAttachedPolicies } from "./policies.js";

export interface IamGroupModel {
  groupName: string;
  groupId: string;
  arn: string;
  path: string;
  createDate?: string;
}

export const toGroupModel = (g: Group): IamGroupModel => ({
  groupName: g.GroupName ?? "",
  groupId: g.GroupId ?? "",
  arn: g.Arn ?? "",
  path: g.Path ?? "/",
  createDate: iso(g.CreateDate),
});

const loadGroups = lookupEach(
  (name) => IAM_NAME.test(name),
  async (name, ctx) => {
    const out = await ctx.aws.send("iam", ctx.aws.defaultRegion, new GetGroupCommand({ GroupName: name, MaxItems: 1 }));
    return out.Group && toGroupModel(out.Group);
  },
);

export const IamGroup = builder.loadableNode("IamGroup", {
  id: { resolve: (g: IamGroupModel) => g.groupName },
  load: loadGroups as (names: string[], ctx: GatewayContext) => Promise<(IamGroupModel | Error)[]>,
  fields: (t) => ({
    groupName: t.exposeString("groupName"),
    groupId: t.exposeString("groupId"),
    arn: t.exposeString("arn"),
    path: t.exposeString("path"),
    createDate: t.exposeString("createDate", { nullable: true }),
    attachedPolicies: t.field({
      type: IamPolicyConnection,
      args: { first: t.arg.int(), after: t.arg.string() },
      resolve: (g, args, ctx) =>
        resolveAttachedPolicies(ctx, { field: "IamGroup.attachedPolicies", parentId: g.groupName }, args, (marker, maxItems) =>
          new ListAttachedGroupPoliciesCommand({ GroupName: g.groupName, Marker: marker, MaxItems: maxItems }),
        ),
    }),
  }),
});

export const IamGroupConnection = builder.connectionObject({ type: IamGroup, name: "IamGroupConnection" });

builder.queryFields((t) => ({
  iamGroups: t.field({
    type: IamGroupConnection,
    args: { pathPrefix: t.arg.string(), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => {
      const prefix = pathPrefix(args.pathPrefix);
      return resolveConnection(ctx, { field: "Query.iamGroups", args: { prefix } }, args, () =>
        iamListSource(ctx, (marker, maxItems) => new ListGroupsCommand({ PathPrefix: prefix, Marker: marker, MaxItems: maxItems }), (out) => (out.Groups ?? []).map(toGroupModel)),
      );
    },
  }),
  iamGroup: t.field({
    type: IamGroup,
    nullable: true,
    args: { groupName: t.arg.string({ required: true }) },
    resolve: (_root, args) => args.groupName,
  }),
}));
