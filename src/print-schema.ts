// npm run schema: writes the printed schema to schema/schema.graphql, which a test keeps in step.
import { writeFileSync } from "node:fs";
import { printSchema } from "graphql";
import { schema } from "./schema.js";

const file = new URL("../schema/schema.graphql", import.meta.url);
writeFileSync(file, `${printSchema(schema)}\n`);
console.log(`wrote ${file.pathname}`);
