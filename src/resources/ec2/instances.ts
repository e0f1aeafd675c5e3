// EC2 instances: DescribeInstances (NextToken, MaxResults 5..1000), reservations flattened.
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource, flatten } from "../../graphql/kit/ec2.js";
import { Ec2Image, Ec2KeyPair, Ec2NetworkInterface, Ec2SecurityGroup, Ec2Subnet, Ec2Volume, Ec2Vpc } from "./index.js";

export const Ec2Instance = ec2Resource({
  name: "Ec2Instance",
  listField: "ec2Instances",
  singleField: "ec2Instance",
  request: (page) => new DescribeInstancesCommand(page),
  pageSize: { min: 5, max: 1000 },
  items: (out) => flatten(out.Reservations, (reservation) => reservation.Instances),
  id: { field: "instanceId", pattern: /^i-[0-9a-f]{8,17}$/, lookup: { filter: "instance-id" } },
  arn: { type: "instance" },
  fields: (f) => ({
    instanceId: f.requiredString((i) => i.InstanceId ?? ""),
    state: f.requiredString((i) => i.State?.Name ?? "unknown"),
    instanceType: f.requiredString((i) => i.InstanceType ?? "unknown"),
    launchTime: f.date((i) => i.LaunchTime),
    privateIpAddress: f.string((i) => i.PrivateIpAddress),
    publicIpAddress: f.string((i) => i.PublicIpAddress),
    imageId: f.string((i) => i.ImageId),
    keyName: f.string((i) => i.KeyName),
    availabilityZone: f.string((i) => i.Placement?.AvailabilityZone),
    platform: f.string((i) => i.PlatformDetails),
    vpcId: f.string((i) => i.VpcId),
    subnetId: f.string((i) => i.SubnetId),
    securityGroupIds: f.strings((i) => i.SecurityGroups?.map((g) => g.GroupId)),
    volumeIds: f.strings((i) => i.BlockDeviceMappings?.map((b) => b.Ebs?.VolumeId)),
    networkInterfaceIds: f.strings((i) => i.NetworkInterfaces?.map((n) => n.NetworkInterfaceId)),
    tags: f.tags((i) => i.Tags),
  }),
  filter: (f) => ({
    states: f.values("instance-state-name", "instance-state-name values, pushed down to AWS"),
    instanceTypes: f.values("instance-type", "instance-type values, pushed down to AWS"),
    vpcId: f.value("vpc-id"),
    subnetId: f.value("subnet-id"),
    securityGroupId: f.value("instance.group-id"),
    imageId: f.value("image-id"),
    keyName: f.value("key-name"),
    tags: f.tags(),
  }),
});

ec2Links(Ec2Instance, (l) => ({
  vpc: l.one(() => Ec2Vpc, (i) => i.vpcId),
  subnet: l.one(() => Ec2Subnet, (i) => i.subnetId),
  securityGroups: l.many(() => Ec2SecurityGroup, (i) => i.securityGroupIds),
  volumes: l.many(() => Ec2Volume, (i) => i.volumeIds),
  image: l.one(() => Ec2Image, (i) => i.imageId, "the image it was launched from, when the account owns it"),
  keyPair: l.one(() => Ec2KeyPair, (i) => i.keyName),
  networkInterfaces: l.many(() => Ec2NetworkInterface, (i) => i.networkInterfaceIds),
}));
