// RDS ("More services (added)") against moto_server: rdsDbInstances and rdsDbClusters walked both
// ways with random page sizes and resume points, counted, looked up one by one, linked to their VPC,
// subnets, security groups, cluster and instances, every field as DescribeDBInstances/Clusters says.
// The gateway reaches moto through a counting proxy, so the test sees each MaxRecords it sends.
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient, paginateDescribeDBClusters, paginateDescribeDBInstances, type DBCluster, type DBInstance } from "@aws-sdk/client-rds";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedRds, type RdsSeedResult } from "../../../demo/services/rds.js";
import { startAwsProxy, type AwsProxy } from "../../support/aws-proxy.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, awsCallsBesidesSts, checkRandomWalks, dataOf, regionalClients } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGIONS = ["us-east-1", "eu-west-1"];
/** per region: 22 standalone instances + 1 replica + 5 clusters with 2 members = 33 instances; 7 clusters */
const PLAN = { regions: REGIONS, instancesPerRegion: 22, clustersPerRegion: 7, instancesPerCluster: 2 };
/** moto's account */
const ACCOUNT_ID = "123456789012";

let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;
let seeded: RdsSeedResult;
const rds = regionalClients((region) => new RDSClient(motoClientConfig(moto.endpoint, region)));

beforeAll(async () => {
  moto = await startMoto();
  seeded = await seedRds({ endpoint: moto.endpoint }, PLAN);
  proxy = await startAwsProxy(moto.endpoint);
  gateway = await startGateway({ ...motoEnv(proxy.url), ...UNBOUNDED_BUDGET });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  rds.destroy();
  await moto?.stop();
});

const sdkInstances = (region: string): Promise<DBInstance[]> => all(paginateDescribeDBInstances({ client: rds(region), pageSize: 100 }, {}), (page) => page.DBInstances);
const sdkClusters = (region: string): Promise<DBCluster[]> => all(paginateDescribeDBClusters({ client: rds(region), pageSize: 100 }, {}), (page) => page.DBClusters);

const INSTANCE_FIELDS = "dbInstanceIdentifier dbInstanceArn dbInstanceClass engine engineVersion status allocatedStorage multiAZ endpointAddress endpointPort";
const CLUSTER_FIELDS = "dbClusterIdentifier dbClusterArn engine engineVersion status";

/** What the contract's fields are, as DescribeDBInstances says them. */
const instanceFields = (i: DBInstance) => ({
  dbInstanceIdentifier: i.DBInstanceIdentifier,
  dbInstanceArn: i.DBInstanceArn,
  dbInstanceClass: i.DBInstanceClass,
  engine: i.Engine,
  engineVersion: i.EngineVersion,
  status: i.DBInstanceStatus,
  allocatedStorage: i.AllocatedStorage,
  multiAZ: i.MultiAZ,
  endpointAddress: i.Endpoint?.Address ?? null,
  endpointPort: i.Endpoint?.Port ?? null,
});
const clusterFields = (c: DBCluster) => ({
  dbClusterIdentifier: c.DBClusterIdentifier,
  dbClusterArn: c.DBClusterArn,
  engine: c.Engine,
  engineVersion: c.EngineVersion,
  status: c.Status,
});

const connections = [
  { field: "rdsDbInstances", single: "rdsDbInstance", arg: "dbInstanceIdentifier", id: "dbInstanceIdentifier", fields: INSTANCE_FIELDS, sdk: async (region: string) => (await sdkInstances(region)).map((i) => i.DBInstanceIdentifier!) },
  { field: "rdsDbClusters", single: "rdsDbCluster", arg: "dbClusterIdentifier", id: "dbClusterIdentifier", fields: CLUSTER_FIELDS, sdk: async (region: string) => (await sdkClusters(region)).map((c) => c.DBClusterIdentifier!) },
] as const;

const PAGING_ARGS = "$first: Int, $after: String, $last: Int, $before: String, $region: String";
const PAGING = "first: $first, after: $after, last: $last, before: $before, region: $region";

/** Every edge of a forward walk of fixed page size, cursors kept. */
async function forwardEdges(field: string, id: string, region: string, first: number): Promise<{ cursor: string; id: string }[]> {
  const query = `query(${PAGING_ARGS}) { ${field}(${PAGING}) { edges { cursor node { ${id} } } pageInfo { hasNextPage endCursor } } }`;
  const edges: { cursor: string; id: string }[] = [];
  let after: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const connection = dataOf(await gateway.query(query, { first, after, region }), `${field} forward`)[field];
    edges.push(...connection.edges.map((e: any) => ({ cursor: e.cursor, id: e.node[id] })));
    if (!connection.pageInfo.hasNextPage) return edges;
    after = connection.pageInfo.endCursor;
  }
  throw new Error("walk does not end");
}

