// Seeds ECS: clusters of several kinds (capacity providers, Container Insights, tags, one deleted),
// task definitions in a few families, and services on them, one cluster holding many services so
// that listing and describing its services takes several pages and batches.
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type LaunchType,
} from "@aws-sdk/client-ecs";
import { clientConfig, teams, envs, type AwsTarget, type Progress } from "../seed.js";

export interface EcsSeedPlan {
  /** default us-east-1 */
  region?: string;
  /** clusters in all, the deleted (INACTIVE) one included */
  clusters: number;
  /** services in the busiest cluster (the first one made) */
  servicesInBigCluster: number;
  /** services in each of the other clusters, in turn (default [2, 0, 1, 3, 0]) */
  servicesPerCluster?: number[];
}

export interface EcsSeed {
  region: string;
  /** every cluster name, in the order they were made (moto lists them in that order) */
  clusterNames: string[];
  /** the cluster with `servicesInBigCluster` services */
  bigCluster: string;
  /** a cluster deleted after it was made: DescribeClusters says INACTIVE */
  inactiveCluster: string;
  /** service names by cluster name (clusters without services left out) */
  servicesByCluster: Record<string, string[]>;
  /** task definition ARNs, family:revision */
  taskDefinitionArns: string[];
  /** the VPC, subnets and groups the FARGATE (awsvpc) services run in */
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
}


const families = [
  { family: "web", image: "public.ecr.aws/nginx/nginx:1.27", cpu: "256", memory: "512", port: 80 },
  { family: "api", image: "public.ecr.aws/docker/library/node:20-alpine", cpu: "512", memory: "1024", port: 8080 },
  { family: "worker", image: "public.ecr.aws/docker/library/python:3.12-slim", cpu: "1024", memory: "2048", port: undefined },
];
const serviceKinds = ["web", "api", "worker", "cron", "gateway", "ingest", "render", "notify"];
const desiredCounts = [2, 0, 3, 1, 6, 2, 4, 1, 0, 5];

/**
 * Clusters are named `<team>-<env>-<nn>`: no name ends with another one, which matters on moto,
 * whose ListServices takes a cluster's services by a substring match on "<cluster>:" and would
 * otherwise list "web"'s services under "payments-web" too.
 */
