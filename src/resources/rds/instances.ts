// RDS DB instances: DescribeDBInstances (Marker -> Marker, MaxRecords 20..100). Everything the
// contract serves is in the list answer. Looked up by the `db-instance-id` filter (unknown ids are
// simply absent), 100 ids a call; the answer is still paged by MaxRecords. MasterUserPassword is
// input-only: no RDS answer carries it, and MasterUserSecret (a Secrets Manager ARN) is not served.
import { afterType } from "../../graphql/kit/arns.js";
import { namedCommand } from "../../aws/service-modules.js";
import { links, resource } from "../../graphql/kit/resource.js";
import { Ec2SecurityGroup, Ec2Subnet, Ec2Vpc } from "../ec2/index.js";
import { RdsDbCluster } from "./clusters.js";
import { RDS_IDENTIFIER, RDS_PAGING } from "./common.js";

export const RdsDbInstance = resource({
  name: "RdsDbInstance",
  scope: "regional",
  list: {
    service: "rds",
    command: (input) => namedCommand("rds", "DescribeDBInstancesCommand", input),
    ...RDS_PAGING,
    items: (out) => out.DBInstances,
  },
  query: { list: "rdsDbInstances", single: "rdsDbInstance" },
  id: {
    field: "dbInstanceIdentifier",
    pattern: RDS_IDENTIFIER,
    normalize: (id) => id.toLowerCase(),
    lookup: { input: (ids) => ({ Filters: [{ Name: "db-instance-id", Values: ids }] }), idsPerCall: 100 },
  },
  fields: (f) => ({
    dbInstanceIdentifier: f.requiredString((i) => i.DBInstanceIdentifier ?? ""),
    dbInstanceArn: f.string((i) => i.DBInstanceArn),
    dbInstanceClass: f.string((i) => i.DBInstanceClass),
    engine: f.string((i) => i.Engine),
    engineVersion: f.string((i) => i.EngineVersion),
    status: f.string((i) => i.DBInstanceStatus, "available, creating, stopped, ..."),
    allocatedStorage: f.int((i) => i.AllocatedStorage, "GiB"),
    multiAZ: f.boolean((i) => i.MultiAZ),
    // no endpoint while an instance is being created
    endpointAddress: f.string((i) => i.Endpoint?.Address),
    endpointPort: f.int((i) => i.Endpoint?.Port),
    availabilityZone: f.string((i) => i.AvailabilityZone),
    storageType: f.string((i) => i.StorageType),
    storageEncrypted: f.boolean((i) => i.StorageEncrypted),
    publiclyAccessible: f.boolean((i) => i.PubliclyAccessible),
    instanceCreateTime: f.date((i) => i.InstanceCreateTime),
    tags: f.tags((i) => i.TagList),
    dbClusterIdentifier: f.string((i) => i.DBClusterIdentifier, "the cluster the instance is a member of"),
    vpcId: f.string((i) => i.DBSubnetGroup?.VpcId || undefined),
    subnetIds: f.strings((i) => i.DBSubnetGroup?.Subnets?.map((s) => s.SubnetIdentifier)),
    securityGroupIds: f.strings((i) => i.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)),
  }),
  arn: { type: "rds:db", id: afterType, of: { field: "dbInstanceArn" } },
});

links(RdsDbInstance, (l) => ({
  vpc: l.one(() => Ec2Vpc, (i) => i.vpcId ?? undefined, "the VPC of the instance's subnet group"),
  subnets: l.many(() => Ec2Subnet, (i) => i.subnetIds, "the subnets of the instance's subnet group"),
  securityGroups: l.many(() => Ec2SecurityGroup, (i) => i.securityGroupIds),
  cluster: l.one(() => RdsDbCluster, (i) => i.dbClusterIdentifier ?? undefined, "the Aurora (or Multi-AZ) cluster the instance is a member of"),
}));
