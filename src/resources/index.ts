// The one registry: every resource the gateway serves, one line each. Importing a resource
// registers its node type, connection and query fields on the builder.
import "./ec2/instances.js";
import "./ec2/volumes.js";
import "./ec2/security-groups.js";
import "./ec2/vpcs.js";
import "./ec2/subnets.js";
import "./ec2/images.js";
import "./ec2/snapshots.js";
import "./ec2/network-interfaces.js";
import "./ec2/addresses.js";
import "./ec2/nat-gateways.js";
import "./ec2/route-tables.js";
import "./ec2/internet-gateways.js";
import "./ec2/key-pairs.js";
import "./ec2/launch-templates.js";
import "./s3/buckets.js";
import "./s3/objects.js";
import "./iam/policies.js";
import "./iam/groups.js";
import "./iam/users.js";
import "./iam/roles.js";
import "./lambda/functions.js";
import "./rds/instances.js";
import "./rds/clusters.js";
import "./dynamodb/tables.js";
