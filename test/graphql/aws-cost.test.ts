import { getNamedType, isInterfaceType, isObjectType, type GraphQLNamedType } from "graphql";
import { describe, expect, it } from "vitest";
import { awsCostOf } from "../../src/graphql/aws-cost.js";
import { schema } from "../../src/schema.js";

const implementsNode = (type: GraphQLNamedType) => type.name === "Node" || (isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node"));
const isConnection = (type: GraphQLNamedType) => type.name.endsWith("Connection");

describe("query cost carried by the schema", () => {
  it("has every field that lists or looks up AWS resources say what it costs", () => {
    const unpriced: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(isObjectType(type) || isInterfaceType(type)) || type.name.startsWith("__") || isConnection(type) || type.name.endsWith("Edge")) continue;
      for (const field of Object.values(type.getFields())) {
        const target = getNamedType(field.type);
        if ((implementsNode(target) || isConnection(target)) && !awsCostOf(field.extensions)) unpriced.push(`${type.name}.${field.name}`);
      }
    }
    expect(unpriced).toEqual([]);
  });

  it("prices each connection by the most items its AWS call returns", () => {
    const query = schema.getQueryType()!.getFields();
    expect(awsCostOf(query.ec2Volumes!.extensions)).toEqual({ kind: "list", itemsPerCall: 500 });
    expect(awsCostOf(query.ec2RouteTables!.extensions)).toEqual({ kind: "list", itemsPerCall: 100 });
    expect(awsCostOf(query.iamUsers!.extensions)).toEqual({ kind: "list", itemsPerCall: 1000 });
    expect(awsCostOf(query.nodes!.extensions)).toEqual({ kind: "lookup", idsPerCall: 200 });
  });
});
