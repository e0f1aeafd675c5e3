// Seeds EKS: clusters in two VPCs under two IAM roles, Kubernetes versions of several releases,
// tags, and managed node groups (on-demand and spot, x86, ARM and GPU), one cluster holding many.
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, CreateNodegroupCommand, EKSClient, type AMITypes, type CapacityTypes } from "@aws-sdk/client-eks";
import { CreateRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { clientConfig, type AwsTarget, type Progress } from "../seed.js";

export interface EksSeedPlan {
  /** default us-east-1 */
  region?: string;
  clusters: number;
  /** node groups in the busiest cluster (the first one made) */
  nodegroupsInBigCluster: number;
  /** node groups in each of the other clusters, in turn (default [1, 0, 2]) */
  nodegroupsPerCluster?: number[];
}

export interface EksNetwork {
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
}

export interface EksSeed {
  region: string;
  /** cluster names in the order they were made (moto lists them sorted, upper case first) */
  clusterNames: string[];
  /** the cluster with `nodegroupsInBigCluster` node groups */
  bigCluster: string;
  nodegroupsByCluster: Record<string, string[]>;
  /** the two VPCs the clusters are spread over */
  networks: EksNetwork[];
  /** role ARNs: the clusters' roles (one of them under a path) and the nodes' role */
  clusterRoleArns: string[];
  nodeRoleArn: string;
}


// "ML-training" sorts before the lower-case names in moto's (code point) order
const clusterBaseNames = ["payments-prod", "search-prod", "platform-staging", "ML-training", "data-dev", "identity-prod", "edge-canary", "sandbox"];
const versions = ["1.31", "1.30", "1.29", "1.31", "1.28", "1.30", "1.31", "1.29"];
const nodegroupKinds: { name: string; instanceTypes: string[]; amiType: AMITypes; capacityType: CapacityTypes; scaling: [number, number, number] }[] = [
  { name: "system", instanceTypes: ["m6i.large"], amiType: "AL2_x86_64", capacityType: "ON_DEMAND", scaling: [2, 2, 4] },
  { name: "general-purpose", instanceTypes: ["m6i.xlarge", "m5.xlarge"], amiType: "AL2_x86_64", capacityType: "ON_DEMAND", scaling: [3, 2, 10] },
  { name: "spot-batch", instanceTypes: ["c6i.2xlarge", "c5.2xlarge", "c5a.2xlarge"], amiType: "AL2_x86_64", capacityType: "SPOT", scaling: [0, 0, 20] },
  { name: "arm64", instanceTypes: ["m7g.large"], amiType: "AL2_ARM_64", capacityType: "ON_DEMAND", scaling: [2, 1, 6] },
  { name: "gpu", instanceTypes: ["g5.xlarge"], amiType: "AL2_x86_64_GPU", capacityType: "ON_DEMAND", scaling: [1, 0, 4] },
  { name: "bottlerocket", instanceTypes: ["t3.large"], amiType: "BOTTLEROCKET_x86_64", capacityType: "SPOT", scaling: [1, 1, 3] },
];

const trustPolicy = (service: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

/** A role by name, made when missing (the demo seeds IAM separately; these names are EKS's own). */
async function role(iam: IAMClient, name: string, path: string, service: string): Promise<string> {
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role!.Arn!;
  } catch (error) {
    if ((error as Error).name !== "NoSuchEntityException") throw error;
    return (await iam.send(new CreateRoleCommand({ RoleName: name, Path: path, AssumeRolePolicyDocument: trustPolicy(service), Description: `EKS: ${service}` }))).Role!.Arn!;
  }
}

/**
 * On AWS, DescribeCluster's resourcesVpcConfig carries the vpcId EKS found from the subnets; moto
 * echoes the request's resourcesVpcConfig back instead. So that moto answers as AWS does, the
 * seed's CreateCluster request carries the vpcId too (a member the SDK does not send by itself).
 */
function withVpcId(client: EKSClient, vpcIdOf: (name: string) => string | undefined): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      if ((context as { commandName?: string }).commandName === "CreateClusterCommand" && request.body) {
        const text = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body as Uint8Array);
        const body = JSON.parse(text) as { name: string; resourcesVpcConfig?: Record<string, unknown> };
        const vpcId = vpcIdOf(body.name);
        if (vpcId && body.resourcesVpcConfig) {
          body.resourcesVpcConfig.vpcId = vpcId;
          request.body = JSON.stringify(body);
          if (request.headers?.["content-length"]) request.headers["content-length"] = String(Buffer.byteLength(request.body as string));
        }
      }
      return next(args);
    },
    { step: "build", name: "awsgqlSeedVpcId" },
  );
}

