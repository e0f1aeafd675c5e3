// Security groups and their rules: DescribeSecurityGroups (NextToken, MaxResults 5..1000).
import { DescribeSecurityGroupsCommand, type IpPermission, type SecurityGroup } from "@aws-sdk/client-ec2";
import { awsListSource } from "../../aws/list-source.js";
import type { GatewayContext } from "../../context.js";
import { builder, Tag, TagFilter, type TagModel } from "../../graphql/builder.js";
import { ec2Filters, ec2Tags, one, presentValues, regionalKey, regionalLoader, resolveEc2Connection, type Ec2SourceFactory } from "./common.js";

interface RuleModel {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
  prefixListIds: string[];
  sourceGroupIds: string[];
}

export interface Ec2SecurityGroupModel {
  region: string;
  groupId: string;
  groupName: string;
  vpcId?: string;
  description?: string;
  ingressRules: RuleModel[];
  egressRules: RuleModel[];
  tags: TagModel[];
}

const toRule = (p: IpPermission): RuleModel => ({
  ipProtocol: p.IpProtocol ?? "-1",
  fromPort: p.FromPort,
  toPort: p.ToPort,
  cidrBlocks: presentValues(p.IpRanges, (r) => r.CidrIp),
  ipv6CidrBlocks: presentValues(p.Ipv6Ranges, (r) => r.CidrIpv6),
  prefixListIds: presentValues(p.PrefixListIds, (r) => r.PrefixListId),
  sourceGroupIds: presentValues(p.UserIdGroupPairs, (r) => r.GroupId),
});

const toModel = (region: string) => (g: SecurityGroup): Ec2SecurityGroupModel => ({
  region,
  groupId: g.GroupId ?? "",
  groupName: g.GroupName ?? "",
  vpcId: g.VpcId,
  description: g.Description,
  ingressRules: (g.IpPermissions ?? []).map(toRule),
  egressRules: (g.IpPermissionsEgress ?? []).map(toRule),
  tags: ec2Tags(g.Tags),
});

export const ec2SecurityGroupsSource: Ec2SourceFactory<Ec2SecurityGroupModel> = (aws, region, filters) =>
  awsListSource(aws, {
    service: "ec2",
    region,
    minPageSize: 5,
    maxPageSize: 1000,
    command: (token, pageSize) => new DescribeSecurityGroupsCommand({ Filters: filters.length ? filters : undefined, MaxResults: pageSize, NextToken: token }),
    items: (out) => (out.SecurityGroups ?? []).map(toModel(region)),
    nextToken: (out) => out.NextToken,
  });

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

export const Ec2SecurityGroup = builder.loadableNode("Ec2SecurityGroup", {
  id: { resolve: (g: Ec2SecurityGroupModel) => regionalKey(g.region, g.groupId) },
  load: regionalLoader({ filterName: "group-id", idPattern: /^sg-[0-9a-f]{8,17}$/, source: ec2SecurityGroupsSource, idOf: (g) => g.groupId }) as (
    keys: string[],
    ctx: GatewayContext,
  ) => Promise<(Ec2SecurityGroupModel | Error)[]>,
  fields: (t) => ({
    groupId: t.exposeString("groupId"),
    groupName: t.exposeString("groupName"),
    region: t.exposeString("region"),
    vpcId: t.exposeString("vpcId", { nullable: true }),
    description: t.exposeString("description", { nullable: true }),
    ingressRules: t.field({ type: [SecurityGroupRule], resolve: (g) => g.ingressRules }),
    egressRules: t.field({ type: [SecurityGroupRule], resolve: (g) => g.egressRules }),
    tags: t.field({ type: [Tag], resolve: (g) => g.tags }),
  }),
});

export const Ec2SecurityGroupConnection = builder.connectionObject({ type: Ec2SecurityGroup, name: "Ec2SecurityGroupConnection" });

const Ec2SecurityGroupFilter = builder.inputType("Ec2SecurityGroupFilter", {
  fields: (t) => ({
    vpcId: t.string(),
    groupNames: t.stringList(),
    tags: t.field({ type: [TagFilter] }),
  }),
});

builder.queryFields((t) => ({
  ec2SecurityGroups: t.field({
    type: Ec2SecurityGroupConnection,
    args: { region: t.arg.string(), filter: t.arg({ type: Ec2SecurityGroupFilter }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => {
      const f = args.filter;
      const filters = ec2Filters({ "vpc-id": one(f?.vpcId), "group-name": f?.groupNames }, f?.tags);
      return resolveEc2Connection(ctx, { field: "Query.ec2SecurityGroups", region: args.region, filters }, args, ec2SecurityGroupsSource);
    },
  }),
  ec2SecurityGroup: t.field({
    type: Ec2SecurityGroup,
    nullable: true,
    args: { groupId: t.arg.string({ required: true }), region: t.arg.string() },
    resolve: (_root, args, ctx) => regionalKey(ctx.aws.region(args.region), args.groupId),
  }),
}));
