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
    expect(printed).toContain("ec2Instances(after: String, filter: Ec2InstanceFilter, first: Int, region: String): Ec2InstanceConnection!");
    expect(printed).toContain("edges: [Ec2InstanceEdge]!");
    expect(printed).not.toMatch(/\blast: Int\b|\bbefore: String\b/);
  });
});
