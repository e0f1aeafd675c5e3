// IAM roles: ListRoles, GetRole, attached policies and the trust policy.
import { GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { builder } from "../../graphql/builder.js";
import { iamResource } from "../../graphql/kit/iam.js";
import { policyDocument } from "./common.js";
import { attachedPolicies } from "./policies.js";

export const IamRole = iamResource({
  name: "IamRole",
  listField: "iamRoles",
  singleField: "iamRole",
  list: (page) => new ListRolesCommand(page),
  items: (out) => out.Roles,
  id: { field: "roleName", get: (name) => new GetRoleCommand({ RoleName: name }), item: (out) => out.Role },
  arnType: "role",
  fields: (f) => ({
    roleName: f.requiredString((r) => r.RoleName ?? ""),
    roleId: f.requiredString((r) => r.RoleId ?? ""),
    arn: f.requiredString((r) => r.Arn ?? ""),
    path: f.requiredString((r) => r.Path ?? "/"),
    createDate: f.date((r) => r.CreateDate),
    description: f.string((r) => r.Description),
    maxSessionDuration: f.int((r) => r.MaxSessionDuration),
    assumeRolePolicyDocument: f.string((r) => policyDocument(r.AssumeRolePolicyDocument), "the trust policy, JSON"),
  }),
});

builder.objectFields(IamRole.ref, (t) => ({
  attachedPolicies: attachedPolicies(t, "IamRole", (r) => r.roleName, (r, page) => new ListAttachedRolePoliciesCommand({ RoleName: r.roleName, ...page })),
}));
