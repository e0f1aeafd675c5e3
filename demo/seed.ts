// Seeds an AWS account (an emulator's) with a realistic inventory; the demo, tests and benchmark use it.
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AttachVolumeCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateNatGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteTableCommand,
  CreateSnapshotCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client, type BucketLocationConstraint } from "@aws-sdk/client-s3";

export interface AwsTarget {
  endpoint: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface Ec2SeedPlan {
  regions: string[];
  vpcsPerRegion: number;
  subnetsPerVpc: number;
  groupsPerVpc: number;
  instancesPerRegion: number;
  /** extra volumes per region, every other one attached to an instance */
  volumesPerRegion: number;
}

export type Progress = (message: string) => void;

/** An SDK client's configuration for a target's region. */
export const clientConfig = (target: AwsTarget, region: string) => ({
  region,
  endpoint: target.endpoint,
  credentials: target.credentials ?? { accessKeyId: "testing", secretAccessKey: "testing" },
});

export const teams = ["payments", "search", "identity", "platform", "data"];
export const envs = ["prod", "staging", "dev"];
const types = ["t3.micro", "t3.small", "m5.large", "c5.xlarge"];
const reservationSizes = [1, 3, 2, 8, 1, 5, 2, 4, 6, 1, 7, 2];

/** Instances in reservations of varied sizes across VPCs and subnets, with groups, tags and volumes. */
export async function seedEc2(target: AwsTarget, plan: Ec2SeedPlan, progress: Progress = () => {}): Promise<void> {
  for (const [regionIndex, region] of plan.regions.entries()) {
    const ec2 = new EC2Client(clientConfig(target, region));
    const placements: { subnetId: string; groupIds: string[]; az: string }[] = [];
    for (let v = 0; v < plan.vpcsPerRegion; v += 1) {
      const vpc = await ec2.send(
        new CreateVpcCommand({
          CidrBlock: `10.${regionIndex * 50 + v}.0.0/16`,
          TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: `${envs[v % envs.length]}-vpc-${v}` }, { Key: "env", Value: envs[v % envs.length]! }] }],
        }),
      );
      const vpcId = vpc.Vpc!.VpcId!;
      const groupIds: string[] = [];
      for (let g = 0; g < plan.groupsPerVpc; g += 1) {
        const group = await ec2.send(
          new CreateSecurityGroupCommand({ GroupName: `sg-${v}-${g}`, Description: `tier ${g} of vpc ${v}`, VpcId: vpcId }),
        );
        await ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: group.GroupId!,
            IpPermissions: [{ IpProtocol: "tcp", FromPort: 443 + g, ToPort: 443 + g, IpRanges: [{ CidrIp: `10.${v}.0.0/16` }] }],
          }),
        );
        groupIds.push(group.GroupId!);
      }
      for (let s = 0; s < plan.subnetsPerVpc; s += 1) {
        const az = `${region}${"abc"[s % 3]}`;
        const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${regionIndex * 50 + v}.${s}.0/24`, AvailabilityZone: az }));
        placements.push({ subnetId: subnet.Subnet!.SubnetId!, groupIds: groupIds.slice(0, 1 + (s % Math.max(1, groupIds.length))), az });
      }
    }

    const instances: { id: string; az: string }[] = [];
    for (let r = 0; instances.length < plan.instancesPerRegion; r += 1) {
      const count = Math.min(reservationSizes[r % reservationSizes.length]!, plan.instancesPerRegion - instances.length);
      const placement = placements[r % placements.length];
      const run = await ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-12c6146b",
          MinCount: count,
          MaxCount: count,
          InstanceType: types[r % types.length] as "t3.micro",
          SubnetId: placement?.subnetId,
          SecurityGroupIds: placement?.groupIds,
          TagSpecifications: [
            {
              ResourceType: "instance",
              Tags: [
                { Key: "Name", Value: `${teams[r % teams.length]}-${r}` },
                { Key: "team", Value: teams[r % teams.length]! },
                { Key: "env", Value: envs[r % envs.length]! },
              ],
            },
          ],
        }),
      );
      const ids = run.Instances!.map((i) => i.InstanceId!);
      if (r % 6 === 5) await ec2.send(new StopInstancesCommand({ InstanceIds: ids }));
      instances.push(...ids.map((id) => ({ id, az: placement?.az ?? `${region}a` })));
      if (r % 20 === 0) progress(`EC2 ${region}: ${instances.length}/${plan.instancesPerRegion} instances`);
    }

    for (let n = 0; n < plan.volumesPerRegion; n += 1) {
      const target = instances[(n * 7) % Math.max(1, instances.length)];
      const volume = await ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: target?.az ?? `${region}a`,
          Size: 8 * (1 + (n % 16)),
          VolumeType: n % 3 === 0 ? "gp3" : "gp2",
          TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "team", Value: teams[n % teams.length]! }] }],
        }),
      );
      if (n % 2 === 0 && target) {
        await ec2.send(new AttachVolumeCommand({ VolumeId: volume.VolumeId!, InstanceId: target.id, Device: `/dev/sd${"fghijklmnop"[Math.floor(n / 2) % 11]}` }));
      }
    }
    progress(`EC2 ${region}: ${instances.length} instances, ${plan.vpcsPerRegion} VPCs, ${plan.volumesPerRegion} extra volumes`);
    ec2.destroy();
  }
}

export interface Ec2ExtrasPlan {
  regions: string[];
  /** key pairs, each with a few instances launched with it */
  keyPairs: number;
  /** AMIs made from the first instances */
  images: number;
  /** snapshots of the first volumes */
  snapshots: number;
  /** network interfaces beyond the instances' own, spread over the subnets */
  networkInterfaces: number;
  /** Elastic IPs, every other one associated with an instance */
  addresses: number;
  natGateways: number;
  /** an internet gateway for each VPC but the last, plus one detached */
  internetGateways: boolean;
  /** route tables per VPC, the first associated with a subnet */
  routeTablesPerVpc: number;
  launchTemplates: number;
}

/**
 * The rest of an EC2 estate, seeded over what seedEc2 made in each region: key pairs, images,
 * snapshots, interfaces, Elastic IPs, NAT gateways, internet gateways, route tables, templates.
 */
export async function seedEc2Extras(target: AwsTarget, plan: Ec2ExtrasPlan, progress: Progress = () => {}): Promise<void> {
  for (const region of plan.regions) {
    const ec2 = new EC2Client(clientConfig(target, region));
    const vpcIds = ((await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).filter((v) => !v.IsDefault).map((v) => v.VpcId!);
    const subnets = ((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: vpcIds.length ? vpcIds : ["none"] }] }))).Subnets ?? []);
    const instanceIds = ((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId!);
    const volumeIds = ((await ec2.send(new DescribeVolumesCommand({}))).Volumes ?? []).map((v) => v.VolumeId!);
    const subnet = (n: number) => subnets[n % Math.max(1, subnets.length)];

    for (let k = 0; k < plan.keyPairs; k += 1) {
      const keyName = `${teams[k % teams.length]}-deploy-${k}`;
      await ec2.send(new CreateKeyPairCommand({ KeyName: keyName, TagSpecifications: [{ ResourceType: "key-pair", Tags: [{ Key: "team", Value: teams[k % teams.length]! }] }] }));
      await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 1 + (k % 3), MaxCount: 1 + (k % 3), KeyName: keyName, SubnetId: subnet(k)?.SubnetId }));
    }
    for (let n = 0; n < plan.images && instanceIds.length > 0; n += 1) {
      await ec2.send(new CreateImageCommand({ InstanceId: instanceIds[n % instanceIds.length]!, Name: `${teams[n % teams.length]}-golden-${n}`, Description: `golden image ${n}` }));
    }
    for (let n = 0; n < plan.snapshots && volumeIds.length > 0; n += 1) {
      await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeIds[n % volumeIds.length]!, Description: `nightly backup ${n}` }));
    }
    for (let n = 0; n < plan.networkInterfaces && subnets.length > 0; n += 1) {
      await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet(n)!.SubnetId!, Description: `service endpoint ${n}` }));
    }
    const allocations: string[] = [];
    for (let n = 0; n < plan.addresses + plan.natGateways; n += 1) {
      const address = await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
      allocations.push(address.AllocationId!);
      if (n < plan.addresses && n % 2 === 0 && instanceIds[n]) await ec2.send(new AssociateAddressCommand({ AllocationId: address.AllocationId!, InstanceId: instanceIds[n] }));
    }
    for (let n = 0; n < plan.natGateways && subnets.length > 0; n += 1) {
      await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnet(n)!.SubnetId!, AllocationId: allocations[plan.addresses + n]! }));
    }
    if (plan.internetGateways) {
      for (const [v, vpcId] of [...vpcIds.entries(), [vpcIds.length, undefined] as const]) {
        const gateway = await ec2.send(new CreateInternetGatewayCommand({}));
        if (vpcId && v < vpcIds.length - 1) await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gateway.InternetGateway!.InternetGatewayId!, VpcId: vpcId }));
      }
    }
    for (const vpcId of vpcIds) {
      for (let r = 0; r < plan.routeTablesPerVpc; r += 1) {
        const table = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
        const associated = subnets.find((s) => s.VpcId === vpcId);
        if (r === 0 && associated) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: table.RouteTable!.RouteTableId!, SubnetId: associated.SubnetId! }));
      }
    }
    for (let n = 0; n < plan.launchTemplates; n += 1) {
      await ec2.send(
        new CreateLaunchTemplateCommand({ LaunchTemplateName: `${teams[n % teams.length]}-web-${n}`, LaunchTemplateData: { InstanceType: types[n % types.length] as "t3.micro" } }),
      );
    }
    progress(`EC2 ${region}: key pairs, images, snapshots, interfaces, addresses, gateways, route tables, templates`);
    ec2.destroy();
  }
}

export interface S3SeedPlan {
  /** bucket name -> its region */
  buckets: Record<string, string>;
  /** the bucket that gets the many keys */
  bigBucket: string;
  bigBucketKeys: number;
  /** a few keys in every other bucket */
  keysPerBucket: number;
  /** buckets left empty */
  emptyBuckets?: string[];
}

/** Keys in nested folders, with spaces and non-ASCII characters, as people name them. */
export function folderKeys(count: number): string[] {
  const tops = ["logs", "reports", "images", "backups", "données", "my folder"];
  const keys: string[] = [];
  for (let n = 0; keys.length < count - 2; n += 1) {
    const top = tops[n % tops.length]!;
    const month = `2026-${String(1 + (Math.floor(n / tops.length) % 12)).padStart(2, "0")}`;
    const day = String(1 + (n % 28)).padStart(2, "0");
    const name = n % 11 === 0 ? `file ${n} — résumé.txt` : n % 13 === 0 ? `データ-${n}.json` : `part-${String(n).padStart(6, "0")}.gz`;
    keys.push(n % 17 === 0 ? `${top}/${name}` : `${top}/${month}/${day}/${name}`);
  }
  if (count >= 2) keys.push("README.txt", "zz top level.md");
  return keys;
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

export async function seedS3(target: AwsTarget, plan: S3SeedPlan, progress: Progress = () => {}): Promise<void> {
  const clients = new Map<string, S3Client>();
  const s3 = (region: string) => {
    if (!clients.has(region)) clients.set(region, new S3Client({ ...clientConfig(target, region), forcePathStyle: true }));
    return clients.get(region)!;
  };
  for (const [bucket, region] of Object.entries(plan.buckets)) {
    await s3(region).send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: region === "us-east-1" ? undefined : { LocationConstraint: region as BucketLocationConstraint },
      }),
    );
    if (bucket !== plan.bigBucket && !plan.emptyBuckets?.includes(bucket)) {
      await inParallel(folderKeys(plan.keysPerBucket), 8, async (key) => {
        await s3(region).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(`contents of ${key}`) }));
      });
    }
  }
  const bigRegion = plan.buckets[plan.bigBucket]!;
  const keys = folderKeys(plan.bigBucketKeys);
  await inParallel(keys, 16, async (key, index) => {
    await s3(bigRegion).send(new PutObjectCommand({ Bucket: plan.bigBucket, Key: key, Body: Buffer.from(`${index}:${"x".repeat(index % 200)}`) }));
    if (index % 1000 === 999) progress(`S3 ${plan.bigBucket}: ${index + 1}/${keys.length} keys`);
  });
  progress(`S3: ${Object.keys(plan.buckets).length} buckets, ${keys.length} keys in ${plan.bigBucket}`);
  for (const client of clients.values()) client.destroy();
}

export interface IamSeedPlan {
  users: number;
  roles: number;
  groups: number;
  policies: number;
}

const iamPaths = ["/", "/engineering/", "/engineering/platform/", "/ops/", "/contractors/"];
const document = (action: string, resource = "*") =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] });
const trustPolicy = (service: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

/** Users under several paths in several groups, roles, managed and inline policies, access keys. */
export async function seedIam(target: AwsTarget, plan: IamSeedPlan, progress: Progress = () => {}): Promise<void> {
  const iam = new IAMClient(clientConfig(target, "us-east-1"));
  const policyArns: string[] = [];
  const actions = ["s3:GetObject", "ec2:Describe*", "iam:List*", "logs:PutLogEvents", "dynamodb:Query", "sqs:SendMessage"];
  for (let p = 0; p < plan.policies; p += 1) {
    const out = await iam.send(
      new CreatePolicyCommand({ PolicyName: `policy-${String(p).padStart(3, "0")}`, Path: iamPaths[p % iamPaths.length], PolicyDocument: document(actions[p % actions.length]!) }),
    );
    policyArns.push(out.Policy!.Arn!);
  }
  const groups: string[] = [];
  for (let g = 0; g < plan.groups; g += 1) {
    const name = `${teams[g % teams.length]}-${g}`;
    await iam.send(new CreateGroupCommand({ GroupName: name, Path: iamPaths[g % iamPaths.length] }));
    if (policyArns.length) await iam.send(new AttachGroupPolicyCommand({ GroupName: name, PolicyArn: policyArns[g % policyArns.length]! }));
    groups.push(name);
  }
  await inParallel(Array.from({ length: plan.users }, (_, u) => u), 8, async (u) => {
    const name = `user-${String(u).padStart(4, "0")}`;
    await iam.send(new CreateUserCommand({ UserName: name, Path: iamPaths[u % iamPaths.length] }));
    for (let k = 0; k < Math.min(groups.length, u % 4); k += 1) {
      await iam.send(new AddUserToGroupCommand({ UserName: name, GroupName: groups[(u + k * 3) % groups.length]! }));
    }
    if (u % 3 === 0 && policyArns.length) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: policyArns[u % policyArns.length]! }));
    if (u % 5 === 0) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: "inline-read", PolicyDocument: document("s3:ListBucket") }));
    if (u % 4 === 0) await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    if (u % 100 === 99) progress(`IAM: ${u + 1}/${plan.users} users`);
  });
  for (let r = 0; r < plan.roles; r += 1) {
    const name = `role-${String(r).padStart(4, "0")}`;
    await iam.send(
      new CreateRoleCommand({ RoleName: name, Path: iamPaths[r % iamPaths.length], AssumeRolePolicyDocument: trustPolicy(r % 2 ? "ec2.amazonaws.com" : "lambda.amazonaws.com") }),
    );
    if (policyArns.length) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: policyArns[r % policyArns.length]! }));
  }
  progress(`IAM: ${plan.users} users, ${plan.groups} groups, ${plan.roles} roles, ${plan.policies} policies`);
  iam.destroy();
}
