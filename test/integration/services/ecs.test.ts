// ECS against moto_server: ecsClusters / ecsCluster(clusterName) and each cluster's `services`,
// compared with what the SDK says about the same account.
//
// moto, unlike AWS (noted where it shows):
// - ListClusters and ListServices ignore maxResults and never return a nextToken: one page holds all.
// - ListServices takes a cluster's services by a substring match on "<cluster>:" (the seed names
//   clusters so that none ends with another's name).
// - activeServicesCount is always 0; a service's runningCount is 0 until an UpdateService sets the
//   desired count (the seed does that for most services), and the cluster's runningTasksCount follows.
// - DescribeClusters and DescribeServices do not enforce AWS's 100 and 10 names a call.
// - Service ARNs are in the long format, arn:aws:ecs:<region>:<account>:service/<cluster>/<service>.
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  paginateListClusters,
  paginateListServices,
  type Cluster,
  type Service,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedEcs, type EcsSeed } from "../../../demo/services/ecs.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, ask, checkRandomWalks, operationsOf, walkBackward } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGION = "us-east-1";
const ACCOUNT = "123456789012"; // moto's

let moto: Moto;
let gateway: TestGateway;
let ecs: ECSClient;
let seeded: EcsSeed;

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient(motoClientConfig(moto.endpoint, REGION));
  seeded = await seedEcs({ endpoint: moto.endpoint }, { region: REGION, clusters: 30, servicesInBigCluster: 25 });
  gateway = await startGateway({
    ...motoEnv(moto.endpoint),
    ...UNBOUNDED_BUDGET,
    AWS_CALLS_PER_SECOND: `${UNBOUNDED_BUDGET.AWS_CALLS_PER_SECOND},ecs=100000`,
  });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  ecs?.destroy();
  await moto?.stop();
});

/** ListClusters to its end, as the SDK reads it. */
const sdkClusterArns = (): Promise<string[]> => all(paginateListClusters({ client: ecs, pageSize: 100 }, {}), (page) => page.clusterArns);
const sdkServiceArns = (cluster: string): Promise<string[]> => all(paginateListServices({ client: ecs, pageSize: 100 }, { cluster }), (page) => page.serviceArns);

/** DescribeClusters, 100 names a call as AWS allows. */
async function sdkDescribeClusters(arns: string[]): Promise<Map<string, Cluster>> {
  const byArn = new Map<string, Cluster>();
  for (let i = 0; i < arns.length; i += 100) {
    const { clusters } = await ecs.send(new DescribeClustersCommand({ clusters: arns.slice(i, i + 100) }));
    for (const c of clusters!) byArn.set(c.clusterArn!, c);
  }
  return byArn;
}

/** DescribeServices, 10 a call as AWS allows. */
async function sdkDescribeServices(cluster: string, arns: string[]): Promise<Map<string, Service>> {
  const byArn = new Map<string, Service>();
  for (let i = 0; i < arns.length; i += 10) {
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster, services: arns.slice(i, i + 10) }));
    for (const s of services!) byArn.set(s.serviceArn!, s);
  }
  return byArn;
}

