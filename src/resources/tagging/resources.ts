// Search by tag, across services: the Resource Groups Tagging API's GetResources (PaginationToken
// in and out, ResourcesPerPage 1..100), `tags` and `types` pushed down as TagFilters and
// ResourceTypeFilters, in every account's region asked. A tagged resource's id is its ARN; one is
// looked up with GetResources { ResourceARNList } (up to 100 ARNs a call; AWS takes no page size or
// token beside it). Its `node` is the gateway's own node for the ARN, looked up through that type's
// loader (src/graphql/kit/arns.ts), so a page of ARNs of one type is one batch.
import type { ResourceTagMapping } from "@aws-sdk/client-resource-groups-tagging-api";
import { tokens, type PageInput } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { badInput } from "../../errors.js";
import { lookupCost } from "../../graphql/aws-cost.js";
import { builder, TagFilter } from "../../graphql/builder.js";
import { arnResourceType, nodeOfArn, parseArn } from "../../graphql/kit/arns.js";
import { resource, type InputFieldBuilder as ArgumentFieldBuilder } from "../../graphql/kit/resource.js";

/** AWS's limits on GetResources' filters. */
const MAX_TAG_FILTERS = 50;
const MAX_VALUES_PER_TAG = 20;
const MAX_TYPES = 100;
/** "service" or "service:type", as the Tagging API names resource types ("ec2:instance", "s3", "elasticloadbalancing:loadbalancer") */
const RESOURCE_TYPE = /^[a-z0-9-]{1,64}(?::[A-Za-z0-9-]{1,128})?$/;

interface TagFilterArgument {
  key: string;
  values: readonly string[];
}

/** TagFilters from `tags`, checked against AWS's limits, in one order (the cursor's fingerprint is the input's). */
function tagFilters(tags: readonly TagFilterArgument[]): { Key: string; Values?: string[] }[] {
  if (tags.length > MAX_TAG_FILTERS) throw badInput(`\`tags\` takes at most ${MAX_TAG_FILTERS} tag filters.`, { argument: "tags" });
  return tags
    .map(({ key, values }) => {
      if (key.length === 0 || key.length > 128) throw badInput("A tag filter's key takes 1 to 128 characters.", { argument: "tags" });
      if (values.length > MAX_VALUES_PER_TAG) throw badInput(`A tag filter takes at most ${MAX_VALUES_PER_TAG} values.`, { argument: "tags" });
      if (values.some((value) => value.length > 256)) throw badInput("A tag value takes at most 256 characters.", { argument: "tags" });
      // No values: any value of the key (AWS's own meaning of a filter without Values).
      return values.length === 0 ? { Key: key } : { Key: key, Values: [...new Set(values)].sort() };
    })
    .sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}

/** ResourceTypeFilters from `types`, checked first. */
function typeFilters(types: readonly string[]): string[] {
  if (types.length > MAX_TYPES) throw badInput(`\`types\` takes at most ${MAX_TYPES} resource types.`, { argument: "types" });
  for (const type of types) {
    if (!RESOURCE_TYPE.test(type)) throw badInput(`Not a resource type: "${type}" (write "service" or "service:type", such as "ec2:instance" or "s3").`, { argument: "types" });
  }
  return [...new Set(types)].sort();
}

const searchArguments = (t: ArgumentFieldBuilder) => ({
  tags: t.field({
    type: [TagFilter],
    description: `resources with every one of these tags, each with any of its values (no values: any value); at most ${MAX_TAG_FILTERS} filters of at most ${MAX_VALUES_PER_TAG} values, pushed down to AWS`,
  }),
  types: t.stringList({ description: `resource types, such as "ec2:instance", "lambda:function" or "s3" (a whole service); at most ${MAX_TYPES}, pushed down to AWS` }),
});

export const TaggedResource = resource({
  name: "TaggedResource",
  description: "a resource as the Resource Groups Tagging API lists it: its ARN and tags, and the gateway's own node for it where the gateway serves its type",
  scope: "regional",
  list: {
    service: "tagging",
    command: (input) => namedCommand("tagging", "GetResourcesCommand", input),
    // AWS ends the listing with an empty PaginationToken, which tokens.field reads as the end.
    tokens: tokens.field("PaginationToken"),
    pageSize: { member: "ResourcesPerPage", min: 1, max: 100 },
    items: (out) => out.ResourceTagMappingList,
  },
  query: { list: "resources", description: "resources by tag across services (the Resource Groups Tagging API's GetResources), in each account's region asked" },
  id: {
    field: "arn",
    pattern: (arn) => parseArn(arn) !== undefined,
    region: (arn) => parseArn(arn)?.region || undefined,
    lookup: { input: (arns) => ({ ResourceARNList: arns }), idsPerCall: 100, unpaged: true },
  },
  fields: (f) => ({
    arn: f.requiredString((r: ResourceTagMapping) => r.ResourceARN ?? ""),
    resourceType: f.requiredString((r) => {
      const arn = parseArn(r.ResourceARN ?? "");
      return arn ? arnResourceType(arn) : "";
    }, 'as the Tagging API names it, from the ARN: "ec2:instance", "lambda:function", "s3" (a bucket\'s ARN names no type)'),
    tags: f.tags((r) => r.Tags),
  }),
  filters: {
    arguments: searchArguments,
    input: ({ args, parent }): PageInput => {
      const input: PageInput = { ...parent };
      const tags = args?.tags;
      if (Array.isArray(tags) && tags.length > 0) input.TagFilters = tagFilters(tags as TagFilterArgument[]);
      const types = args?.types;
      if (Array.isArray(types) && types.length > 0) input.ResourceTypeFilters = typeFilters(types as string[]);
      return input;
    },
  },
});

builder.objectFields(TaggedResource.ref, (t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: "the gateway's own node for this ARN (an Ec2Instance, a LambdaFunction, an S3Bucket ...), looked up in batches per type; null for types the gateway does not serve and for resources that no longer exist",
    extensions: lookupCost(1),
    resolve: (r, _args, ctx) => (parseArn(r.arn) ? nodeOfArn(ctx, r.arn, r.account) : null),
  }),
}));
