// npm run build: the esbuild bundle that `npm start` runs, refused when any package is bundled twice.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { build, type Metafile, type Plugin } from "esbuild";

const require = createRequire(import.meta.url);

/**
 * Packages that ship both ES modules and CommonJS would be bundled twice when some importers
 * `import` them and others `require()` them, and an `instanceof` across the copies fails. So a
 * require() of a package takes its ES module too. graphql-js is the exception: its subpaths have
 * no ES entry to resolve to (graphql-jit requires them), so every import of graphql takes the
 * CommonJS files, as Node itself loads them.
 */
const oneCopyOfEachPackage: Plugin = {
  name: "one-copy-of-each-package",
  setup(build) {
    build.onResolve({ filter: /^graphql(\/.*)?$/ }, (args) => ({ path: require.resolve(args.path) }));
    build.onResolve({ filter: /^(@[^./][^/]*\/)?[^./]/ }, async (args) => {
      if (args.kind !== "require-call" || args.pluginData === "as-import") return undefined;
      const resolved = await build.resolve(args.path, { kind: "import-statement", resolveDir: args.resolveDir, importer: args.importer, pluginData: "as-import" });
      return resolved.errors.length > 0 ? undefined : resolved;
    });
  },
};

/** Module formats a package may ship side by side: a module's copies differ only by these. */
const FORMAT_FOLDERS = new Set(["cjs", "esm", "mjs", "es", "lib", "module", "commonjs", "dist", "build"]);

/**
 * The packages bundled more than once: from more than one folder (two versions, or one version
 * installed twice), or one module of a package in more than one format (.js and .mjs, cjs/ and esm/).
 */
export function duplicatedPackages(inputs: readonly string[]): string[] {
  const folders = new Map<string, Set<string>>();
  const modules = new Map<string, Set<string>>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\/(.+)$/.exec(input);
    if (!match) continue;
    const [, folder, name, file] = match as unknown as [string, string, string, string];
    (folders.get(name) ?? folders.set(name, new Set()).get(name)!).add(folder);
    const module = `${folder}:${file.replace(/\.(m|c)?js$/, "").split("/").filter((part) => !FORMAT_FOLDERS.has(part)).join("/")}`;
    (modules.get(module) ?? modules.set(module, new Set()).get(module)!).add(file);
  }
  const twice = new Set<string>();
  for (const [name, seen] of folders) if (seen.size > 1) twice.add(`${name} (from ${[...seen].join(", ")})`);
  for (const [module, files] of modules) if (files.size > 1) twice.add(`${module.split(":")[0]!.replace(/.*node_modules\//, "")} (${[...files].join(" and ")})`);
  return [...twice].sort();
}

/** Bundles `entryPoints` (the server, unless a bench builds the server inside one of its own) into `outdir`. */
export async function bundle(outdir = "dist", entryPoints: string[] = ["src/main.ts"]): Promise<Metafile> {
  const { metafile } = await build({
    entryPoints,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    mainFields: ["module", "main"],
    splitting: true,
    outdir,
    // Whitespace and syntax minified, identifiers not: functions and classes keep the names they
    // are written with, as when Node runs them from node_modules. keepNames would mangle them and
    // put them back with a defineProperty on every function and closure as it is made, which cost
    // a page of 100 edges about a fifth of its time (bench: overhead). What compares names does
    // not depend on it: operation names are read from the SDK's schemas, and the classes the
    // bundler renames to keep them apart (ioredis' Cluster) are told apart by other means too.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
    plugins: [oneCopyOfEachPackage],
    // CommonJS packages inside an ES module bundle still call require().
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  });
  const twice = duplicatedPackages(Object.keys(metafile.inputs));
  if (twice.length > 0) throw new Error(`packages bundled twice in ${outdir}/: ${twice.join("; ")}`);
  writeFileSync(`${outdir}/metafile.json`, JSON.stringify(metafile));
  return metafile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await bundle();
  } catch (error) {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
