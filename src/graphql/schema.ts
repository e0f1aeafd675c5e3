// Builds the schema: every resource module registers itself on the builder when imported.
import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import "../resources/ec2/instances.js";
import "../resources/ec2/volumes.js";
import "../resources/ec2/security-groups.js";
import "../resources/ec2/vpcs.js";
import "../resources/ec2/subnets.js";
import "../resources/ec2/relations.js";
import "../resources/s3/buckets.js";
import "../resources/s3/objects.js";
import "../resources/iam/policies.js";
import "../resources/iam/groups.js";
import "../resources/iam/users.js";
import "../resources/iam/roles.js";
import "../resources/iam/relations.js";

export const schema = lexicographicSortSchema(builder.toSchema());
