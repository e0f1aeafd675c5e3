// EKS managed node groups, listed under their cluster only: ListNodegroups (nextToken; maxResults
// 1..100) gives names; DescribeNodegroup, one call per node group, is made only when a described
// field is selected. A node group's name is unique within its cluster only, so its id is
// "cluster/nodegroup", the cluster taken from the listing's own request.
import { afterType } from "../../graphql/kit/arns.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { links, resource } from "../../graphql/kit/resource.js";
import { EKS_NAME, EksCluster } from "./clusters.js";

interface ListedNodegroup {
  cluster: string;
  name: string;
}

const splitId = (id: string) => {
  const slash = id.indexOf("/");
  return { clusterName: id.slice(0, slash), nodegroupName: id.slice(slash + 1) };
};

const NAME = EKS_NAME.source.slice(1, -1);

export const EksNodegroup = resource({
  name: "EksNodegroup",
  scope: "regional",
  list: {
    service: "eks",
    command: (input) => namedCommand("eks", "ListNodegroupsCommand", { clusterName: input.clusterName, ...input }),
    tokens: tokens.field("nextToken"),
    pageSize: { member: "maxResults", min: 1, max: 100 },
    items: (out, input) => out.nodegroups?.map((name): ListedNodegroup => ({ cluster: String(input.clusterName), name })),
  },
  id: { field: "clusterNodegroupName", pattern: new RegExp(`^${NAME}/${NAME}$`) },
  fields: (f) => ({
    clusterNodegroupName: f.requiredString((n: ListedNodegroup) => `${n.cluster}/${n.name}`, "the cluster's name and the node group's: cluster/nodegroup"),
    clusterName: f.requiredString((n) => n.cluster),
    nodegroupName: f.requiredString((n) => n.name),
  }),
  detail: {
    idsPerCall: 1,
    describe: async ([id], send) => {
      const { nodegroup } = await send(namedCommand("eks", "DescribeNodegroupCommand", splitId(id!)));
      return nodegroup ? [nodegroup] : [];
    },
    id: (n) => (n.clusterName && n.nodegroupName ? `${n.clusterName}/${n.nodegroupName}` : undefined),
    item: (n): ListedNodegroup => ({ cluster: n.clusterName ?? "", name: n.nodegroupName ?? "" }),
    fields: (f) => ({
      nodegroupArn: f.string((n) => n.nodegroupArn),
      arn: f.string((n) => n.nodegroupArn, "the node group's ARN, as DescribeNodegroup tells it (it ends in an id only AWS knows)"),
      status: f.string((n) => n.status, "CREATING, ACTIVE, UPDATING, DELETING, CREATE_FAILED, DELETE_FAILED or DEGRADED"),
      instanceTypes: f.strings((n) => n.instanceTypes),
      desiredSize: f.int((n) => n.scalingConfig?.desiredSize),
      minSize: f.int((n) => n.scalingConfig?.minSize),
      maxSize: f.int((n) => n.scalingConfig?.maxSize),
    }),
  },
  arn: {
    type: "eks:nodegroup",
    // arn:aws:eks:region:account:nodegroup/cluster/nodegroup/id
    id: (arn) => {
      const [cluster, nodegroup] = afterType(arn).split("/");
      return cluster && nodegroup ? `${cluster}/${nodegroup}` : undefined;
    },
    of: { field: "clusterNodegroupName" },
  },
});

links(EksCluster, (l) => ({
  nodegroups: l.children(() => EksNodegroup, (cluster) => ({ clusterName: cluster.name }), "the cluster's managed node groups (ListNodegroups, then DescribeNodegroup for described fields)"),
}));

links(EksNodegroup, (l) => ({
  cluster: l.one(() => EksCluster, (nodegroup) => nodegroup.clusterName),
}));
