// EKS against moto_server: eksClusters / eksCluster(name), their links (role, vpc, subnets,
// securityGroups) and each cluster's `nodegroups`, compared with what the SDK says.
//
// moto, unlike AWS (noted where it shows):
// - ListClusters and ListNodegroups honour maxResults, list names sorted by code point (upper case
//   first) and use the next name itself as nextToken; a nextToken moto did not issue, or
//   ListNodegroups of a missing cluster, is an HTTP 500 (AWS: InvalidParameterException /
//   ResourceNotFoundException). maxResults above 100 is accepted (AWS: 1-100).
// - DescribeCluster echoes the resourcesVpcConfig of the CreateCluster request: AWS adds the vpcId
//   it found from the subnets, moto does not, so the seed sends it (demo/services/eks.ts).
// - Every cluster of a region has the same fake endpoint; a node group's version is moto's
//   default ("1.19") unless the request names one (the seed does).
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand,
  paginateListClusters,
  paginateListNodegroups,
  type Cluster,
  type Nodegroup,
} from "@aws-sdk/client-eks";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedEks, type EksSeed } from "../../../demo/services/eks.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, ask, checkRandomWalks, operationsOf, walkBackward } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGION = "us-east-1";
const ACCOUNT = "123456789012"; // moto's

let moto: Moto;
let gateway: TestGateway;
let eks: EKSClient;
let ec2: EC2Client;
let iam: IAMClient;
let seeded: EksSeed;

beforeAll(async () => {
  moto = await startMoto();
  eks = new EKSClient(motoClientConfig(moto.endpoint, REGION));
  ec2 = new EC2Client(motoClientConfig(moto.endpoint, REGION));
  iam = new IAMClient(motoClientConfig(moto.endpoint, REGION));
  seeded = await seedEks({ endpoint: moto.endpoint }, { region: REGION, clusters: 8, nodegroupsInBigCluster: 5 });
  gateway = await startGateway({
    ...motoEnv(moto.endpoint),
    ...UNBOUNDED_BUDGET,
    AWS_CALLS_PER_SECOND: `${UNBOUNDED_BUDGET.AWS_CALLS_PER_SECOND},eks=100000`,
  });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  eks?.destroy();
  ec2?.destroy();
  iam?.destroy();
  await moto?.stop();
});

/** ListClusters page after page (small pages: moto honours maxResults). */
const sdkClusterNames = (pageSize = 3): Promise<string[]> => all(paginateListClusters({ client: eks, pageSize }, {}), (page) => page.clusters);
const sdkNodegroupNames = (clusterName: string, pageSize = 2): Promise<string[]> => all(paginateListNodegroups({ client: eks, pageSize }, { clusterName }), (page) => page.nodegroups);