export async function seedEks(target: AwsTarget, plan: EksSeedPlan, progress: Progress = () => {}): Promise<EksSeed> {
  const region = plan.region ?? "us-east-1";
  const eks = new EKSClient(clientConfig(target, region));
  const ec2 = new EC2Client(clientConfig(target, region));
  const iam = new IAMClient(clientConfig(target, "us-east-1"));
  try {
    const clusterRoleArns = [
      await role(iam, "eks-cluster-role", "/", "eks.amazonaws.com"),
      await role(iam, "eks-cluster-legacy", "/service-role/", "eks.amazonaws.com"),
    ];
    const nodeRoleArn = await role(iam, "eks-node-role", "/", "ec2.amazonaws.com");

    const networks: EksNetwork[] = [];
    for (const [v, label] of ["eks-main", "eks-shared"].entries()) {
      const vpc = await ec2.send(
        new CreateVpcCommand({
          CidrBlock: `10.${200 + v}.0.0/16`,
          TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: label }, { Key: "kubernetes.io/role", Value: "eks" }] }],
        }),
      );
      const vpcId = vpc.Vpc!.VpcId!;
      const subnetIds: string[] = [];
      for (const [s, az] of ["a", "b", "c"].entries()) {
        const subnet = await ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: `10.${200 + v}.${s * 16}.0/20`,
            AvailabilityZone: `${region}${az}`,
            TagSpecifications: [{ ResourceType: "subnet", Tags: [{ Key: "kubernetes.io/role/internal-elb", Value: "1" }] }],
          }),
        );
        subnetIds.push(subnet.Subnet!.SubnetId!);
      }
      const securityGroupIds: string[] = [];
      for (const name of ["control-plane", "shared-nodes"]) {
        const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${label}-${name}`, Description: `EKS ${name} (${label})`, VpcId: vpcId }));
        securityGroupIds.push(group.GroupId!);
      }
      networks.push({ vpcId, subnetIds, securityGroupIds });
    }

    const clusterNames: string[] = [];
    const networkOf = new Map<string, EksNetwork>();
    for (let c = 0; c < plan.clusters; c += 1) {
      const base = clusterBaseNames[c % clusterBaseNames.length]!;
      const name = c < clusterBaseNames.length ? base : `${base}-${Math.floor(c / clusterBaseNames.length) + 1}`;
      const network = networks[c % 3 === 2 ? 1 : 0]!;
      networkOf.set(name, network);
      clusterNames.push(name);
    }
    withVpcId(eks, (name) => networkOf.get(name)?.vpcId);

    for (const [c, name] of clusterNames.entries()) {
      const network = networkOf.get(name)!;
      await eks.send(
        new CreateClusterCommand({
          name,
          version: versions[c % versions.length],
          roleArn: clusterRoleArns[c % 4 === 3 ? 1 : 0],
          resourcesVpcConfig: {
            subnetIds: network.subnetIds.slice(0, 2 + (c % 2)),
            securityGroupIds: network.securityGroupIds.slice(0, 1 + (c % 2)),
            endpointPublicAccess: c % 2 === 0,
            endpointPrivateAccess: true,
          },
          kubernetesNetworkConfig: { serviceIpv4Cidr: c % 2 === 0 ? "172.20.0.0/16" : "10.100.0.0/16" },
          logging: { clusterLogging: [{ types: ["api", "audit"], enabled: name.endsWith("prod") }] },
          tags: { team: name.split("-")[0]!, env: name.includes("prod") ? "prod" : "nonprod", "managed-by": "terraform" },
        }),
      );
    }
    progress(`EKS: ${clusterNames.length} clusters in ${region}`);

    const bigCluster = clusterNames[0]!;
    const pattern = plan.nodegroupsPerCluster ?? [1, 0, 2];
    const nodegroupsByCluster: Record<string, string[]> = {};
    for (const [c, cluster] of clusterNames.entries()) {
      const count = c === 0 ? plan.nodegroupsInBigCluster : pattern[(c - 1) % pattern.length]!;
      const network = networkOf.get(cluster)!;
      for (let n = 0; n < count; n += 1) {
        const kind = nodegroupKinds[(n + c * 5) % nodegroupKinds.length]!;
        const nodegroupName = count > nodegroupKinds.length ? `${kind.name}-${n}` : kind.name;
        const [desiredSize, minSize, maxSize] = kind.scaling;
        await eks.send(
          new CreateNodegroupCommand({
            clusterName: cluster,
            nodegroupName,
            nodeRole: nodeRoleArn,
            subnets: network.subnetIds,
            instanceTypes: kind.instanceTypes,
            amiType: kind.amiType,
            capacityType: kind.capacityType,
            scalingConfig: { desiredSize, minSize, maxSize },
            version: versions[c % versions.length],
            labels: { workload: kind.name, "node.kubernetes.io/lifecycle": kind.capacityType === "SPOT" ? "spot" : "normal" },
            tags: { team: cluster.split("-")[0]!, nodegroup: kind.name },
          }),
        );
        (nodegroupsByCluster[cluster] ??= []).push(nodegroupName);
      }
    }
    progress(`EKS: ${Object.values(nodegroupsByCluster).flat().length} node groups, ${nodegroupsByCluster[bigCluster]?.length ?? 0} of them in ${bigCluster}`);

    return { region, clusterNames, bigCluster, nodegroupsByCluster, networks, clusterRoleArns, nodeRoleArn };
  } finally {
    eks.destroy();
    ec2.destroy();
    iam.destroy();
  }
}
