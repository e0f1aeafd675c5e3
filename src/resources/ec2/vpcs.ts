// VPCs: DescribeVpcs (NextToken, MaxResults 5..1000).
import { DescribeVpcsCommand, type Vpc } from "@aws-sdk/client-ec2";
import { awsListSource } from "../../aws/list-source.js";
import type { GatewayContext } from "../../context.js";
import { builder, Tag, TagFilter, type TagModel } from "../../graphql/builder.js";
import { ec2Filters, ec2Tags, one, regionalKey, regionalLoader, resolveEc2Connection, type Ec2SourceFactory } from "./common.js";

export interface Ec2VpcModel {
  region: string;
  vpcId: string;
  cidrBlock?: string;
  isDefault?: boolean;
  state?: string;
  tags: TagModel[];
}

const toModel = (region: string) => (v: Vpc): Ec2VpcModel => ({
  region,
  vpcId: v.VpcId ?? "",
  cidrBlock: v.CidrBlock,
  isDefault: v.IsDefault,
  state: v.State,
  tags: ec2Tags(v.Tags),
});

export const ec2VpcsSource: Ec2SourceFactory<Ec2VpcModel> = (aws, region, filters) =>
  awsListSource(aws, {
    service: "ec2",
    region,
    minPageSize: 5,
    maxPageSize: 1000,
    command: (token, pageSize) => new DescribeVpcsCommand({ Filters: filters.length ? filters : undefined, MaxResults: pageSize, NextToken: token }),
    items: (out) => (out.Vpcs ?? []).map(toModel(region)),
    nextToken: (out) => out.NextToken,
  });

export const Ec2Vpc = builder.loadableNode("Ec2Vpc", {
  id: { resolve: (v: Ec2VpcModel) => regionalKey(v.region, v.vpcId) },
  load: regionalLoader({ filterName: "vpc-id", idPattern: /^vpc-[0-9a-f]{8,17}$/, source: ec2VpcsSource, idOf: (v) => v.vpcId }) as (
    keys: string[],
    ctx: GatewayContext,
  ) => Promise<(Ec2VpcModel | Error)[]>,
  fields: (t) => ({
    vpcId: t.exposeString("vpcId"),
    region: t.exposeString("region"),
    cidrBlock: t.exposeString("cidrBlock", { nullable: true }),
    isDefault: t.exposeBoolean("isDefault", { nullable: true }),
    state: t.exposeString("state", { nullable: true }),
    tags: t.field({ type: [Tag], resolve: (v) => v.tags }),
  }),
});

export const Ec2VpcConnection = builder.connectionObject({ type: Ec2Vpc, name: "Ec2VpcConnection" });

const Ec2VpcFilter = builder.inputType("Ec2VpcFilter", {
  fields: (t) => ({
    isDefault: t.boolean(),
    cidrBlocks: t.stringList(),
    tags: t.field({ type: [TagFilter] }),
  }),
});

builder.queryFields((t) => ({
  ec2Vpcs: t.field({
    type: Ec2VpcConnection,
    args: { region: t.arg.string(), filter: t.arg({ type: Ec2VpcFilter }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => {
      const f = args.filter;
      const filters = ec2Filters(
        { "is-default": one(f?.isDefault), "cidr-block": f?.cidrBlocks },
        f?.tags,
      );
      return resolveEc2Connection(ctx, { field: "Query.ec2Vpcs", region: args.region, filters }, args, ec2VpcsSource);
    },
  }),
  ec2Vpc: t.field({
    type: Ec2Vpc,
    nullable: true,
    args: { vpcId: t.arg.string({ required: true }), region: t.arg.string() },
    resolve: (_root, args, ctx) => regionalKey(ctx.aws.region(args.region), args.vpcId),
  }),
}));
