// Network interfaces: DescribeNetworkInterfaces (NextToken, MaxResults 5..1000).
import { DescribeNetworkInterfacesCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Instance, Ec2SecurityGroup, Ec2Subnet, Ec2Vpc } from "./index.js";

export const Ec2NetworkInterface = ec2Resource({
  name: "Ec2NetworkInterface",
  listField: "ec2NetworkInterfaces",
  singleField: "ec2NetworkInterface",
  request: (page) => new DescribeNetworkInterfacesCommand(page),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.NetworkInterfaces,
  id: { field: "networkInterfaceId", pattern: /^eni-[0-9a-f]{8,17}$/, lookup: { filter: "network-interface-id" } },
  arn: { type: "network-interface" },
  fields: (f) => ({
    networkInterfaceId: f.requiredString((n) => n.NetworkInterfaceId ?? ""),
    status: f.string((n) => n.Status),
    interfaceType: f.string((n) => n.InterfaceType),
    description: f.string((n) => n.Description),
    privateIpAddress: f.string((n) => n.PrivateIpAddress),
    publicIpAddress: f.string((n) => n.Association?.PublicIp),
    macAddress: f.string((n) => n.MacAddress),
    availabilityZone: f.string((n) => n.AvailabilityZone),
    vpcId: f.string((n) => n.VpcId),
    subnetId: f.string((n) => n.SubnetId),
    instanceId: f.string((n) => n.Attachment?.InstanceId),
    securityGroupIds: f.strings((n) => n.Groups?.map((g) => g.GroupId)),
    tags: f.tags((n) => n.TagSet),
  }),
  filter: (f) => ({
    statuses: f.values("status", "available | in-use | attaching | detaching | associated"),
    interfaceTypes: f.values("interface-type"),
    vpcId: f.value("vpc-id"),
    subnetId: f.value("subnet-id"),
    instanceId: f.value("attachment.instance-id"),
    securityGroupId: f.value("group-id"),
    tags: f.tags(),
  }),
});

ec2Links(Ec2NetworkInterface, (l) => ({
  instance: l.one(() => Ec2Instance, (n) => n.instanceId, "the instance it is attached to, if any"),
  subnet: l.one(() => Ec2Subnet, (n) => n.subnetId),
  vpc: l.one(() => Ec2Vpc, (n) => n.vpcId),
  securityGroups: l.many(() => Ec2SecurityGroup, (n) => n.securityGroupIds),
}));
