// ECS as AWS runs it, where moto does not: ListClusters and ListServices honour maxResults (1-100;
// ListServices' default is 10) and page with an opaque nextToken (moto answers everything at once);
// DescribeClusters refuses more than 100 names and DescribeServices more than 10 services (moto
// takes any number); services made before the long ARN format have ARNs that do not name their
// cluster.
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  type DescribeClustersCommandInput,
  type DescribeServicesCommandInput,
  type ListClustersCommandInput,
  type ListServicesCommandInput,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { awsError, opaquePage, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";

const clusterNames = Array.from({ length: 130 }, (_, i) => `cluster-${String(i).padStart(3, "0")}`);
const clusterArn = (name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${name}`;
const BUSY = "cluster-000";
// the busy cluster's services: half in the short (old) ARN format, which does not name the cluster
const serviceNames = Array.from({ length: 45 }, (_, i) => `svc-${String(i).padStart(2, "0")}`);
const serviceArn = (name: string, i: number) => (i % 2 === 0 ? `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${name}` : `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${BUSY}/${name}`);

/** One page as AWS cuts it: maxResults 1-100 (default `byDefault`), an opaque token to go on. */
function page<T>(all: readonly T[], input: { maxResults?: number; nextToken?: string }, byDefault: number) {
  const size = input.maxResults ?? byDefault;
  if (size < 1 || size > 100) throw awsError("InvalidParameterException", "maxResults must be between 1 and 100");
  const { items, next } = opaquePage(all, input.nextToken, size);
  return { items, nextToken: next };
}

const ecs = mockClient(ECSClient);
const gateway = useMockedGateway([ecs], () => {
  ecs.on(ListClustersCommand).callsFake((input: ListClustersCommandInput) => {
    const { items, nextToken } = page(clusterNames, input, 100);
    return { clusterArns: items.map(clusterArn), nextToken };
  });
  ecs.on(DescribeClustersCommand).callsFake((input: DescribeClustersCommandInput) => {
    const names = input.clusters ?? [];
    if (names.length === 0 || names.length > 100) throw awsError("InvalidParameterException", "clusters: 1 to 100 names");
    const known = names.filter((n) => clusterNames.includes(n));
    return {
      clusters: known.map((n) => ({ clusterName: n, clusterArn: clusterArn(n), status: "ACTIVE", runningTasksCount: 2, activeServicesCount: n === BUSY ? 45 : 0 })),
      failures: names.filter((n) => !known.includes(n)).map((n) => ({ arn: clusterArn(n), reason: "MISSING" })),
    };
  });
  ecs.on(ListServicesCommand).callsFake((input: ListServicesCommandInput) => {
    if (input.cluster !== BUSY) return { serviceArns: [] };
    const { items, nextToken } = page(serviceNames, input, 10);
    return { serviceArns: items.map((name) => serviceArn(name, serviceNames.indexOf(name))), nextToken };
  });
  ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
    const names = input.services ?? [];
    if (names.length === 0 || names.length > 10) throw awsError("InvalidParameterException", "services: 1 to 10 names");
    if (input.cluster !== BUSY) throw awsError("ClusterNotFoundException", "Cluster not found.");
    return {
      services: names
        .filter((n) => serviceNames.includes(n))
        .map((n) => ({ serviceName: n, serviceArn: serviceArn(n, serviceNames.indexOf(n)), clusterArn: clusterArn(BUSY), status: "ACTIVE", desiredCount: 3, runningCount: 2 })),
    };
  });
});

const CLUSTERS = `query($first: Int, $after: String) { ecsClusters(first: $first, after: $after) { edges { cursor node { clusterName } } pageInfo { hasNextPage endCursor } } }`;
const SERVICES = (selection: string) => `query($first: Int, $after: String) { ecsCluster(clusterName: "${BUSY}") { services(first: $first, after: $after) {
  edges { cursor node { ${selection} } } pageInfo { hasNextPage endCursor } } } }`;

describe("ECS as AWS pages it (maxResults honoured, opaque nextToken)", () => {
  it("walks every cluster once whatever the page size, never asking for more than 100", async () => {
    for (const first of [7, 100, 130]) {
      ecs.resetHistory();
      const walk = await walkConnection(gateway, CLUSTERS, ["ecsClusters"], { firsts: [first], resumeAt: (count) => Math.floor(count / 2) });
      expect(walk.nodes.map((c: any) => c.clusterName), `first: ${first}`).toEqual(clusterNames);
      expect(ecs.commandCalls(ListClustersCommand).every((c) => c.args[0].input.maxResults! >= 1 && c.args[0].input.maxResults! <= 100)).toBe(true);
      expect(ecs.commandCalls(DescribeClustersCommand)).toHaveLength(0);
    }
  });

  it("describes a page of 130 clusters in two DescribeClusters calls of at most 100 names", async () => {
    const answer = await gateway.query(`{ ecsClusters(first: 130) { edges { node { clusterName status } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ecsClusters.edges.every((e: any) => e.node.status === "ACTIVE")).toBe(true);
    const calls = ecs.commandCalls(DescribeClustersCommand).map((c) => c.args[0].input.clusters!.length);
    expect(calls.sort((a, b) => a - b)).toEqual([30, 100]);
  });

  it("lists a cluster's services with maxResults 100 (AWS's default is 10), following the token", async () => {
    const walk = await walkConnection(gateway, SERVICES("serviceName clusterName"), ["ecsCluster", "services"], { firsts: [20] });
    expect(walk.nodes.map((s: any) => s.serviceName)).toEqual(serviceNames);
    expect(walk.nodes.every((s: any) => s.clusterName === BUSY)).toBe(true);
    expect(ecs.commandCalls(ListServicesCommand).every((c) => c.args[0].input.maxResults === 100 && c.args[0].input.cluster === BUSY)).toBe(true);
  });

  it("describes services 10 a call in their cluster, whatever their ARN's format", async () => {
    const answer = await gateway.query(SERVICES("serviceName serviceArn status runningCount cluster { clusterName }"), { first: 45 });
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.ecsCluster.services.edges.map((e: any) => e.node);
    expect(nodes.map((s: any) => s.serviceName)).toEqual(serviceNames);
    expect(nodes.every((s: any) => s.status === "ACTIVE" && s.runningCount === 2 && s.cluster.clusterName === BUSY)).toBe(true);
    const calls = ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(5);
    expect(calls.every((input) => input.cluster === BUSY && input.services!.length <= 10)).toBe(true);
  });
});
