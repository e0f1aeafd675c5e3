// IamGroup.users: GetGroup pages the group's members (Marker, MaxItems).
import { GetGroupCommand } from "@aws-sdk/client-iam";
import { builder } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { iamListSource } from "./common.js";
import { IamGroup } from "./groups.js";
import { IamUserConnection, toUserModel } from "./users.js";

builder.objectFields(IamGroup, (t) => ({
  users: t.field({
    type: IamUserConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (g, args, ctx) =>
      resolveConnection(ctx, { field: "IamGroup.users", parentId: g.groupName, args: {} }, args, () =>
        iamListSource(ctx, (marker, maxItems) => new GetGroupCommand({ GroupName: g.groupName, Marker: marker, MaxItems: maxItems }), (out) => (out.Users ?? []).map(toUserModel)),
      ),
  }),
}));
