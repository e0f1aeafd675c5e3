// ECS services, listed under their cluster only: ListServices (nextToken; maxResults always 100, as
// AWS's default is 10) gives ARNs; DescribeServices takes up to 10 services of ONE cluster a call.
// A service's ARN names its cluster only in the long ARN format, so the cluster is taken from the
// listing's own request (the parent cluster) and the id is "cluster/service".
import { afterType } from "../../graphql/kit/arns.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { arnName, links, resource } from "../../graphql/kit/resource.js";
import { ECS_NAME, EcsCluster } from "./clusters.js";

interface ListedService {
  cluster: string;
  arn: string;
}

const splitId = (id: string) => {
  const slash = id.indexOf("/");
  return { cluster: id.slice(0, slash), service: id.slice(slash + 1) };
};

export const EcsService = resource({
  name: "EcsService",
  scope: "regional",
  list: {
    service: "ecs",
    command: (input) => namedCommand("ecs", "ListServicesCommand", input),
    tokens: tokens.field("nextToken"),
    pageSize: { member: "maxResults", min: 100, max: 100 },
    items: (out, input) => out.serviceArns?.map((arn): ListedService => ({ cluster: String(input.cluster), arn })),
  },
  id: {
    field: "clusterServiceName",
    pattern: new RegExp(`^${ECS_NAME.source.slice(1, -1)}/${ECS_NAME.source.slice(1, -1)}$`),
  },
  fields: (f) => ({
    clusterServiceName: f.requiredString((s: ListedService) => `${s.cluster}/${arnName(s.arn) ?? s.arn}`, "the cluster's name and the service's: cluster/service"),
    clusterName: f.requiredString((s) => s.cluster),
    serviceName: f.requiredString((s) => arnName(s.arn) ?? s.arn),
    serviceArn: f.requiredString((s) => s.arn),
  }),
  detail: {
    idsPerCall: 10,
    group: (id) => splitId(id).cluster,
    describe: async (ids, send) =>
      (await send(namedCommand("ecs", "DescribeServicesCommand", { cluster: splitId(ids[0]!).cluster, services: ids.map((id) => splitId(id).service) }))).services,
    id: (s) => (s.serviceName && s.clusterArn ? `${arnName(s.clusterArn)}/${s.serviceName}` : undefined),
    item: (s): ListedService => ({ cluster: arnName(s.clusterArn) ?? "", arn: s.serviceArn ?? "" }),
    fields: (f) => ({
      status: f.string((s) => s.status, "ACTIVE, DRAINING or INACTIVE"),
      desiredCount: f.int((s) => s.desiredCount),
      runningCount: f.int((s) => s.runningCount),
      launchType: f.string((s) => s.launchType, "EC2, FARGATE or EXTERNAL; null when a capacity provider strategy places the tasks"),
      taskDefinition: f.string((s) => s.taskDefinition, "the task definition's ARN"),
    }),
  },
  arn: { type: "ecs:service", id: (a) => (afterType(a).includes("/") ? afterType(a) : undefined), of: { field: "serviceArn" } },
});

links(EcsCluster, (l) => ({
  services: l.children(() => EcsService, (cluster) => ({ cluster: cluster.clusterName }), "the cluster's services (ListServices, then DescribeServices for described fields)"),
}));

links(EcsService, (l) => ({
  cluster: l.one(() => EcsCluster, (service) => service.clusterName),
}));