describe("RDS against moto_server", () => {
  it("is honest about moto: DescribeDBInstances honours MaxRecords (even below AWS's minimum of 20), DescribeDBClusters ignores it", async () => {
    const instances = await rds("us-east-1").send(new DescribeDBInstancesCommand({ MaxRecords: 20 }));
    expect(instances.DBInstances).toHaveLength(20);
    expect(instances.Marker).toBeTruthy();
    // AWS refuses MaxRecords below 20 (InvalidParameterValue); moto answers 5: the gateway must never ask for fewer than 20
    expect((await rds("us-east-1").send(new DescribeDBInstancesCommand({ MaxRecords: 5 }))).DBInstances).toHaveLength(5);
    const clusters = await rds("us-east-1").send(new DescribeDBClustersCommand({ MaxRecords: 20 }));
    expect(clusters.DBClusters).toHaveLength(PLAN.clustersPerRegion);
    expect((await rds("us-east-1").send(new DescribeDBClustersCommand({ MaxRecords: 5 }))).DBClusters).toHaveLength(PLAN.clustersPerRegion);
    expect(clusters.Marker).toBeUndefined();
  });

  for (const connection of connections) {
    it(`${connection.field}: walks with random page sizes, resumed after random edges, equal DescribeDB…'s listing in each region, asking AWS for 20 to 100 records a call`, async () => {
      const query = `query($first: Int, $after: String, $region: String) { ${connection.field}(first: $first, after: $after, region: $region) {
        edges { cursor node { id accountId accountName region ${connection.id} } } pageInfo { hasNextPage endCursor } } }`;
      proxy.reset();
      for (const region of REGIONS) {
        const expected = await connection.sdk(region);
        expect(expected.length, region).toBeGreaterThan(5);
        await checkRandomWalks(gateway, query, [connection.field], { maxFirst: 25, runs: 3, variables: { region } }, (walk) => {
          expect(walk.nodes.map((n: any) => n[connection.id])).toEqual(expected);
          expect(walk.nodes.every((n: any) => n.region === region && n.accountId === ACCOUNT_ID && n.accountName === "default")).toBe(true);
          expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
        });
      }
      const describes = proxy.requests.filter((r) => r.operation.startsWith("DescribeDB"));
      expect(describes.length).toBeGreaterThan(0);
      for (const request of describes) {
        const maxRecords = request.params.get("MaxRecords");
        if (maxRecords !== null) expect(Number(maxRecords), `${request.operation} MaxRecords`).toSatisfy((n: number) => n >= 20 && n <= 100);
      }
    });

    it(`${connection.field}: a walk backward from the last edge, with last/before, is the forward listing reversed`, async () => {
      const region = "eu-west-1";
      const expected = await connection.sdk(region);
      const forward = await forwardEdges(connection.field, connection.id, region, 6);
      expect(forward.map((e) => e.id)).toEqual(expected);
      const query = `query(${PAGING_ARGS}) { ${connection.field}(${PAGING}) { edges { cursor node { ${connection.id} } } pageInfo { hasPreviousPage hasNextPage startCursor } } }`;
      const backward: string[] = [forward.at(-1)!.id];
      let before = forward.at(-1)!.cursor;
      for (const [step, last] of [4, 1, 7, 3, 5, 2].entries()) {
        const page = dataOf(await gateway.query(query, { last, before, region }), `${connection.field} backward`)[connection.field];
        backward.push(...page.edges.map((e: any) => e.node[connection.id]).reverse());
        expect(page.pageInfo.hasNextPage, `step ${step}`).toBe(true);
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      // the steps above cover 22 items; walk on with pages of 10 until the start
      for (let more = 0; backward.length < expected.length && more < 20; more += 1) {
        const page = dataOf(await gateway.query(query, { last: 10, before, region }), `${connection.field} backward`)[connection.field];
        backward.push(...page.edges.map((e: any) => e.node[connection.id]).reverse());
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backward).toEqual([...expected].reverse());
    });

    it(`${connection.field}: totalCount is the SDK's count, in each region and over both`, async () => {
      const answer = await gateway.query(`query($regions: [String!]) {
        east: ${connection.field}(region: "us-east-1", first: 1) { totalCount fetchedAt failedSources { region code } }
        west: ${connection.field}(region: "eu-west-1", first: 1) { totalCount }
        both: ${connection.field}(regions: $regions, first: 1) { totalCount } }`, { regions: REGIONS });
      const data = dataOf(answer, "totalCount");
      const [east, west] = [(await connection.sdk("us-east-1")).length, (await connection.sdk("eu-west-1")).length];
      expect([data.east.totalCount, data.west.totalCount, data.both.totalCount]).toEqual([east, west, east + west]);
      expect(Number.isNaN(Date.parse(data.east.fetchedAt))).toBe(false);
      expect(data.east.failedSources).toEqual([]);
    });

    it(`${connection.field}: lists every region named, in the order named`, async () => {
      const query = `query($first: Int, $after: String, $regions: [String!]) { ${connection.field}(first: $first, after: $after, regions: $regions) {
        edges { cursor node { region ${connection.id} } } pageInfo { hasNextPage endCursor } } }`;
      const regions = ["eu-west-1", "us-east-1"];
      const walk = await walkConnection(gateway, query, [connection.field], { firsts: [9], variables: { regions } });
      const expected = [...(await connection.sdk("eu-west-1")).map((id) => `eu-west-1/${id}`), ...(await connection.sdk("us-east-1")).map((id) => `us-east-1/${id}`)];
      expect(walk.nodes.map((n: any) => `${n.region}/${n[connection.id]}`)).toEqual(expected);
    });

    it(`${connection.single}: finds one by its identifier with every field as Describe says, refetches it by node id, and answers null for a missing one`, async () => {
      const region = "eu-west-1";
      const [first, , third] = await connection.sdk(region);
      for (const id of [first!, third!]) {
        const answer = await gateway.query(`query($id: String!, $region: String) { item: ${connection.single}(${connection.arg}: $id, region: $region) { id __typename region accountId ${connection.fields} } }`, { id, region });
        const item = dataOf(answer, connection.single).item;
        const expected =
          connection.field === "rdsDbInstances"
            ? instanceFields((await rds(region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!)
            : clusterFields((await rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!);
        expect(item).toMatchObject({ ...expected, region, accountId: ACCOUNT_ID });
        const refetched = dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { id __typename } }`, { id: item.id }), "node").node;
        expect(refetched).toEqual({ id: item.id, __typename: item.__typename });
        // RDS keeps identifiers in lower case and matches them without case: so does the gateway
        const shouted = await gateway.query(`query($id: String!, $region: String) { item: ${connection.single}(${connection.arg}: $id, region: $region) { id } }`, { id: id.toUpperCase(), region });
        expect(dataOf(shouted, "upper case").item).toEqual({ id: item.id });
      }
      // RDS answers DBInstanceNotFoundFault / DBClusterNotFoundFault (HTTP 404) for these
      const missing = await gateway.query(`{ a: ${connection.single}(${connection.arg}: "no-such-db") { ${connection.id} } b: ${connection.single}(${connection.arg}: "no-such-db", region: "eu-west-1") { ${connection.id} } }`);
      expect(missing.errors).toBeUndefined();
      expect(missing.data).toEqual({ a: null, b: null });
    });
  }

  it("gives every DB instance's fields as DescribeDBInstances does, and links its VPC, subnets, security groups and cluster", async () => {
    for (const region of REGIONS) {
      const described = await sdkInstances(region);
      const answer = await gateway.query(`query($region: String) { rdsDbInstances(region: $region, first: 100) { edges { node { ${INSTANCE_FIELDS}
        vpc { vpcId } subnets { subnetId } securityGroups { groupId } cluster { dbClusterIdentifier dbClusterArn } } } } }`, { region });
      const nodes = dataOf(answer, "rdsDbInstances").rdsDbInstances.edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => n.dbInstanceIdentifier)).toEqual(described.map((i) => i.DBInstanceIdentifier));
      const clusters = new Map((await sdkClusters(region)).map((c) => [c.DBClusterIdentifier!, c]));
      for (const [index, node] of nodes.entries()) {
        const aws = described[index]!;
        const { vpc, subnets, securityGroups, cluster, ...fields } = node;
        expect(fields).toEqual(instanceFields(aws));
        expect(vpc).toEqual(aws.DBSubnetGroup?.VpcId ? { vpcId: aws.DBSubnetGroup.VpcId } : null);
        expect(subnets).toEqual((aws.DBSubnetGroup?.Subnets ?? []).map((s) => ({ subnetId: s.SubnetIdentifier })));
        expect(securityGroups).toEqual((aws.VpcSecurityGroups ?? []).map((g) => ({ groupId: g.VpcSecurityGroupId })));
        const inCluster = aws.DBClusterIdentifier ? clusters.get(aws.DBClusterIdentifier) : undefined;
        expect(cluster).toEqual(inCluster ? { dbClusterIdentifier: inCluster.DBClusterIdentifier, dbClusterArn: inCluster.DBClusterArn } : null);
      }
      // and the seed's own ids: its VPC, its three subnets, its groups; the clusters' members
      expect(new Set(nodes.map((n: any) => n.vpc?.vpcId))).toEqual(new Set([seeded[region]!.vpcId]));
      expect(new Set(nodes.flatMap((n: any) => n.subnets.map((s: any) => s.subnetId)))).toEqual(new Set(seeded[region]!.subnetIds));
      expect(nodes.flatMap((n: any) => n.securityGroups.map((g: any) => g.groupId)).every((id: string) => seeded[region]!.securityGroupIds.includes(id))).toBe(true);
      expect(nodes.filter((n: any) => n.cluster).length).toBe(Object.values(seeded[region]!.members).flat().length);
      expect(new Set(nodes.map((n: any) => n.status))).toEqual(new Set(["available", "stopped"]));
    }
  });

  it("gives every cluster's fields as DescribeDBClusters does, and its instances as its DBClusterMembers name them", async () => {
    for (const region of REGIONS) {
      const described = await sdkClusters(region);
      const answer = await gateway.query(`query($region: String) { rdsDbClusters(region: $region, first: 100) { edges { node { ${CLUSTER_FIELDS}
        instances { dbInstanceIdentifier dbInstanceClass cluster { dbClusterIdentifier } } } } } }`, { region });
      const nodes = dataOf(answer, "rdsDbClusters").rdsDbClusters.edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => n.dbClusterIdentifier)).toEqual(described.map((c) => c.DBClusterIdentifier));
      const instances = new Map((await sdkInstances(region)).map((i) => [i.DBInstanceIdentifier!, i]));
      for (const [index, node] of nodes.entries()) {
        const aws = described[index]!;
        const { instances: members, ...fields } = node;
        expect(fields).toEqual(clusterFields(aws));
        // the contract does not fix the order of a cluster's instances: compared as sets
        const memberIds = (aws.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier!);
        expect(members.map((m: any) => m.dbInstanceIdentifier).sort()).toEqual([...memberIds].sort());
        expect(memberIds.sort()).toEqual([...seeded[region]!.members[aws.DBClusterIdentifier!]!].sort());
        for (const member of members) {
          expect(member).toEqual({ dbInstanceIdentifier: member.dbInstanceIdentifier, dbInstanceClass: instances.get(member.dbInstanceIdentifier)!.DBInstanceClass, cluster: { dbClusterIdentifier: aws.DBClusterIdentifier } });
        }
      }
      expect(nodes.some((n: any) => n.instances.length === 0) && nodes.some((n: any) => n.instances.length > 1)).toBe(true);
      expect(new Set(nodes.map((n: any) => n.status))).toEqual(new Set(["available", "stopped"]));
    }
  });

  it("links a page of instances to their clusters, VPCs, subnets and groups in a handful of AWS calls, not one per instance", async () => {
    const answer = await gateway.query(`{ rdsDbInstances(first: 40) { edges { node { dbInstanceIdentifier vpc { vpcId cidrBlock } subnets { subnetId } securityGroups { groupId groupName } cluster { dbClusterIdentifier status } } } } }`);
    const nodes = dataOf(answer, "links").rdsDbInstances.edges.map((e: any) => e.node);
    expect(nodes.length).toBe((await sdkInstances("us-east-1")).length);
    expect(nodes.every((n: any) => n.vpc.cidrBlock && n.securityGroups.every((g: any) => g.groupName))).toBe(true);
    // DescribeDBInstances, DescribeDBClusters, DescribeVpcs, DescribeSubnets, DescribeSecurityGroups at most (the account id's STS call aside)
    expect(awsCallsBesidesSts(answer)).toBeLessThanOrEqual(5);
  });

  it("never serves a password: no RDS type has a field for one, and no answer carries the seed's or the managed secret's", async () => {
    const listed = await gateway.query(`{ rdsDbInstances(first: 100) { edges { node { __typename ${INSTANCE_FIELDS} } } } rdsDbClusters(first: 100) { edges { node { __typename ${CLUSTER_FIELDS} } } } }`);
    const data = dataOf(listed, "secrets");
    const typeNames = [data.rdsDbInstances.edges[0].node.__typename, data.rdsDbClusters.edges[0].node.__typename];
    const types = dataOf(await gateway.query(`query($a: String!, $b: String!) { a: __type(name: $a) { fields { name } } b: __type(name: $b) { fields { name } } }`, { a: typeNames[0], b: typeNames[1] }), "__type");
    const fieldNames = [...types.a.fields, ...types.b.fields].map((f: any) => f.name);
    expect(fieldNames.filter((name: string) => /password|secret/i.test(name))).toEqual([]);
    // moto, like AWS, never answers MasterUserPassword; a cluster made with ManageMasterUserPassword names its secret's ARN (MasterUserSecret), not its value
    expect(JSON.stringify(data)).not.toMatch(/seed-only-Passw0rd|P@55w0rd|password|secretsmanager/i);
  });
});
