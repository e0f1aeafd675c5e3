// IAM users: ListUsers, GetUser, and what each user has: groups, policies, access keys.
import {
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
} from "@aws-sdk/client-iam";
import { perParentCost } from "../../graphql/aws-cost.js";
import { builder } from "../../graphql/builder.js";
import { iamListSource, iamResource, listedFor } from "../../graphql/kit/iam.js";
import { readAll } from "../../pagination/engine.js";
import { iso } from "./common.js";
import { IamGroup } from "./groups.js";
import { attachedPolicies } from "./policies.js";

export const IamUser = iamResource({
  name: "IamUser",
  listField: "iamUsers",
  singleField: "iamUser",
  list: (page) => new ListUsersCommand(page),
  items: (out) => out.Users,
  id: { field: "userName", get: (name) => new GetUserCommand({ UserName: name }), item: (out) => out.User },
  fields: (f) => ({
    userName: f.requiredString((u) => u.UserName ?? ""),
    userId: f.requiredString((u) => u.UserId ?? ""),
    arn: f.requiredString((u) => u.Arn ?? ""),
    path: f.requiredString((u) => u.Path ?? "/"),
    createDate: f.date((u) => u.CreateDate),
    passwordLastUsed: f.date((u) => u.PasswordLastUsed),
  }),
});

type AccessKeyModel = {
  accessKeyId: string;
  status: string;
  createDate?: string;
};

const IamAccessKey = builder.objectRef<AccessKeyModel>("IamAccessKey").implement({
  description: "an access key's id and state; the secret is never available",
  fields: (t) => ({
    accessKeyId: t.exposeString("accessKeyId"),
    status: t.exposeString("status", { description: "Active or Inactive" }),
    createDate: t.exposeString("createDate", { nullable: true }),
  }),
});

builder.objectFields(IamUser.ref, (t) => ({
  groups: listedFor(t, { typeName: "IamUser", fieldName: "groups" }, {
    target: IamGroup,
    parentId: (u) => u.userName,
    request: (u, page) => new ListGroupsForUserCommand({ UserName: u.userName, ...page }),
    models: (out, account) => (out.Groups ?? []).map(IamGroup.toModel(account)),
  }),
  attachedPolicies: attachedPolicies(t, "IamUser", (u) => u.userName, (u, page) => new ListAttachedUserPoliciesCommand({ UserName: u.userName, ...page })),
  inlinePolicyNames: t.stringList({
    description: "names of the policies embedded in the user",
    extensions: perParentCost(),
    resolve: (u, _args, ctx) =>
      readAll(
        iamListSource(ctx.aws.forAccount(u.account), (page) => new ListUserPoliciesCommand({ UserName: u.userName, ...page }), (out) => out.PolicyNames ?? []),
        ctx.paging.maxAwsCallsPerPage,
      ),
  }),
  accessKeys: t.field({
    type: [IamAccessKey],
    extensions: perParentCost(),
    resolve: (u, _args, ctx) =>
      readAll(
        iamListSource(
          ctx.aws.forAccount(u.account),
          (page) => new ListAccessKeysCommand({ UserName: u.userName, ...page }),
          (out) => (out.AccessKeyMetadata ?? []).map((k): AccessKeyModel => ({ accessKeyId: k.AccessKeyId ?? "", status: k.Status ?? "unknown", createDate: iso(k.CreateDate) })),
        ),
        ctx.paging.maxAwsCallsPerPage,
      ),
  }),
}));
