// ECS clusters: ListClusters (nextToken; maxResults 1..100) gives ARNs only; DescribeClusters (up to
// 100 names a call) is made only when a described field is selected, and finds a single cluster.
// DescribeClusters answers a missing name with `failures: [{ reason: "MISSING" }]`, not an error:
// the cluster is simply absent from `clusters`, so the lookup answers null. It is never called with
// no names (that describes the cluster named "default").
import { afterType } from "../../graphql/kit/arns.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { arnName, resource } from "../../graphql/kit/resource.js";

/** ECS cluster names: letters, digits, hyphens and underscores, up to 255. */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export const EcsCluster = resource({
  name: "EcsCluster",
  scope: "regional",
  list: {
    service: "ecs",
    command: (input) => namedCommand("ecs", "ListClustersCommand", input),
    tokens: tokens.field("nextToken"),
    pageSize: { member: "maxResults", min: 1, max: 100 },
    items: (out) => out.clusterArns,
  },
  query: { list: "ecsClusters", single: "ecsCluster" },
  id: { field: "clusterName", pattern: ECS_NAME },
  fields: (f) => ({
    clusterName: f.requiredString((arn: string) => arnName(arn) ?? arn),
    clusterArn: f.requiredString((arn: string) => arn),
  }),
  detail: {
    idsPerCall: 100,
    describe: async (names, send) => (await send(namedCommand("ecs", "DescribeClustersCommand", { clusters: names }))).clusters,
    id: (cluster) => cluster.clusterName,
    item: (cluster) => cluster.clusterArn ?? "",
    fields: (f) => ({
      status: f.string((c) => c.status, "ACTIVE, PROVISIONING, DEPROVISIONING, FAILED or INACTIVE"),
      runningTasksCount: f.int((c) => c.runningTasksCount),
      activeServicesCount: f.int((c) => c.activeServicesCount),
    }),
  },
  arn: { type: "ecs:cluster", id: afterType, of: { field: "clusterArn" } },
});
