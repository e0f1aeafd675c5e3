// Subnets: DescribeSubnets (NextToken, MaxResults 5..1000).
import { DescribeSubnetsCommand, type Subnet } from "@aws-sdk/client-ec2";
import { awsListSource } from "../../aws/list-source.js";
import type { GatewayContext } from "../../context.js";
import { builder, Tag, TagFilter, type TagModel } from "../../graphql/builder.js";
import { ec2Filters, ec2Tags, one, regionalKey, regionalLoader, resolveEc2Connection, type Ec2SourceFactory } from "./common.js";

export interface Ec2SubnetModel {
  region: string;
  subnetId: string;
  vpcId: string;
  cidrBlock?: string;
  availabilityZone?: string;
  availableIpAddressCount?: number;
  mapPublicIpOnLaunch?: boolean;
  tags: TagModel[];
}

const toModel = (region: string) => (s: Subnet): Ec2SubnetModel => ({
  region,
  subnetId: s.SubnetId ?? "",
  vpcId: s.VpcId ?? "",
  cidrBlock: s.CidrBlock,
  availabilityZone: s.AvailabilityZone,
  availableIpAddressCount: s.AvailableIpAddressCount,
  mapPublicIpOnLaunch: s.MapPublicIpOnLaunch,
  tags: ec2Tags(s.Tags),
});

export const ec2SubnetsSource: Ec2SourceFactory<Ec2SubnetModel> = (aws, region, filters) =>
  awsListSource(aws, {
    service: "ec2",
    region,
    minPageSize: 5,
    maxPageSize: 1000,
    command: (token, pageSize) => new DescribeSubnetsCommand({ Filters: filters.length ? filters : undefined, MaxResults: pageSize, NextToken: token }),
    items: (out) => (out.Subnets ?? []).map(toModel(region)),
    nextToken: (out) => out.NextToken,
  });

export const Ec2Subnet = builder.loadableNode("Ec2Subnet", {
  id: { resolve: (s: Ec2SubnetModel) => regionalKey(s.region, s.subnetId) },
  load: regionalLoader({ filterName: "subnet-id", idPattern: /^subnet-[0-9a-f]{8,17}$/, source: ec2SubnetsSource, idOf: (s) => s.subnetId }) as (
    keys: string[],
    ctx: GatewayContext,
  ) => Promise<(Ec2SubnetModel | Error)[]>,
  fields: (t) => ({
    subnetId: t.exposeString("subnetId"),
    vpcId: t.exposeString("vpcId"),
    region: t.exposeString("region"),
    cidrBlock: t.exposeString("cidrBlock", { nullable: true }),
    availabilityZone: t.exposeString("availabilityZone", { nullable: true }),
    availableIpAddressCount: t.exposeInt("availableIpAddressCount", { nullable: true }),
    mapPublicIpOnLaunch: t.exposeBoolean("mapPublicIpOnLaunch", { nullable: true }),
    tags: t.field({ type: [Tag], resolve: (s) => s.tags }),
  }),
});

export const Ec2SubnetConnection = builder.connectionObject({ type: Ec2Subnet, name: "Ec2SubnetConnection" });

export const Ec2SubnetFilter = builder.inputType("Ec2SubnetFilter", {
  fields: (t) => ({
    availabilityZones: t.stringList(),
    tags: t.field({ type: [TagFilter] }),
  }),
});

export const subnetFilters = (vpcId: string | null | undefined, f: { availabilityZones?: string[] | null; tags?: { key: string; values: string[] }[] | null } | null | undefined) =>
  ec2Filters({ "vpc-id": one(vpcId), "availability-zone": f?.availabilityZones }, f?.tags);

builder.queryFields((t) => ({
  ec2Subnets: t.field({
    type: Ec2SubnetConnection,
    args: { region: t.arg.string(), vpcId: t.arg.string(), filter: t.arg({ type: Ec2SubnetFilter }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) =>
      resolveEc2Connection(ctx, { field: "Query.ec2Subnets", region: args.region, filters: subnetFilters(args.vpcId, args.filter) }, args, ec2SubnetsSource),
  }),
  ec2Subnet: t.field({
    type: Ec2Subnet,
    nullable: true,
    args: { subnetId: t.arg.string({ required: true }), region: t.arg.string() },
    resolve: (_root, args, ctx) => regionalKey(ctx.aws.region(args.region), args.subnetId),
  }),
}));
