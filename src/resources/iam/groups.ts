// IAM groups: ListGroups, GetGroup (which also pages the group's users), attached policies.
import { GetGroupCommand, ListAttachedGroupPoliciesCommand, ListGroupsCommand } from "@aws-sdk/client-iam";
import { builder } from "../../graphql/builder.js";
import { iamResource, listedFor } from "../../graphql/kit/iam.js";
import { attachedPolicies } from "./policies.js";
import { IamUser } from "./users.js";

export const IamGroup = iamResource({
  name: "IamGroup",
  listField: "iamGroups",
  singleField: "iamGroup",
  list: (page) => new ListGroupsCommand(page),
  items: (out) => out.Groups,
  id: { field: "groupName", get: (name) => new GetGroupCommand({ GroupName: name, MaxItems: 1 }), item: (out) => out.Group },
  arnType: "group",
  fields: (f) => ({
    groupName: f.requiredString((g) => g.GroupName ?? ""),
    groupId: f.requiredString((g) => g.GroupId ?? ""),
    arn: f.requiredString((g) => g.Arn ?? ""),
    path: f.requiredString((g) => g.Path ?? "/"),
    createDate: f.date((g) => g.CreateDate),
  }),
});

builder.objectFields(IamGroup.ref, (t) => ({
  attachedPolicies: attachedPolicies(t, "IamGroup", (g) => g.groupName, (g, page) => new ListAttachedGroupPoliciesCommand({ GroupName: g.groupName, ...page })),
  users: listedFor(t, { typeName: "IamGroup", fieldName: "users" }, {
    target: IamUser,
    parentId: (g) => g.groupName,
    request: (g, page) => new GetGroupCommand({ GroupName: g.groupName, ...page }),
    items: (out) => out.Users,
    toModel: IamUser.toModel,
  }),
}));
