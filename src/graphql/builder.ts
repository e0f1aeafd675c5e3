// The one Pothos builder, with the relay plugin (Node, node/nodes, connections), and shared small types.
import SchemaBuilder, { type ArgBuilder } from "@pothos/core";
import RelayPlugin from "@pothos/plugin-relay";
import { IDS_PER_LOOKUP } from "../aws/lookups.js";
import { badInput } from "../errors.js";
import { edgesCost, lookupCost } from "./aws-cost.js";
import type { ResourceContext } from "./resource-context.js";

export const builder = new SchemaBuilder<{
  Context: ResourceContext;
  // Edges may be null one by one, so a failure inside one node (a bucket denied to us) nulls that
  // edge alone and the rest of the page still answers; nodes themselves are never null.
  DefaultEdgesNullability: { list: false; items: true };
  DefaultNodeNullability: false;
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [RelayPlugin],
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    // The connection's edges and page info and each edge's node are read as the properties they
    // are, as Pothos' `t.expose` reads them: with the relay plugin's own resolvers, graphql-jit
    // would call a resolver for every edge of a page.
    pageInfoFieldOptions: { extensions: { pothosExposedField: "pageInfo" } },
    edgesFieldOptions: { nullable: { list: false, items: true }, extensions: { ...edgesCost(), pothosExposedField: "edges" } },
    nodeFieldOptions: { nullable: false, extensions: { pothosExposedField: "node" } },
    nodeQueryOptions: { extensions: lookupCost(IDS_PER_LOOKUP) },
    nodesQueryOptions: { extensions: lookupCost(IDS_PER_LOOKUP) },
    decodeGlobalID: decodeGlobalId,
  },
});

builder.queryType({});

export type SchemaTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** The paging arguments of every connection: forward `first` after `after`, backward `last` before `before`. */
export const pagingArgs = (arg: ArgBuilder<SchemaTypes>) => ({
  first: arg.int(),
  after: arg.string(),
  last: arg.int({ description: "up to this many items right before `before`; AWS lists read only forward, so `last` needs `before`" }),
  before: arg.string(),
});

/** Global ids are base64url of `Type:awsId`; anything else is bad input, not an internal error. */
function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const text = /^[A-Za-z0-9+/_=-]{1,2048}$/.test(globalId) ? Buffer.from(globalId, "base64").toString("utf8") : "";
  const colon = text.indexOf(":");
  if (colon <= 0 || !/^[A-Z][A-Za-z0-9]*$/.test(text.slice(0, colon))) {
    throw badInput("Not a node id of this gateway.", { argument: "id" });
  }
  return { typename: text.slice(0, colon), id: text.slice(colon + 1) };
}

export type TagModel = {
  key: string;
  value: string;
};

export const Tag = builder.objectRef<TagModel>("Tag").implement({
  fields: (t) => ({ key: t.exposeString("key"), value: t.exposeString("value") }),
});

export const TagFilter = builder.inputType("TagFilter", {
  fields: (t) => ({
    key: t.string({ required: true }),
    values: t.stringList({ required: true }),
  }),
});
