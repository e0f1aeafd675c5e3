// IAM roles: ListRoles, GetRole, attached policies and the trust policy.
import { GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolesCommand, type Role } from "@aws-sdk/client-iam";
import type { GatewayContext } from "../../context.js";
import { lookupEach } from "../../aws/lookups.js";
import { builder } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { IAM_NAME, iamListSource, iso, pathPrefix, policyDocument } from "./common.js";
import { IamPolicyConnection, resolveAttachedPolicies } from "./policies.js";

export interface IamRoleModel {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate?: string;
  description?: string;
  maxSessionDuration?: number;
  assumeRolePolicyDocument?: string;
}

const toModel = (r: Role): IamRoleModel => ({
  roleName: r.RoleName ?? "",
  roleId: r.RoleId ?? "",
  arn: r.Arn ?? "",
  path: r.Path ?? "/",
  createDate: iso(r.CreateDate),
  description: r.Description,
  maxSessionDuration: r.MaxSessionDuration,
  assumeRolePolicyDocument: policyDocument(r.AssumeRolePolicyDocument),
});

const loadRoles = lookupEach(
  (name) => IAM_NAME.test(name),
  async (name, ctx) => {
    const out = await ctx.aws.send("iam", ctx.aws.defaultRegion, new GetRoleCommand({ RoleName: name }));
    return out.Role && toModel(out.Role);
  },
);

export const IamRole = builder.loadableNode("IamRole", {
  id: { resolve: (r: IamRoleModel) => r.roleName },
  load: loadRoles as (names: string[], ctx: GatewayContext) => Promise<(IamRoleModel | Error)[]>,
  fields: (t) => ({
    roleName: t.exposeString("roleName"),
    roleId: t.exposeString("roleId"),
    arn: t.exposeString("arn"),
    path: t.exposeString("path"),
    createDate: t.exposeString("createDate", { nullable: true }),
    description: t.exposeString("description", { nullable: true }),
    maxSessionDuration: t.exposeInt("maxSessionDuration", { nullable: true }),
    assumeRolePolicyDocument: t.exposeString("assumeRolePolicyDocument", { nullable: true, description: "the trust policy, JSON" }),
    attachedPolicies: t.field({
      type: IamPolicyConnection,
      args: { first: t.arg.int(), after: t.arg.string() },
      resolve: (r, args, ctx) =>
        resolveAttachedPolicies(ctx, { field: "IamRole.attachedPolicies", parentId: r.roleName }, args, (marker, maxItems) =>
          new ListAttachedRolePoliciesCommand({ RoleName: r.roleName, Marker: marker, MaxItems: maxItems }),
        ),
    }),
  }),
});

const IamRoleConnection = builder.connectionObject({ type: IamRole, name: "IamRoleConnection" });

builder.queryFields((t) => ({
  iamRoles: t.field({
    type: IamRoleConnection,
    args: { pathPrefix: t.arg.string(), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => {
      const prefix = pathPrefix(args.pathPrefix);
      return resolveConnection(ctx, { field: "Query.iamRoles", args: { prefix } }, args, () =>
        iamListSource(ctx, (marker, maxItems) => new ListRolesCommand({ PathPrefix: prefix, Marker: marker, MaxItems: maxItems }), (out) => (out.Roles ?? []).map(toModel)),
      );
    },
  }),
  iamRole: t.field({
    type: IamRole,
    nullable: true,
    args: { roleName: t.arg.string({ required: true }) },
    resolve: (_root, args) => args.roleName,
  }),
}));
