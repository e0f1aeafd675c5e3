// The layers of DESIGN.md, checked by dependency-cruiser: an import that points up fails npm test.
import { cruise, type IForbiddenRuleType } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

/**
 * From the top: each layer imports only the layers below it (and itself). The entry wires
 * everything; resources declare what the gateway serves; the graphql kit makes types and fields
 * from declarations; aws is everything that talks to AWS; pagination knows nothing of AWS or
 * GraphQL; store keeps records. Configuration, errors, the logger and the tracing facade are the
 * floor every layer stands on.
 */
export const LAYERS = [
  { name: "entry", path: "^src/(main|server|schema|print-schema|context|metrics|auth|build|heap-cap)\\.ts$" },
  { name: "resources", path: "^src/resources/" },
  { name: "graphql", path: "^src/graphql/" },
  { name: "aws", path: "^src/aws/" },
  { name: "pagination", path: "^src/pagination/" },
  { name: "store", path: "^src/store/" },
  { name: "floor", path: "^src/(config|memory-limit|errors|logger|tracing|tracing-sdk)\\.ts$" },
] as const;

function layerRules(): IForbiddenRuleType[] {
  return LAYERS.map((layer, i) => ({
    name: `${layer.name}-imports-only-below`,
    comment: `${layer.name} may import ${LAYERS.slice(i + 1).map((l) => l.name).join(", ") || "nothing of src"}`,
    severity: "error",
    from: { path: layer.path },
    to: { path: "^src/", pathNot: [layer.path, ...LAYERS.slice(i + 1).map((l) => l.path)] },
  }));
}

describe("the layers (DESIGN.md, README's Design section)", () => {
  it("has every file of src/ in exactly one layer", async () => {
    const result = await cruise(["src"], { tsConfig: { fileName: "tsconfig.json" }, doNotFollow: { path: "node_modules" }, exclude: { path: "node_modules" } });
    const files = (typeof result.output === "string" ? [] : result.output.modules).map((m) => m.source).filter((s) => s.startsWith("src/"));
    expect(files.length).toBeGreaterThan(30);
    const unplaced = files.filter((file) => LAYERS.filter((layer) => new RegExp(layer.path).test(file)).length !== 1);
    expect(unplaced).toEqual([]);
  });

  it("has no import that points up the layers", async () => {
    const result = await cruise(["src"], {
      tsConfig: { fileName: "tsconfig.json" },
      doNotFollow: { path: "node_modules" },
      exclude: { path: "node_modules" },
      validate: true,
      ruleSet: { forbidden: layerRules() },
    });
    if (typeof result.output === "string") throw new Error("dependency-cruiser gave a report, not a result");
    const violations = result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(violations.join("\n")).toEqual("");
  });
});
