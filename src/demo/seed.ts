// Seeds an AWS account (an emulator's) with a realistic inventory; the demo, tests and benchmark use it.
import {
  AttachVolumeCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";

export interface AwsTarget {
  endpoint: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
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

const clientConfig = (target: AwsTarget, region: string) => ({
  region,
  endpoint: target.endpoint,
  credentials: target.credentials ?? { accessKeyId: "testing", secretAccessKey: "testing" },
});

const teams = ["payments", "search", "identity", "platform", "data"];
const envs = ["prod", "staging", "dev"];
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
