// Builds the schema: every resource module registers itself on the builder when imported.
import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import "../resources/ec2/index.js";
import "../resources/s3/buckets.js";
import "../resources/s3/objects.js";
import "../resources/iam/policies.js";
import "../resources/iam/groups.js";
import "../resources/iam/users.js";
import "../resources/iam/roles.js";

export const schema = lexicographicSortSchema(builder.toSchema());
