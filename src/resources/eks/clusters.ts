// EKS clusters: ListClusters (nextToken; maxResults 1..100) gives names only; DescribeCluster, one
// call per cluster (EKS has no batch describe), is made only when a described field or a link is
// selected, and finds a single cluster (a missing one: ResourceNotFoundException, so null).
//
// The links (role, vpc, subnets, securityGroups) name what DescribeCluster says, and the kit's links
// read their ids from the listed model. So the model also holds those ids, read from the
// DescribeCluster answer that the kit's detail lookup keeps as the cluster's listed item (empty on
// a model made from ListClusters), and the links load that lookup first: the same per-request
// DescribeCluster the described fields use, never a second one. In the schema, the detail fields
// of the same names (declared after, so they win) show them; the model's copies stay internal.
import type { Cluster } from "@aws-sdk/client-eks";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { lookupCost } from "../../graphql/aws-cost.js";
import { builder } from "../../graphql/builder.js";
import { loadExisting, loadOne, pothosShape } from "../../graphql/kit/node.js";
import { arnName, resource, type LinkTarget, type Resource } from "../../graphql/kit/resource.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import { Ec2SecurityGroup, Ec2Subnet, Ec2Vpc } from "../ec2/index.js";
import { IamRole } from "../iam/roles.js";

/** EKS cluster (and node group) names: a letter or digit, then letters, digits, hyphens, underscores. */
export const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

interface ListedCluster {
  name: string;
  /** the DescribeCluster answer, when the model is made from it */
  described?: Cluster;
}

export const EksCluster = resource({
  name: "EksCluster",
  scope: "regional",
  list: {
    service: "eks",
    command: (input) => namedCommand("eks", "ListClustersCommand", input),
    tokens: tokens.field("nextToken"),
    pageSize: { member: "maxResults", min: 1, max: 100 },
    items: (out) => out.clusters?.map((name): ListedCluster => ({ name })),
  },
  query: { list: "eksClusters", single: "eksCluster" },
  id: { field: "name", pattern: EKS_NAME },
  fields: (f) => ({
    name: f.requiredString((c: ListedCluster) => c.name),
    // the links' ids (see above): shown in the schema by the detail fields of the same names
    roleArn: f.string((c) => c.described?.roleArn),
    vpcId: f.string((c) => c.described?.resourcesVpcConfig?.vpcId),
    subnetIds: f.strings((c) => c.described?.resourcesVpcConfig?.subnetIds),
    securityGroupIds: f.strings((c) => c.described?.resourcesVpcConfig?.securityGroupIds),
  }),
  detail: {
    idsPerCall: 1,
    describe: async ([name], send) => {
      const { cluster } = await send(namedCommand("eks", "DescribeClusterCommand", { name }));
      return cluster ? [cluster] : [];
    },
    id: (cluster) => cluster.name,
    item: (cluster): ListedCluster => ({ name: cluster.name ?? "", described: cluster }),
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
});

type EksClusterModel = typeof EksCluster extends Resource<infer Model> ? Model : never;

/** The cluster as DescribeCluster says, through the request's detail lookup (shared with the described fields). */
const described = (cluster: EksClusterModel, ctx: ResourceContext): Promise<EksClusterModel | null> => EksCluster.loader(ctx).load(EksCluster.keyOf(cluster, cluster.name));

builder.objectFields(EksCluster.ref, (t) => {
  const one = <Target>(target: LinkTarget<Target>, id: (cluster: EksClusterModel) => string | undefined, description?: string) =>
    t.field({
      type: target.ref,
      nullable: true,
      description,
      extensions: lookupCost(1),
      resolve: (model, _args, ctx) =>
        pothosShape(
          described(model, ctx).then((cluster) => {
            const related = cluster ? id(cluster) : undefined;
            return loadOne(target, ctx, related === undefined ? undefined : target.keyOf(model, related));
          }),
        ),
    });
  const many = <Target>(target: LinkTarget<Target>, ids: (cluster: EksClusterModel) => readonly string[], description?: string) =>
    t.field({
      type: [target.ref],
      description,
      extensions: lookupCost(1),
      resolve: (model, _args, ctx) =>
        pothosShape(described(model, ctx).then((cluster) => loadExisting(target, ctx, (cluster ? ids(cluster) : []).map((related) => target.keyOf(model, related))))),
    });
  return {
    role: one(IamRole, (c) => arnName(c.roleArn ?? undefined), "the cluster's IAM role"),
    vpc: one(Ec2Vpc, (c) => c.vpcId ?? undefined),
    subnets: many(Ec2Subnet, (c) => c.subnetIds),
    securityGroups: many(Ec2SecurityGroup, (c) => c.securityGroupIds, "the control plane's security groups, as the cluster was given them"),
  };
});
