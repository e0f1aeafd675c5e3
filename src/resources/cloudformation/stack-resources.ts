// A stack's resources: ListStackResources { StackName: the stack's ARN } (NextToken; no page size:
// AWS cuts a page at 1 MB, moto never pages), listed only under their stack. The stack's ARN is
// unique over time (and still lists a deleted stack's resources); with the logical id it makes the
// node id, looked up with DescribeStackResources { StackName, LogicalResourceId }.
// `node` is the gateway's own node for the resource, by its type (see served-types.ts).
import type { StackResourceSummary } from "@aws-sdk/client-cloudformation";
import { brandWithType } from "@pothos/core";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { lookupCost } from "../../graphql/aws-cost.js";
import { builder } from "../../graphql/builder.js";
import { links, resource } from "../../graphql/kit/resource.js";
import { servedType } from "./served-types.js";
import { CloudformationStack } from "./stacks.js";

/** What the fields read: a ListStackResources summary (or a DescribeStackResources item), with its stack's ARN. */
type StackResourceItem = Pick<StackResourceSummary, "LogicalResourceId" | "PhysicalResourceId" | "ResourceType" | "ResourceStatus"> & { StackId: string };

/** `<stack ARN>/<logical id>`: logical ids are alphanumeric, so the last slash splits them. */
const STACK_RESOURCE_ID = /^(arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/[A-Za-z][A-Za-z0-9-]{0,127}\/[A-Za-z0-9-]+)\/([A-Za-z0-9]{1,255})$/;

export const CloudformationStackResource = resource({
  name: "CloudformationStackResource",
  scope: "regional",
  list: {
    service: "cloudformation",
    command: (input) => namedCommand("cloudformation", "ListStackResourcesCommand", { StackName: String(input.StackName), ...input }),
    tokens: tokens.field("NextToken"),
    // no page size to ask for; a stack holds at most 500 resources, far below AWS's 1 MB pages
    pageSize: { min: 1, max: 500 },
    items: (out, input): StackResourceItem[] | undefined => out.StackResourceSummaries?.map((r) => ({ ...r, StackId: String(input.StackName) })),
  },
  id: {
    field: "stackResourceId",
    pattern: STACK_RESOURCE_ID,
    lookup: {
      each: async (id, send): Promise<StackResourceItem | undefined> => {
        const [, stackId, logicalId] = STACK_RESOURCE_ID.exec(id) ?? [];
        if (!stackId || !logicalId) return undefined;
        const out = await send(namedCommand("cloudformation", "DescribeStackResourcesCommand", { StackName: stackId, LogicalResourceId: logicalId }));
        const found = out.StackResources?.find((r) => r.LogicalResourceId === logicalId);
        return found && { ...found, StackId: stackId };
      },
    },
  },
  fields: (f) => ({
    stackResourceId: f.requiredString((r) => `${r.StackId}/${r.LogicalResourceId ?? ""}`, "the stack's ARN and the logical id, joined by a slash"),
    logicalResourceId: f.requiredString((r) => r.LogicalResourceId ?? ""),
    physicalResourceId: f.string((r) => r.PhysicalResourceId, "AWS's Ref value; null while the resource is being created"),
    resourceType: f.requiredString((r) => r.ResourceType ?? ""),
    resourceStatus: f.string((r) => r.ResourceStatus),
  }),
});

links(CloudformationStack, (l) => ({
  resources: l.children(() => CloudformationStackResource, (stack) => ({ StackName: stack.stackId }), "the stack's resources, as ListStackResources lists them"),
}));

builder.objectFields(CloudformationStackResource.ref, (t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: "the gateway's own node for this resource (an Ec2Vpc, an IamRole, a nested CloudformationStack ...), by its type and physical id; null for types it does not serve and for resources that no longer exist",
    extensions: lookupCost(1),
    resolve: async (r, _args, ctx) => {
      const served = servedType(r.resourceType);
      const physicalId = r.physicalResourceId;
      if (!served || !physicalId) return null;
      const id = served.id ? served.id(physicalId) : physicalId;
      if (id === undefined) return null;
      const target = served.target();
      const model = await target.loader(ctx).load(target.keyOf(r, id));
      if (model === null || typeof model !== "object") return null;
      // The field's type is the Node interface: the brand tells Pothos which object type this is.
      // A copy, so a model the loader (or the relay plugin) holds is never changed.
      const node = { ...model };
      brandWithType(node, target.ref);
      return node;
    },
  }),
}));
