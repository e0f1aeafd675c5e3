// IAM users: ListUsers, GetUser, and what each user has: groups, policies, access keys.
import {
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  type User,
} from "@aws-sdk/client-iam";
import type { GatewayContext } from "../../context.js";
import { lookupEach } from "../../aws/lookups.js";
import { builder } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { AWS_CALL_PER_PARENT } from "../../graphql/query-limits.js";
import { readAll } from "../../pagination/engine.js";
import { IAM_NAME, iamListSource, iso, pathPrefix } from "./common.js";
import { IamGroupConnection, toGroupModel } from "./groups.js";
import { IamPolicyConnection, resolveAttachedPolicies } from "./policies.js";

export interface IamUserModel {
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate?: string;
  passwordLastUsed?: string;
}

export const toUserModel = (u: User): IamUserModel => ({
  userName: u.UserName ?? "",
  userId: u.UserId ?? "",
  arn: u.Arn ?? "",
  path: u.Path ?? "/",
  createDate: iso(u.CreateDate),
  passwordLastUsed: iso(u.PasswordLastUsed),
});

const loadUsers = lookupEach(
  (name) => IAM_NAME.test(name),
  async (name, ctx) => {
    const out = await ctx.aws.send("iam", ctx.aws.defaultRegion, new GetUserCommand({ UserName: name }));
    return out.User && toUserModel(out.User);
  },
);

interface AccessKeyModel {
  accessKeyId: string;
  status: string;
  createDate?: string;
}

const IamAccessKey = builder.objectRef<AccessKeyModel>("IamAccessKey").implement({
  description: "an access key's id and state; the secret is never available",
  fields: (t) => ({
    accessKeyId: t.exposeString("accessKeyId"),
    status: t.exposeString("status", { description: "Active or Inactive" }),
    createDate: t.exposeString("createDate", { nullable: true }),
  }),
});

export const IamUser = builder.loadableNode("IamUser", {
  id: { resolve: (u: IamUserModel) => u.userName },
  load: loadUsers as (names: string[], ctx: GatewayContext) => Promise<(IamUserModel | Error)[]>,
  fields: (t) => ({
    userName: t.exposeString("userName"),
    userId: t.exposeString("userId"),
    arn: t.exposeString("arn"),
    path: t.exposeString("path"),
    createDate: t.exposeString("createDate", { nullable: true }),
    passwordLastUsed: t.exposeString("passwordLastUsed", { nullable: true }),
    groups: t.field({
      type: IamGroupConnection,
      args: { first: t.arg.int(), after: t.arg.string() },
      resolve: (u, args, ctx) =>
        resolveConnection(ctx, { field: "IamUser.groups", parentId: u.userName, args: {} }, args, () =>
          iamListSource(
            ctx,
            (marker, maxItems) => new ListGroupsForUserCommand({ UserName: u.userName, Marker: marker, MaxItems: maxItems }),
            (out) => (out.Groups ?? []).map(toGroupModel),
          ),
        ),
    }),
    attachedPolicies: t.field({
      type: IamPolicyConnection,
      args: { first: t.arg.int(), after: t.arg.string() },
      resolve: (u, args, ctx) =>
        resolveAttachedPolicies(ctx, { field: "IamUser.attachedPolicies", parentId: u.userName }, args, (marker, maxItems) =>
          new ListAttachedUserPoliciesCommand({ UserName: u.userName, Marker: marker, MaxItems: maxItems }),
        ),
    }),
    inlinePolicyNames: t.stringList({
      description: "names of the policies embedded in the user",
      extensions: AWS_CALL_PER_PARENT,
      resolve: (u, _args, ctx) =>
        readAll(
          iamListSource(ctx, (marker, maxItems) => new ListUserPoliciesCommand({ UserName: u.userName, Marker: marker, MaxItems: maxItems }), (out) => out.PolicyNames ?? []),
          ctx.config.MAX_AWS_CALLS_PER_PAGE,
        ),
    }),
    accessKeys: t.field({
      type: [IamAccessKey],
      extensions: AWS_CALL_PER_PARENT,
      resolve: (u, _args, ctx) =>
        readAll(
          iamListSource(
            ctx,
            (marker, maxItems) => new ListAccessKeysCommand({ UserName: u.userName, Marker: marker, MaxItems: maxItems }),
            (out) => (out.AccessKeyMetadata ?? []).map((k) => ({ accessKeyId: k.AccessKeyId ?? "", status: k.Status ?? "unknown", createDate: iso(k.CreateDate) })),
          ),
          ctx.config.MAX_AWS_CALLS_PER_PAGE,
        ),
    }),
  }),
});

export const IamUserConnection = builder.connectionObject({ type: IamUser, name: "IamUserConnection" });

builder.queryFields((t) => ({
  iamUsers: t.field({
    type: IamUserConnection,
    args: { pathPrefix: t.arg.string(), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => {
      const prefix = pathPrefix(args.pathPrefix);
      return resolveConnection(ctx, { field: "Query.iamUsers", args: { prefix } }, args, () =>
        iamListSource(ctx, (marker, maxItems) => new ListUsersCommand({ PathPrefix: prefix, Marker: marker, MaxItems: maxItems }), (out) => (out.Users ?? []).map(toUserModel)),
      );
    },
  }),
  iamUser: t.field({
    type: IamUser,
    nullable: true,
    args: { userName: t.arg.string({ required: true }) },
    resolve: (_root, args) => args.userName,
  }),
}));
