// The build users run bundles each package once: the global setup's build would have failed
// otherwise, and the check itself is held to what it says here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { duplicatedPackages } from "../src/build.js";

describe("the build (npm run build)", () => {
  it("finds a package bundled from two folders, as two versions are", () => {
    expect(
      duplicatedPackages([
        "node_modules/lru-cache/dist/esm/index.js",
        "node_modules/graphql-yoga/node_modules/lru-cache/dist/esm/index.js",
        "src/main.ts",
      ]),
    ).toEqual(["lru-cache (from node_modules/lru-cache, node_modules/graphql-yoga/node_modules/lru-cache)"]);
  });

  it("finds one module of a package bundled in two formats, as graphql's .mjs and .js were", () => {
    expect(duplicatedPackages(["node_modules/graphql/error/GraphQLError.mjs", "node_modules/graphql/error/GraphQLError.js"])).toEqual([
      "graphql (error/GraphQLError.mjs and error/GraphQLError.js)",
    ]);
    expect(duplicatedPackages(["node_modules/@whatwg-node/promise-helpers/esm/index.js", "node_modules/@whatwg-node/promise-helpers/cjs/index.js"])).toHaveLength(1);
  });

  it("passes a package whose modules are each bundled once", () => {
    expect(duplicatedPackages(["node_modules/graphql/index.js", "node_modules/graphql/error/GraphQLError.js", "node_modules/@scope/pkg/esm/a.js", "node_modules/@scope/pkg/esm/b.js"])).toEqual([]);
  });

  it("bundled dist/ with one copy of every package, graphql's among them", () => {
    const metafile = JSON.parse(readFileSync(new URL("../dist/metafile.json", import.meta.url), "utf8")) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(metafile.inputs);
    expect(duplicatedPackages(inputs)).toEqual([]);
    const graphqlErrors = inputs.filter((input) => /node_modules\/graphql\/error\/GraphQLError\.m?js$/.test(input));
    expect(graphqlErrors).toEqual(["node_modules/graphql/error/GraphQLError.js"]);
  });
});
