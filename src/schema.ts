// The schema: every resource of the registry, registered on the one builder, printed in one order.
import { lexicographicSortSchema } from "graphql";
import { builder } from "./graphql/builder.js";
import "./resources/index.js";

export const schema = lexicographicSortSchema(builder.toSchema());
