// EKS clusters: ListClusters (nextToken; maxResults 1..100) gives names only; DescribeCluster, one
// call per cluster (EKS has no batch describe), is made only when a described field or a link is
// selected, and finds a single cluster (a missing one: ResourceNotFoundException, so null).
//
// The links (role, vpc, subnets, securityGroups) read what DescribeCluster says, through the same
// per-request lookup the described fields use, never a second call.
import { afterType } from "../../graphql/kit/arns.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { arnName, links, resource } from "../../graphql/kit/resource.js";
import { Ec2SecurityGroup, Ec2Subnet, Ec2Vpc } from "../ec2/index.js";
import { IamRole } from "../iam/roles.js";

/** EKS cluster (and node group) names: a letter or digit, then letters, digits, hyphens, underscores. */
export const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export const EksCluster = resource({
  name: "EksCluster",
  scope: "regional",
  list: {
    service: "eks",
    command: (input) => namedCommand("eks", "ListClustersCommand", input),
    tokens: tokens.field("nextToken"),
    pageSize: { member: "maxResults", min: 1, max: 100 },
    items: (out) => out.clusters,
  },
  query: { list: "eksClusters", single: "eksCluster" },
  id: { field: "name", pattern: EKS_NAME },
  fields: (f) => ({
    name: f.requiredString((name) => name),
  }),
  detail: {
    idsPerCall: 1,
    describe: async ([name], send) => {
      const { cluster } = await send(namedCommand("eks", "DescribeClusterCommand", { name }));
      return cluster ? [cluster] : [];
    },
    id: (cluster) => cluster.name,
    item: (cluster) => cluster.name ?? "",
    fields: (f) => ({
      arn: f.string((c) => c.arn),
      status: f.string((c) => c.status, "CREATING, ACTIVE, DELETING, FAILED, UPDATING or PENDING"),
      version: f.string((c) => c.version, "the Kubernetes version"),
      endpoint: f.string((c) => c.endpoint, "the Kubernetes API server's URL"),
      createdAt: f.date((c) => c.createdAt),
      roleArn: f.string((c) => c.roleArn, "the cluster's IAM role"),
      vpcId: f.string((c) => c.resourcesVpcConfig?.vpcId),
      subnetIds: f.strings((c) => c.resourcesVpcConfig?.subnetIds),
      securityGroupIds: f.strings((c) => c.resourcesVpcConfig?.securityGroupIds, "the control plane's security groups, as the cluster was given them"),
    }),
  },
  arn: { type: "eks:cluster", id: afterType, of: { build: (c, accountId) => `arn:aws:eks:${c.region ?? ""}:${accountId}:cluster/${c.name}` } },
});

links(EksCluster, (l) => {
  const described = EksCluster.detailOf;
  return {
    role: l.one(() => IamRole, async (c, ctx) => arnName((await described(ctx, c))?.roleArn ?? undefined), "the cluster's IAM role"),
    vpc: l.one(() => Ec2Vpc, async (c, ctx) => (await described(ctx, c))?.vpcId ?? undefined),
    subnets: l.many(() => Ec2Subnet, async (c, ctx) => (await described(ctx, c))?.subnetIds ?? []),
    securityGroups: l.many(() => Ec2SecurityGroup, async (c, ctx) => (await described(ctx, c))?.securityGroupIds ?? [], "the control plane's security groups, as the cluster was given them"),
  };
});