export async function seedEcs(target: AwsTarget, plan: EcsSeedPlan, progress: Progress = () => {}): Promise<EcsSeed> {
  const region = plan.region ?? "us-east-1";
  const ecs = new ECSClient(clientConfig(target, region));
  const ec2 = new EC2Client(clientConfig(target, region));
  try {
    // Where the awsvpc (FARGATE) services run.
    const vpc = await ec2.send(
      new CreateVpcCommand({ CidrBlock: "10.210.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "ecs-services" }] }] }),
    );
    const vpcId = vpc.Vpc!.VpcId!;
    const subnetIds: string[] = [];
    for (const [i, az] of ["a", "b", "c"].entries()) {
      const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.210.${i}.0/24`, AvailabilityZone: `${region}${az}` }));
      subnetIds.push(subnet.Subnet!.SubnetId!);
    }
    const securityGroupIds: string[] = [];
    for (const [name, port] of [["ecs-tasks-http", 80], ["ecs-tasks-api", 8080]] as const) {
      const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `ECS tasks (${port})`, VpcId: vpcId }));
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: group.GroupId!, IpPermissions: [{ IpProtocol: "tcp", FromPort: port, ToPort: port, IpRanges: [{ CidrIp: "10.210.0.0/16" }] }] }),
      );
      securityGroupIds.push(group.GroupId!);
    }

    // Task definitions: two revisions of each family.
    const taskDefinitionArns: string[] = [];
    for (const revision of [1, 2]) {
      for (const f of families) {
        const registered = await ecs.send(
          new RegisterTaskDefinitionCommand({
            family: f.family,
            networkMode: "awsvpc",
            requiresCompatibilities: ["EC2", "FARGATE"],
            cpu: f.cpu,
            memory: f.memory,
            containerDefinitions: [
              {
                name: f.family,
                image: f.image,
                essential: true,
                portMappings: f.port ? [{ containerPort: f.port, protocol: "tcp" }] : undefined,
                environment: [
                  { name: "APP_REVISION", value: String(revision) },
                  { name: "LOG_LEVEL", value: "info" },
                ],
              },
            ],
            tags: [{ key: "family", value: f.family }],
          }),
        );
        taskDefinitionArns.push(registered.taskDefinition!.taskDefinitionArn!);
      }
    }

    const clusterNames: string[] = [];
    for (let c = 0; c < plan.clusters; c += 1) {
      const team = teams[c % teams.length]!;
      const env = envs[Math.floor(c / teams.length) % envs.length]!;
      const name = `${team}-${env}-${String(c).padStart(2, "0")}`;
      const fargate = c % 3 !== 2;
      await ecs.send(
        new CreateClusterCommand({
          clusterName: name,
          tags: [
            { key: "team", value: team },
            { key: "env", value: env },
          ],
          settings: [{ name: "containerInsights", value: env === "prod" ? "enabled" : "disabled" }],
          capacityProviders: fargate ? ["FARGATE", "FARGATE_SPOT"] : undefined,
          defaultCapacityProviderStrategy: fargate
            ? [
                { capacityProvider: "FARGATE", weight: 1, base: 1 },
                { capacityProvider: "FARGATE_SPOT", weight: c % 2 === 0 ? 3 : 1 },
              ]
            : undefined,
        }),
      );
      clusterNames.push(name);
    }
    progress(`ECS: ${clusterNames.length} clusters in ${region}`);

    const bigCluster = clusterNames[0]!;
    const servicesByCluster: Record<string, string[]> = {};
    const pattern = plan.servicesPerCluster ?? [2, 0, 1, 3, 0];
    // the last cluster is deleted below: it keeps no services (ECS refuses to delete a cluster with active services)
    const inactiveCluster = clusterNames[clusterNames.length - 1]!;
    let made = 0;
    for (const [c, cluster] of clusterNames.entries()) {
      const count = c === 0 ? plan.servicesInBigCluster : cluster === inactiveCluster ? 0 : pattern[(c - 1) % pattern.length]!;
      for (let s = 0; s < count; s += 1) {
        const kind = serviceKinds[s % serviceKinds.length]!;
        const serviceName = count > serviceKinds.length ? `${kind}-${String(Math.floor(s / serviceKinds.length) + 1)}` : kind;
        const launchType: LaunchType = (c + s) % 3 === 0 ? "EC2" : "FARGATE";
        const desiredCount = desiredCounts[(c + s) % desiredCounts.length]!;
        await ecs.send(
          new CreateServiceCommand({
            cluster,
            serviceName,
            taskDefinition: taskDefinitionArns[(c + s) % taskDefinitionArns.length],
            desiredCount,
            launchType,
            networkConfiguration:
              launchType === "FARGATE"
                ? { awsvpcConfiguration: { subnets: subnetIds.slice(0, 2 + (s % 2)), securityGroups: [securityGroupIds[s % 2]!], assignPublicIp: "DISABLED" } }
                : undefined,
            propagateTags: "SERVICE",
            tags: [
              { key: "service", value: kind },
              { key: "team", value: cluster.split("-")[0]! },
            ],
          }),
        );
        // moto starts every service with no task running; a deployment that finished has them all running
        if ((c + s) % 4 !== 1) await ecs.send(new UpdateServiceCommand({ cluster, service: serviceName, desiredCount }));
        (servicesByCluster[cluster] ??= []).push(serviceName);
        made += 1;
      }
    }
    progress(`ECS: ${made} services, ${servicesByCluster[bigCluster]?.length ?? 0} of them in ${bigCluster}`);

    await ecs.send(new DeleteClusterCommand({ cluster: inactiveCluster }));

    return { region, clusterNames, bigCluster, inactiveCluster, servicesByCluster, taskDefinitionArns, vpcId, subnetIds, securityGroupIds };
  } finally {
    ecs.destroy();
    ec2.destroy();
  }
}
