import { isObjectType, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../../src/schema.js";

const objectTypes = () => Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith("__"));

describe("connection fields", () => {
  // graphql-jit reads a field without a resolver as a property; with one it calls it, for every edge of a page.
  it("read every connection's edges and page info, and every edge's cursor and node, as properties", () => {
    const connections = objectTypes().filter((type) => type.name.endsWith("Connection"));
    const edges = objectTypes().filter((type) => type.name.endsWith("Edge"));
    expect(connections.length).toBeGreaterThan(10);
    expect(edges.length).toBe(connections.length);
    for (const connection of connections) {
      const fields = connection.getFields();
      expect([connection.name, fields.edges?.resolve, fields.pageInfo?.resolve]).toEqual([connection.name, undefined, undefined]);
    }
    for (const edge of edges) {
      const fields = edge.getFields();
      expect([edge.name, fields.node?.resolve, fields.cursor?.resolve]).toEqual([edge.name, undefined, undefined]);
    }
  });

  it("keep the edges' cost data, which the query-cost check multiplies by the page size", () => {
    const edgesField = (schema.getType("Ec2InstanceConnection") as GraphQLObjectType).getFields().edges!;
    expect(edgesField.extensions).toMatchObject({ awsCost: { kind: "edges" } });
  });
});
