// RDS as AWS runs it, where moto does not: DescribeDBClusters pages by Marker and honours
// MaxRecords (moto answers every cluster at once), and both Describe calls refuse MaxRecords outside
// 20..100 (moto takes any). An instance being created has no Endpoint; one outside a VPC no subnet group.
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient, type DBCluster, type DescribeDBClustersCommandInput, type DescribeDBInstancesCommandInput } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { awsError, opaquePage, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const ACCOUNT = "123456789012";
const clusterIds = Array.from({ length: 230 }, (_, i) => `cluster-${String(i).padStart(3, "0")}`);
const cluster = (id: string): DBCluster => ({ DBClusterIdentifier: id, DBClusterArn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:${id}`, Engine: "aurora-postgresql", Status: "available" });

/** AWS's paging: MaxRecords 20..100 (default 100), an opaque Marker, absent on the last page. */
function page<T>(all: T[], input: { Marker?: string; MaxRecords?: number }) {
  const size = input.MaxRecords ?? 100;
  if (size < 20 || size > 100) throw awsError("InvalidParameterValue");
  const { items, next } = opaquePage(all, input.Marker, size);
  return { items, Marker: next };
}

const CLUSTERS = `query($first: Int, $after: String) { rdsDbClusters(first: $first, after: $after) { edges { cursor node { dbClusterIdentifier } } pageInfo { hasNextPage endCursor } } }`;

const rds = mockClient(RDSClient);
const gateway = useMockedGateway([rds], () => {
  rds.on(DescribeDBClustersCommand).callsFake((input: DescribeDBClustersCommandInput) => {
    const { items, Marker } = page(clusterIds, input);
    return { DBClusters: items.map(cluster), Marker };
  });
});

describe("RDS as AWS pages it (MaxRecords 20..100 honoured, which moto does not for clusters)", () => {
  it("walks every cluster once whatever the page size, never asking for fewer than 20 or more than 100 records", async () => {
    for (const first of [1, 7, 20, 45, 150]) {
      rds.resetHistory();
      const walk = await walkConnection(gateway, CLUSTERS, ["rdsDbClusters"], { firsts: [first], resumeAt: (count) => Math.floor(count / 2) });
      expect(walk.nodes.map((c: any) => c.dbClusterIdentifier), `first: ${first}`).toEqual(clusterIds);
      const asked = rds.commandCalls(DescribeDBClustersCommand).map((c) => c.args[0].input.MaxRecords);
      expect(asked.every((n) => n !== undefined && n >= 20 && n <= 100), `first: ${first}: ${asked.join(",")}`).toBe(true);
    }
  });

  it("reads an instance being created (no Endpoint) and one with no subnet group as null endpoint, no VPC and no subnets", async () => {
    rds.on(DescribeDBInstancesCommand).callsFake((input: DescribeDBInstancesCommandInput) => {
      const { items, Marker } = page(["creating-one"], input);
      return { DBInstances: items.map((id) => ({ DBInstanceIdentifier: id, DBInstanceStatus: "creating", Engine: "postgres", VpcSecurityGroups: [] })), Marker };
    });
    const answer = await gateway.query(`{ rdsDbInstances(first: 5) { edges { node { dbInstanceIdentifier status endpointAddress endpointPort vpc { vpcId } subnets { subnetId } securityGroups { groupId } cluster { dbClusterIdentifier } } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.rdsDbInstances.edges.map((e: any) => e.node)).toEqual([
      { dbInstanceIdentifier: "creating-one", status: "creating", endpointAddress: null, endpointPort: null, vpc: null, subnets: [], securityGroups: [], cluster: null },
    ]);
  });
});
