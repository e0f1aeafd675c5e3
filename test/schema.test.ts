import { readFileSync } from "node:fs";
import { getNamedType, isObjectType, printSchema, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../src/schema.js";

describe("printed schema", () => {
  it("schema/schema.graphql is the schema the code builds (run `npm run schema` after a change)", () => {
    const committed = readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  it("keeps the contract's connection shape: paging arguments, edges that fail one by one", () => {
    const printed = printSchema(schema);
    const ec2Instances = schema.getQueryType()!.getFields().ec2Instances!;
    expect(Object.fromEntries(ec2Instances.args.map((arg) => [arg.name, String(arg.type)]))).toEqual({
      region: "String",
      filter: "Ec2InstanceFilter",
      first: "Int",
      after: "String",
      // added by "Many accounts and regions"
      regions: "[String!]",
      accounts: "[String!]",
      // added by "Both directions, and counts"
      last: "Int",
      before: "String",
    });
    expect(String(ec2Instances.type)).toBe("Ec2InstanceConnection!");
    expect(printed).toContain("edges: [Ec2InstanceEdge]!");
  });

  it("pages every connection both ways: first/after and last/before on each", () => {
    const connections = Object.values(schema.getTypeMap())
      .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith("__"))
      .flatMap((type) => Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field })))
      .filter(({ field }) => getNamedType(field.type).name.endsWith("Connection"));
    expect(connections.length).toBeGreaterThan(30);
    for (const { name, field } of connections) {
      const args = Object.fromEntries(field.args.map((arg) => [arg.name, String(arg.type)]));
      expect({ name, first: args.first, after: args.after, last: args.last, before: args.before }).toEqual({ name, first: "Int", after: "String", last: "Int", before: "String" });
    }
  });
});
