// IAM users: ListUsers, GetUser, and what each user has: groups, policies, access keys.
import {
  type AccessKeyMetadata,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
} from "@aws-sdk/client-iam";
import { perParentCost } from "../../graphql/aws-cost.js";
import { builder } from "../../graphql/builder.js";
import { valueType, type FieldKit } from "../../graphql/kit/fields.js";
import { iamListSource } from "../../aws/list-operation.js";
import { iamResource, listedFor } from "../../graphql/kit/iam.js";
import { readAll } from "../../pagination/engine.js";
import { IamGroup } from "./groups.js";
import { attachedPolicies } from "./policies.js";

export const IamUser = iamResource({
  name: "IamUser",
  listField: "iamUsers",
  singleField: "iamUser",
  list: (page) => new ListUsersCommand(page),
  items: (out) => out.Users,
  id: { field: "userName", get: (name) => new GetUserCommand({ UserName: name }), item: (out) => out.User },
  arnType: "user",
  fields: (f) => ({
    userName: f.requiredString((u) => u.UserName ?? ""),
    userId: f.requiredString((u) => u.UserId ?? ""),
    arn: f.requiredString((u) => u.Arn ?? ""),
    path: f.requiredString((u) => u.Path ?? "/"),
    createDate: f.date((u) => u.CreateDate),
    passwordLastUsed: f.date((u) => u.PasswordLastUsed),
  }),
});

const IamAccessKey = valueType(
  "IamAccessKey",
  (f: FieldKit<AccessKeyMetadata>) => ({
    accessKeyId: f.requiredString((k) => k.AccessKeyId ?? ""),
    status: f.requiredString((k) => k.Status ?? "unknown", "Active or Inactive"),
    createDate: f.date((k) => k.CreateDate),
  }),
  "an access key's id and state; the secret is never available",
);

builder.objectFields(IamUser.ref, (t) => ({
  groups: listedFor(t, { typeName: "IamUser", fieldName: "groups" }, {
    target: IamGroup,
    parentId: (u) => u.userName,
    request: (u, page) => new ListGroupsForUserCommand({ UserName: u.userName, ...page }),
    items: (out) => out.Groups,
    toModel: IamGroup.toModel,
  }),
  attachedPolicies: attachedPolicies(t, "IamUser", (u) => u.userName, (u, page) => new ListAttachedUserPoliciesCommand({ UserName: u.userName, ...page })),
  inlinePolicyNames: t.stringList({
    description: "names of the policies embedded in the user",
    extensions: perParentCost(),
    resolve: (u, _args, ctx) =>
      readAll(
        iamListSource(ctx.aws.forAccount(u.account), (page) => new ListUserPoliciesCommand({ UserName: u.userName, ...page }), (out) => out.PolicyNames, (name) => name),
        ctx.paging.maxAwsCallsPerPage,
      ),
  }),
  accessKeys: t.field({
    type: [IamAccessKey.ref],
    extensions: perParentCost(),
    resolve: (u, _args, ctx) =>
      readAll(
        iamListSource(
          ctx.aws.forAccount(u.account),
          (page) => new ListAccessKeysCommand({ UserName: u.userName, ...page }),
          (out) => out.AccessKeyMetadata,
          IamAccessKey.model,
        ),
        ctx.paging.maxAwsCallsPerPage,
      ),
  }),
}));
