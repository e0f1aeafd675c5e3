// Builds the schema: every resource module registers itself on the builder when imported.
import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import "../resources/ec2/instances.js";

export const schema = lexicographicSortSchema(builder.toSchema());