const PAGE_ARGS = "$first: Int, $after: String, $last: Int, $before: String";
const PAGING = "first: $first, after: $after, last: $last, before: $before";
const CLUSTERS = (selection: string) => `query(${PAGE_ARGS}) { ecsClusters(${PAGING}) {
  edges { cursor node { ${selection} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const SERVICES = (selection: string) => `query($cluster: String!, ${PAGE_ARGS}) { ecsCluster(clusterName: $cluster) { services(${PAGING}) {
  edges { cursor node { ${selection} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;

describe("ECS clusters against moto_server", () => {
  it("the seed is what the SDK lists: 30 clusters (one INACTIVE), one of them with 25 services", async () => {
    const arns = await sdkClusterArns();
    expect(arns.map((a) => a.split("/").pop())).toEqual(seeded.clusterNames);
    expect(await sdkServiceArns(seeded.bigCluster)).toHaveLength(25);
    const described = await sdkDescribeClusters(arns);
    expect(described.get(arns[arns.length - 1]!)!.status).toBe("INACTIVE");
  });

  it("ecsClusters: walks with random page sizes, resumed after random edges, equal ListClusters' listing in its order", async () => {
    const expected = await sdkClusterArns();
    expect(expected.length).toBe(30);
    const query = CLUSTERS("id region accountId accountName clusterArn clusterName");
    await checkRandomWalks(gateway, query, ["ecsClusters"], { maxFirst: 12, runs: 4 }, (walk) => {
      expect(walk.nodes.map((n: any) => n.clusterArn)).toEqual(expected);
      expect(walk.nodes.map((n: any) => n.clusterName)).toEqual(expected.map((a) => a.split("/").pop()));
      expect(walk.nodes.every((n: any) => n.region === REGION && n.accountId === ACCOUNT && n.accountName === "default")).toBe(true);
      expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
    });
  });

  it("ecsClusters: moto ignores maxResults, so a walk of small pages makes one ListClusters call and pages the held answer", async () => {
    const whole = await ecs.send(new ListClustersCommand({ maxResults: 5 }));
    expect(whole.clusterArns).toHaveLength(30);
    expect(whole.nextToken).toBeUndefined();
    const walk = await walkConnection(gateway, CLUSTERS("clusterName"), ["ecsClusters"], { firsts: [4] });
    expect(walk.nodes).toHaveLength(30);
    expect(walk.operations).toEqual({ ListClusters: 1 });
  });

  it("ecsClusters: a walk backward from the last edge with last/before gives the forward listing, reversed", async () => {
    const expected = await sdkClusterArns();
    const query = CLUSTERS("clusterArn");
    const { data } = await ask(gateway, query, { first: 100 });
    const edges = data.ecsClusters.edges;
    expect(edges.map((e: any) => e.node.clusterArn)).toEqual(expected);
    const backward = await walkBackward(gateway, query, ["ecsClusters"], { lasts: [7, 3, 11], before: edges[edges.length - 1].cursor });
    expect([...backward.map((n) => n.clusterArn), expected[expected.length - 1]].reverse()).toEqual([...expected].reverse());
  });

  it("ecsClusters: totalCount is ListClusters' count", async () => {
    const { data } = await ask(gateway, `{ ecsClusters(first: 2) { totalCount edges { node { clusterName } } } }`);
    expect(data.ecsClusters.totalCount).toBe((await sdkClusterArns()).length);
    expect(data.ecsClusters.edges).toHaveLength(2);
  });

  it("ecsClusters: every field is what DescribeClusters says, for every cluster (the INACTIVE one too)", async () => {
    const arns = await sdkClusterArns();
    const described = await sdkDescribeClusters(arns);
    const { data } = await ask(gateway, `{ ecsClusters(first: 100) { edges { node { clusterName clusterArn status runningTasksCount activeServicesCount region } } } }`);
    const nodes = data.ecsClusters.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(arns.length);
    for (const node of nodes) {
      const c = described.get(node.clusterArn)!;
      expect(node).toEqual({
        clusterName: c.clusterName,
        clusterArn: c.clusterArn,
        status: c.status,
        runningTasksCount: c.runningTasksCount,
        // moto: always 0, whatever services the cluster has
        activeServicesCount: c.activeServicesCount,
        region: REGION,
      });
    }
    expect(new Set(nodes.map((n: any) => n.status))).toEqual(new Set(["ACTIVE", "INACTIVE"]));
    expect(nodes.some((n: any) => n.runningTasksCount > 0)).toBe(true);
  });

  it("ecsClusters: a page of names and ARNs makes no DescribeClusters call; a page with a described field makes one for up to 100 clusters", async () => {
    const names = await ask(gateway, `{ ecsClusters(first: 100) { edges { node { id clusterName clusterArn } } } }`);
    expect(names.data.ecsClusters.edges).toHaveLength(30);
    expect(operationsOf(names.answer)).toEqual({ ListClusters: 1 });

    const described = await ask(gateway, `{ ecsClusters(first: 100) { edges { node { clusterName status } } } }`);
    expect(described.data.ecsClusters.edges).toHaveLength(30);
    expect(operationsOf(described.answer)).toEqual({ ListClusters: 1, DescribeClusters: 1 });

    const counts = await ask(gateway, `{ ecsClusters(first: 7) { edges { node { runningTasksCount activeServicesCount } } } }`);
    expect(counts.data.ecsClusters.edges).toHaveLength(7);
    expect(operationsOf(counts.answer).DescribeClusters).toBe(1);
  });

  it("ecsCluster(clusterName): finds a cluster, its fields as DescribeClusters says, and answers null for a missing one", async () => {
    const name = seeded.clusterNames[3]!;
    const [c] = (await ecs.send(new DescribeClustersCommand({ clusters: [name] }))).clusters!;
    const { data } = await ask(gateway, 
      `query($name: String!) { ecsCluster(clusterName: $name) { id region accountId clusterName clusterArn status runningTasksCount activeServicesCount }
        missing: ecsCluster(clusterName: "no-such-cluster") { clusterName }
        elsewhere: ecsCluster(clusterName: $name, region: "eu-west-1") { clusterName } }`,
      { name },
    );
    expect(data.ecsCluster).toMatchObject({
      region: REGION,
      accountId: ACCOUNT,
      clusterName: c!.clusterName,
      clusterArn: c!.clusterArn,
      status: c!.status,
      runningTasksCount: c!.runningTasksCount,
      activeServicesCount: c!.activeServicesCount,
    });
    // DescribeClusters answers a missing name with failures: [{ reason: "MISSING" }], not an error
    expect(data.missing).toBeNull();
    expect(data.elsewhere).toBeNull();
  });

  it("every ECS cluster is a Node: node(id:) refetches it", async () => {
    const { data } = await ask(gateway, `{ ecsClusters(first: 3) { edges { node { __typename id clusterArn } } } }`);
    for (const { node } of data.ecsClusters.edges) {
      const again = await ask(gateway, `query($id: ID!) { node(id: $id) { __typename id ... on EcsCluster { clusterArn status } } }`, { id: node.id });
      expect(again.data.node).toMatchObject({ __typename: node.__typename, id: node.id, clusterArn: node.clusterArn, status: "ACTIVE" });
    }
  });
});

describe("ECS services against moto_server", () => {
  it("services: walks with random page sizes and resumes equal ListServices' listing, for the busy cluster and small ones", async () => {
    const clusters = [seeded.bigCluster, ...Object.keys(seeded.servicesByCluster).filter((c) => c !== seeded.bigCluster).slice(0, 2)];
    const empty = seeded.clusterNames.find((c) => !seeded.servicesByCluster[c] && c !== seeded.inactiveCluster)!;
    const query = SERVICES("id region accountId serviceArn serviceName");
    for (const cluster of clusters) {
      const expected = await sdkServiceArns(cluster);
      expect(expected.length, cluster).toBe(seeded.servicesByCluster[cluster]!.length);
      await checkRandomWalks(gateway, query, ["ecsCluster", "services"], { maxFirst: 12, runs: cluster === seeded.bigCluster ? 4 : 2, variables: { cluster } }, (walk) => {
        expect(walk.nodes.map((n: any) => n.serviceArn)).toEqual(expected);
        expect(walk.nodes.map((n: any) => n.serviceName)).toEqual(expected.map((a) => a.split("/").pop()));
        expect(walk.nodes.every((n: any) => n.region === REGION && n.accountId === ACCOUNT)).toBe(true);
      });
    }
    const none = await walkConnection(gateway, query, ["ecsCluster", "services"], { firsts: [5], variables: { cluster: empty } });
    expect(none.nodes).toEqual([]);
  });

  it("services: moto's service ARNs name the cluster (the long ARN format)", async () => {
    for (const arn of await sdkServiceArns(seeded.bigCluster)) expect(arn).toMatch(new RegExp(`^arn:aws:ecs:${REGION}:${ACCOUNT}:service/${seeded.bigCluster}/[^/]+$`));
  });

  it("services: a walk backward from the last edge gives the forward listing, reversed", async () => {
    const cluster = seeded.bigCluster;
    const expected = await sdkServiceArns(cluster);
    const query = SERVICES("serviceArn");
    const { data } = await ask(gateway, query, { cluster, first: 100 });
    const edges = data.ecsCluster.services.edges;
    expect(edges.map((e: any) => e.node.serviceArn)).toEqual(expected);
    const backward = await walkBackward(gateway, query, ["ecsCluster", "services"], { lasts: [4, 9, 2], before: edges[edges.length - 1].cursor, variables: { cluster } });
    expect([...backward.map((n) => n.serviceArn), expected[expected.length - 1]].reverse()).toEqual([...expected].reverse());
  });

  it("services: totalCount is ListServices' count, cluster by cluster", async () => {
    for (const cluster of seeded.clusterNames.slice(0, 6)) {
      const { data } = await ask(gateway, `query($cluster: String!) { ecsCluster(clusterName: $cluster) { services(first: 1) { totalCount } } }`, { cluster });
      expect(data.ecsCluster.services.totalCount, cluster).toBe((await sdkServiceArns(cluster)).length);
    }
  });

  it("services: every field is what DescribeServices says, and `cluster` is the service's cluster", async () => {
    for (const cluster of [seeded.bigCluster, ...Object.keys(seeded.servicesByCluster).slice(1, 4)]) {
      const arns = await sdkServiceArns(cluster);
      const described = await sdkDescribeServices(cluster, arns);
      const { data } = await ask(gateway, 
        `query($cluster: String!) { ecsCluster(clusterName: $cluster) { services(first: 100) { edges { node {
          serviceName serviceArn status desiredCount runningCount launchType taskDefinition cluster { clusterName clusterArn } } } } } }`,
        { cluster },
      );
      const nodes = data.ecsCluster.services.edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => n.serviceArn)).toEqual(arns);
      for (const node of nodes) {
        const s = described.get(node.serviceArn)!;
        expect(node).toEqual({
          serviceName: s.serviceName,
          serviceArn: s.serviceArn,
          status: s.status,
          desiredCount: s.desiredCount,
          runningCount: s.runningCount,
          launchType: s.launchType,
          taskDefinition: s.taskDefinition,
          cluster: { clusterName: cluster, clusterArn: s.clusterArn },
        });
      }
    }
  });

  it("services: the seed's services differ where a dashboard looks (launch types, running below desired, several task definitions)", async () => {
    const arns = await sdkServiceArns(seeded.bigCluster);
    const services = [...(await sdkDescribeServices(seeded.bigCluster, arns)).values()];
    expect(new Set(services.map((s) => s.launchType))).toEqual(new Set(["EC2", "FARGATE"]));
    expect(services.some((s) => s.runningCount! < s.desiredCount!)).toBe(true);
    expect(services.some((s) => s.runningCount! > 0)).toBe(true);
    expect(new Set(services.map((s) => s.taskDefinition)).size).toBeGreaterThan(3);
  });

  it("services: names and ARNs need no DescribeServices; described fields take one DescribeServices per 10 services on the page", async () => {
    const cluster = seeded.bigCluster;
    const names = await ask(gateway, SERVICES("serviceName serviceArn"), { cluster, first: 25 });
    expect(names.data.ecsCluster.services.edges).toHaveLength(25);
    expect(operationsOf(names.answer).ListServices).toBe(1);
    expect(operationsOf(names.answer).DescribeServices).toBeUndefined();

    for (const [first, calls] of [[25, 3], [10, 1], [11, 2], [3, 1]] as const) {
      const described = await ask(gateway, SERVICES("serviceName status runningCount"), { cluster, first });
      expect(described.data.ecsCluster.services.edges).toHaveLength(first);
      expect(operationsOf(described.answer).DescribeServices, `first: ${first}`).toBe(calls);
      expect(operationsOf(described.answer).ListServices, `first: ${first}`).toBe(1);
    }
  });

  it("services: a page of clusters with their services lists each cluster's services as ListServices does", async () => {
    const { data } = await ask(gateway, `{ ecsClusters(first: 6) { edges { node { clusterName services(first: 30) { edges { node { serviceArn cluster { clusterName } } } } } } } }`);
    for (const { node } of data.ecsClusters.edges) {
      const arns = await sdkServiceArns(node.clusterName);
      expect(node.services.edges.map((e: any) => e.node.serviceArn), node.clusterName).toEqual(arns);
      expect(node.services.edges.every((e: any) => e.node.cluster.clusterName === node.clusterName)).toBe(true);
    }
  });

  it("every ECS service is a Node: node(id:) refetches it (one DescribeServices), and a service that is gone is null", async () => {
    const { data } = await ask(gateway, SERVICES("__typename id serviceArn"), { cluster: seeded.bigCluster, first: 3 });
    for (const { node } of data.ecsCluster.services.edges) {
      const again = await ask(gateway, `query($id: ID!) { node(id: $id) { __typename id ... on EcsService { serviceArn status cluster { clusterName } } } }`, { id: node.id });
      expect(again.data.node).toMatchObject({ __typename: node.__typename, id: node.id, serviceArn: node.serviceArn, status: "ACTIVE", cluster: { clusterName: seeded.bigCluster } });
      expect(operationsOf(again.answer).DescribeServices).toBe(1);
    }
    // the same id with another service's name: DescribeServices reports it MISSING
    const first = data.ecsCluster.services.edges[0].node;
    const forged = Buffer.from(Buffer.from(first.id, "base64").toString("utf8").replace(/\/[^/]+$/, "/no-such-service"), "utf8").toString("base64url");
    expect(forged).not.toBe(first.id);
    const gone = await gateway.query(`query($id: ID!) { node(id: $id) { id } }`, { id: forged });
    expect(gone.errors).toBeUndefined();
    expect(gone.data!.node).toBeNull();
    expect(operationsOf(gone).DescribeServices).toBe(1);
  });
});
