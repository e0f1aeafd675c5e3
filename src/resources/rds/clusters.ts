// RDS DB clusters: DescribeDBClusters (Marker -> Marker, MaxRecords 20..100; moto ignores MaxRecords
// and answers every cluster at once, which the engine holds). Looked up by the `db-cluster-id`
// filter, 100 ids a call. A cluster's instances are its DBClusterMembers, looked up as instances.
import { afterType } from "../../graphql/kit/arns.js";
import { namedCommand } from "../../aws/service-modules.js";
import { links, resource } from "../../graphql/kit/resource.js";
import { RDS_IDENTIFIER, RDS_PAGING } from "./common.js";
import { RdsDbInstance } from "./instances.js";

export const RdsDbCluster = resource({
  name: "RdsDbCluster",
  scope: "regional",
  list: {
    service: "rds",
    command: (input) => namedCommand("rds", "DescribeDBClustersCommand", input),
    ...RDS_PAGING,
    items: (out) => out.DBClusters,
  },
  query: { list: "rdsDbClusters", single: "rdsDbCluster" },
  id: {
    field: "dbClusterIdentifier",
    pattern: RDS_IDENTIFIER,
    normalize: (id) => id.toLowerCase(),
    lookup: { input: (ids) => ({ Filters: [{ Name: "db-cluster-id", Values: ids }] }), idsPerCall: 100 },
  },
  fields: (f) => ({
    dbClusterIdentifier: f.requiredString((c) => c.DBClusterIdentifier ?? ""),
    dbClusterArn: f.string((c) => c.DBClusterArn),
    engine: f.string((c) => c.Engine),
    engineVersion: f.string((c) => c.EngineVersion),
    status: f.string((c) => c.Status, "available, creating, stopped, ..."),
    engineMode: f.string((c) => c.EngineMode),
    endpoint: f.string((c) => c.Endpoint, "the writer endpoint"),
    readerEndpoint: f.string((c) => c.ReaderEndpoint),
    port: f.int((c) => c.Port),
    multiAZ: f.boolean((c) => c.MultiAZ),
    storageEncrypted: f.boolean((c) => c.StorageEncrypted),
    clusterCreateTime: f.date((c) => c.ClusterCreateTime),
    tags: f.tags((c) => c.TagList),
    memberIdentifiers: f.strings((c) => c.DBClusterMembers?.map((m) => m.DBInstanceIdentifier), "the DB instance identifiers of the cluster's members"),
    writerIdentifier: f.string((c) => c.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier, "the member that is the cluster's writer"),
  }),
  arn: { type: "rds:cluster", id: afterType, of: { field: "dbClusterArn" } },
});

links(RdsDbCluster, (l) => ({
  instances: l.many(() => RdsDbInstance, (c) => c.memberIdentifiers, "the cluster's member instances, those that still exist"),
}));
