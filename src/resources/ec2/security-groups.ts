// Security groups and their rules: DescribeSecurityGroups (NextToken, MaxResults 5..1000).
import { DescribeSecurityGroupsCommand, type IpPermission } from "@aws-sdk/client-ec2";
import { builder } from "../../graphql/builder.js";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { presentValues } from "../../graphql/kit/fields.js";
import { Ec2Instance, Ec2Vpc } from "./index.js";

type RuleModel = {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
  prefixListIds: string[];
  sourceGroupIds: string[];
};

const rules = (permissions: IpPermission[] | undefined): RuleModel[] =>
  (permissions ?? []).map((p) => ({
    ipProtocol: p.IpProtocol ?? "-1",
    fromPort: p.FromPort,
    toPort: p.ToPort,
    cidrBlocks: presentValues(p.IpRanges?.map((r) => r.CidrIp)),
    ipv6CidrBlocks: presentValues(p.Ipv6Ranges?.map((r) => r.CidrIpv6)),
    prefixListIds: presentValues(p.PrefixListIds?.map((r) => r.PrefixListId)),
    sourceGroupIds: presentValues(p.UserIdGroupPairs?.map((r) => r.GroupId)),
  }));

const SecurityGroupRule = builder.objectRef<RuleModel>("Ec2SecurityGroupRule").implement({
  fields: (t) => ({
    ipProtocol: t.exposeString("ipProtocol", { description: "tcp, udp, icmp, a protocol number, or -1 for all" }),
    fromPort: t.exposeInt("fromPort", { nullable: true }),
    toPort: t.exposeInt("toPort", { nullable: true }),
    cidrBlocks: t.exposeStringList("cidrBlocks"),
    ipv6CidrBlocks: t.exposeStringList("ipv6CidrBlocks"),
    prefixListIds: t.exposeStringList("prefixListIds"),
    sourceGroupIds: t.exposeStringList("sourceGroupIds"),
  }),
});

export const Ec2SecurityGroup = ec2Resource({
  name: "Ec2SecurityGroup",
  listField: "ec2SecurityGroups",
  singleField: "ec2SecurityGroup",
  request: (page) => new DescribeSecurityGroupsCommand(page),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.SecurityGroups,
  id: { field: "groupId", pattern: /^sg-[0-9a-f]{8,17}$/, lookup: { filter: "group-id" } },
  fields: (f) => ({
    groupId: f.requiredString((g) => g.GroupId ?? ""),
    groupName: f.requiredString((g) => g.GroupName ?? ""),
    vpcId: f.string((g) => g.VpcId),
    description: f.string((g) => g.Description),
    ingressRules: f.objects(SecurityGroupRule, (g) => rules(g.IpPermissions)),
    egressRules: f.objects(SecurityGroupRule, (g) => rules(g.IpPermissionsEgress)),
    tags: f.tags((g) => g.Tags),
  }),
  filter: (f) => ({ vpcId: f.value("vpc-id"), groupNames: f.values("group-name"), tags: f.tags() }),
});

ec2Links(Ec2SecurityGroup, (l) => ({
  vpc: l.one(() => Ec2Vpc, (g) => g.vpcId),
  instances: l.under(() => Ec2Instance, "instance.group-id", (g) => g.groupId),
}));
