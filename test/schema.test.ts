import { readFileSync } from "node:fs";
import { printSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../src/graphql/schema.js";

describe("printed schema", () => {
  it("schema/schema.graphql is the schema the code builds (run `npm run schema` after a change)", () => {
    const committed = readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  it("keeps the contract's connection shape: first/after only, edges that fail one by one", () => {
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
    });
    expect(String(ec2Instances.type)).toBe("Ec2InstanceConnection!");
    expect(printed).toContain("edges: [Ec2InstanceEdge]!");
    expect(printed).not.toMatch(/\blast: Int\b|\bbefore: String\b/);
  });
});
