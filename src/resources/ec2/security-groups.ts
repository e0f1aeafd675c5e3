// Security groups and their rules: DescribeSecurityGroups (NextToken, MaxResults 5..1000).
import { DescribeSecurityGroupsCommand, type IpPermission } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { valueType, type FieldKit } from "../../graphql/kit/fields.js";
import { Ec2Instance, Ec2Vpc } from "./index.js";

const SecurityGroupRule = valueType("Ec2SecurityGroupRule", (f: FieldKit<IpPermission>) => ({
  ipProtocol: f.requiredString((p) => p.IpProtocol ?? "-1", "tcp, udp, icmp, a protocol number, or -1 for all"),
  fromPort: f.int((p) => p.FromPort),
  toPort: f.int((p) => p.ToPort),
  cidrBlocks: f.strings((p) => p.IpRanges?.map((r) => r.CidrIp)),
  ipv6CidrBlocks: f.strings((p) => p.Ipv6Ranges?.map((r) => r.CidrIpv6)),
  prefixListIds: f.strings((p) => p.PrefixListIds?.map((r) => r.PrefixListId)),
  sourceGroupIds: f.strings((p) => p.UserIdGroupPairs?.map((r) => r.GroupId)),
}));

export const Ec2SecurityGroup = ec2Resource({
  name: "Ec2SecurityGroup",
  listField: "ec2SecurityGroups",
  singleField: "ec2SecurityGroup",
  request: (page) => new DescribeSecurityGroupsCommand(page),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.SecurityGroups,
  id: { field: "groupId", pattern: /^sg-[0-9a-f]{8,17}$/, lookup: { filter: "group-id" } },
  arn: { type: "security-group" },
  fields: (f) => ({
    groupId: f.requiredString((g) => g.GroupId ?? ""),
    groupName: f.requiredString((g) => g.GroupName ?? ""),
    vpcId: f.string((g) => g.VpcId),
    description: f.string((g) => g.Description),
    ingressRules: f.values(SecurityGroupRule, (g) => g.IpPermissions),
    egressRules: f.values(SecurityGroupRule, (g) => g.IpPermissionsEgress),
    tags: f.tags((g) => g.Tags),
  }),
  filter: (f) => ({ vpcId: f.value("vpc-id"), groupNames: f.values("group-name"), tags: f.tags() }),
});

ec2Links(Ec2SecurityGroup, (l) => ({
  vpc: l.one(() => Ec2Vpc, (g) => g.vpcId),
  instances: l.under(() => Ec2Instance, "instance.group-id", (g) => g.groupId),
}));