const describeCluster = async (name: string): Promise<Cluster> => (await eks.send(new DescribeClusterCommand({ name }))).cluster!;
const describeNodegroup = async (clusterName: string, nodegroupName: string): Promise<Nodegroup> =>
  (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup!;
const time = (value: string | Date | undefined | null) => (value == null ? null : new Date(value).getTime());

const PAGE_ARGS = "$first: Int, $after: String, $last: Int, $before: String";
const PAGING = "first: $first, after: $after, last: $last, before: $before";
const CLUSTERS = (selection: string) => `query(${PAGE_ARGS}) { eksClusters(${PAGING}) {
  edges { cursor node { ${selection} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const NODEGROUPS = (selection: string) => `query($cluster: String!, ${PAGE_ARGS}) { eksCluster(name: $cluster) { nodegroups(${PAGING}) {
  edges { cursor node { ${selection} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;

describe("EKS clusters against moto_server", () => {
  it("the seed is what the SDK lists: 8 clusters, one with 5 node groups", async () => {
    expect([...(await sdkClusterNames())].sort()).toEqual([...seeded.clusterNames].sort());
    expect(await sdkNodegroupNames(seeded.bigCluster)).toHaveLength(5);
  });

  it("eksClusters: walks with random page sizes, resumed after random edges, equal ListClusters' listing in its order", async () => {
    const expected = await sdkClusterNames();
    expect(expected).toHaveLength(8);
    // moto's order is by code point: "ML-training" comes before the lower-case names
    expect(expected[0]).toBe("ML-training");
    const query = CLUSTERS("id region accountId accountName name");
    await checkRandomWalks(gateway, query, ["eksClusters"], { maxFirst: 5, runs: 5 }, (walk) => {
      expect(walk.nodes.map((n: any) => n.name)).toEqual(expected);
      expect(walk.nodes.every((n: any) => n.region === REGION && n.accountId === ACCOUNT && n.accountName === "default")).toBe(true);
      expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
    });
  });

  it("eksClusters: moto honours maxResults, so a walk of pages of 3 costs about one ListClusters call a page", async () => {
    const first = await eks.send(new ListClustersCommand({ maxResults: 3 }));
    expect(first.clusters).toHaveLength(3);
    expect(first.nextToken).toBe((await sdkClusterNames())[3]); // the token is the next name itself
    const walk = await walkConnection(gateway, CLUSTERS("name"), ["eksClusters"], { firsts: [3] });
    expect(walk.nodes).toHaveLength(8);
    expect(walk.operations.ListClusters).toBeGreaterThanOrEqual(3);
    expect(walk.operations.ListClusters).toBeLessThanOrEqual(4);
    expect(walk.operations.DescribeCluster).toBeUndefined();
  });

  it("eksClusters: a walk backward from the last edge with last/before gives the forward listing, reversed", async () => {
    const expected = await sdkClusterNames();
    const query = CLUSTERS("name");
    const { data } = await ask(gateway, query, { first: 100 });
    const edges = data.eksClusters.edges;
    expect(edges.map((e: any) => e.node.name)).toEqual(expected);
    const backward = await walkBackward(gateway, query, ["eksClusters"], { lasts: [2, 3], before: edges[edges.length - 1].cursor });
    expect([...backward.map((n) => n.name), expected[expected.length - 1]].reverse()).toEqual([...expected].reverse());
  });

  it("eksClusters: totalCount is ListClusters' count", async () => {
    const { data } = await ask(gateway, `{ eksClusters(first: 1) { totalCount edges { node { name } } } }`);
    expect(data.eksClusters.totalCount).toBe((await sdkClusterNames()).length);
  });

  it("eksClusters: every field is what DescribeCluster says, for every cluster", async () => {
    const { data } = await ask(gateway, `{ eksClusters(first: 50) { edges { node { name arn status version endpoint createdAt region } } } }`);
    const nodes = data.eksClusters.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(8);
    for (const node of nodes) {
      const c = await describeCluster(node.name);
      expect({ ...node, createdAt: time(node.createdAt) }).toEqual({
        name: c.name,
        arn: c.arn,
        status: c.status,
        version: c.version,
        // moto: one fake endpoint for every cluster of the region
        endpoint: c.endpoint,
        createdAt: time(c.createdAt),
        region: REGION,
      });
      expect(node.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    }
    expect(new Set(nodes.map((n: any) => n.version)).size).toBeGreaterThan(2);
  });

  it("eksClusters: links role, vpc, subnets and securityGroups to what DescribeCluster names, as IAM and EC2 describe them", async () => {
    const { data } = await ask(gateway, `{ eksClusters(first: 100) { edges { node { name
      role { roleName arn path }
      vpc { vpcId cidrBlock }
      subnets { subnetId vpcId availabilityZone }
      securityGroups { groupId groupName vpcId } } } } }`);
    const roles = new Set<string>();
    for (const { node } of data.eksClusters.edges) {
      const c = await describeCluster(node.name);
      const roleName = c.roleArn!.split("/").pop()!;
      const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
      expect(node.role, node.name).toEqual({ roleName, arn: c.roleArn, path: role.Path });
      roles.add(roleName);

      const vpcId = c.resourcesVpcConfig!.vpcId!;
      const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
      expect(node.vpc, node.name).toEqual({ vpcId, cidrBlock: vpc.CidrBlock });

      const subnetIds = c.resourcesVpcConfig!.subnetIds!;
      const subnets = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }))).Subnets!;
      expect(node.subnets.map((s: any) => s.subnetId), node.name).toEqual(subnetIds);
      for (const s of node.subnets) expect(s).toEqual({ subnetId: s.subnetId, vpcId, availabilityZone: subnets.find((x) => x.SubnetId === s.subnetId)!.AvailabilityZone });

      // the control plane's groups as the cluster names them (moto makes no clusterSecurityGroupId)
      expect(c.resourcesVpcConfig!.clusterSecurityGroupId).toBeUndefined();
      expect(node.securityGroups.map((g: any) => g.groupId), node.name).toEqual(c.resourcesVpcConfig!.securityGroupIds);
      expect(node.securityGroups.every((g: any) => g.vpcId === vpcId && g.groupName)).toBe(true);
    }
    // one role under a path (/service-role/): the link takes the name from the ARN's last part
    expect(roles).toEqual(new Set(["eks-cluster-role", "eks-cluster-legacy"]));
  });

  it("eksClusters: a page of names makes no DescribeCluster call; a page with a described field makes one per cluster on it", async () => {
    const names = await ask(gateway, `{ eksClusters(first: 8) { edges { node { id name } } } }`);
    expect(names.data.eksClusters.edges).toHaveLength(8);
    expect(operationsOf(names.answer)).toEqual({ ListClusters: 1 });

    const described = await ask(gateway, `{ eksClusters(first: 8) { edges { node { name status } } } }`);
    expect(operationsOf(described.answer)).toEqual({ ListClusters: 1, DescribeCluster: 8 });

    const few = await ask(gateway, `{ eksClusters(first: 3) { edges { node { version createdAt } } } }`);
    expect(few.data.eksClusters.edges).toHaveLength(3);
    expect(operationsOf(few.answer).DescribeCluster).toBe(3);

    // links read the same DescribeCluster as the described fields: still one call per cluster
    const linked = await ask(gateway, `{ eksClusters(first: 8) { edges { node { name status roleArn vpcId vpc { vpcId } subnets { subnetId } } } } }`);
    expect(operationsOf(linked.answer).DescribeCluster).toBe(8);
    for (const { node } of linked.data.eksClusters.edges) {
      expect(node.roleArn, node.name).toMatch(/^arn:aws:iam::\d{12}:role\//);
      expect(node.vpc.vpcId, node.name).toBe(node.vpcId);
      expect(node.subnets.length, node.name).toBeGreaterThan(1);
    }
  });

  it("eksCluster(name): finds a cluster, its fields as DescribeCluster says, and answers null for a missing one", async () => {
    const name = "ML-training";
    const c = await describeCluster(name);
    const { data } = await ask(gateway, 
      `query($name: String!) { eksCluster(name: $name) { id region accountId name arn status version endpoint createdAt vpc { vpcId } }
        missing: eksCluster(name: "no-such-cluster") { name }
        elsewhere: eksCluster(name: $name, region: "eu-west-1") { name } }`,
      { name },
    );
    expect({ ...data.eksCluster, createdAt: time(data.eksCluster.createdAt) }).toMatchObject({
      region: REGION,
      accountId: ACCOUNT,
      name,
      arn: c.arn,
      status: c.status,
      version: c.version,
      endpoint: c.endpoint,
      createdAt: time(c.createdAt),
      vpc: { vpcId: c.resourcesVpcConfig!.vpcId },
    });
    // DescribeCluster of a missing name: ResourceNotFoundException (HTTP 404)
    expect(data.missing).toBeNull();
    expect(data.elsewhere).toBeNull();
  });

  it("every EKS cluster is a Node: node(id:) refetches it", async () => {
    const { data } = await ask(gateway, `{ eksClusters(first: 3) { edges { node { __typename id name arn } } } }`);
    for (const { node } of data.eksClusters.edges) {
      const again = await ask(gateway, `query($id: ID!) { node(id: $id) { __typename id ... on EksCluster { name arn } } }`, { id: node.id });
      expect(again.data.node).toEqual({ __typename: node.__typename, id: node.id, name: node.name, arn: node.arn });
    }
  });
});

describe("EKS node groups against moto_server", () => {
  it("nodegroups: walks with random page sizes and resumes equal ListNodegroups' listing, for every cluster", async () => {
    const query = NODEGROUPS("id region accountId nodegroupName");
    for (const cluster of seeded.clusterNames) {
      const expected = await sdkNodegroupNames(cluster);
      expect(expected.length, cluster).toBe(seeded.nodegroupsByCluster[cluster]?.length ?? 0);
      const walks = { maxFirst: 3, runs: cluster === seeded.bigCluster ? 5 : 1, cycle: 3, variables: { cluster } };
      await checkRandomWalks(gateway, query, ["eksCluster", "nodegroups"], walks, (walk) => {
        expect(walk.nodes.map((n: any) => n.nodegroupName), cluster).toEqual(expected);
        expect(walk.nodes.every((n: any) => n.region === REGION && n.accountId === ACCOUNT)).toBe(true);
      });
    }
  });

  it("nodegroups: a walk backward from the last edge gives the forward listing, reversed", async () => {
    const cluster = seeded.bigCluster;
    const expected = await sdkNodegroupNames(cluster);
    const query = NODEGROUPS("nodegroupName");
    const { data } = await ask(gateway, query, { cluster, first: 100 });
    const edges = data.eksCluster.nodegroups.edges;
    expect(edges.map((e: any) => e.node.nodegroupName)).toEqual(expected);
    const backward = await walkBackward(gateway, query, ["eksCluster", "nodegroups"], { lasts: [2, 1], before: edges[edges.length - 1].cursor, variables: { cluster } });
    expect([...backward.map((n) => n.nodegroupName), expected[expected.length - 1]].reverse()).toEqual([...expected].reverse());
  });

  it("nodegroups: totalCount is ListNodegroups' count, cluster by cluster", async () => {
    for (const cluster of seeded.clusterNames) {
      const { data } = await ask(gateway, `query($cluster: String!) { eksCluster(name: $cluster) { nodegroups(first: 1) { totalCount } } }`, { cluster });
      expect(data.eksCluster.nodegroups.totalCount, cluster).toBe((await sdkNodegroupNames(cluster)).length);
    }
  });

  it("nodegroups: every field is what DescribeNodegroup says", async () => {
    const seen = { capacity: new Set<string>(), types: new Set<string>() };
    for (const cluster of Object.keys(seeded.nodegroupsByCluster)) {
      const { data } = await ask(gateway, 
        `query($cluster: String!) { eksCluster(name: $cluster) { nodegroups(first: 50) { edges { node {
          nodegroupName nodegroupArn status instanceTypes desiredSize minSize maxSize region } } } } }`,
        { cluster },
      );
      const nodes = data.eksCluster.nodegroups.edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => n.nodegroupName)).toEqual(await sdkNodegroupNames(cluster));
      for (const node of nodes) {
        const ng = await describeNodegroup(cluster, node.nodegroupName);
        expect(node).toEqual({
          nodegroupName: ng.nodegroupName,
          nodegroupArn: ng.nodegroupArn,
          status: ng.status,
          instanceTypes: ng.instanceTypes,
          desiredSize: ng.scalingConfig!.desiredSize,
          minSize: ng.scalingConfig!.minSize,
          maxSize: ng.scalingConfig!.maxSize,
          region: REGION,
        });
        seen.capacity.add(ng.capacityType!);
        for (const t of ng.instanceTypes!) seen.types.add(t);
      }
    }
    expect(seen.capacity).toEqual(new Set(["ON_DEMAND", "SPOT"]));
    expect(seen.types.size).toBeGreaterThan(4);
  });

  it("nodegroups: names need no DescribeNodegroup; described fields take one DescribeNodegroup per node group on the page", async () => {
    const cluster = seeded.bigCluster;
    const names = await ask(gateway, NODEGROUPS("nodegroupName"), { cluster, first: 5 });
    expect(names.data.eksCluster.nodegroups.edges).toHaveLength(5);
    expect(operationsOf(names.answer).ListNodegroups).toBe(1);
    expect(operationsOf(names.answer).DescribeNodegroup).toBeUndefined();

    const described = await ask(gateway, NODEGROUPS("nodegroupName status desiredSize"), { cluster, first: 5 });
    expect(operationsOf(described.answer).DescribeNodegroup).toBe(5);
    const few = await ask(gateway, NODEGROUPS("nodegroupArn"), { cluster, first: 2 });
    expect(few.data.eksCluster.nodegroups.edges).toHaveLength(2);
    expect(operationsOf(few.answer).DescribeNodegroup).toBe(2);
  });

  it("every EKS node group is a Node: node(id:) refetches it", async () => {
    const { data } = await ask(gateway, NODEGROUPS("__typename id nodegroupName nodegroupArn"), { cluster: seeded.bigCluster, first: 2 });
    for (const { node } of data.eksCluster.nodegroups.edges) {
      const again = await ask(gateway, `query($id: ID!) { node(id: $id) { __typename id ... on EksNodegroup { nodegroupName nodegroupArn } } }`, { id: node.id });
      expect(again.data.node).toEqual({ __typename: node.__typename, id: node.id, nodegroupName: node.nodegroupName, nodegroupArn: node.nodegroupArn });
      expect(operationsOf(again.answer)).toEqual({ DescribeNodegroup: 1 });
    }
  });
});
