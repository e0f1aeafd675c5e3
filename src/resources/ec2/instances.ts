// EC2 instances: DescribeInstances (NextToken, MaxResults 5..1000), reservations flattened.
import { DescribeInstancesCommand, type Instance } from "@aws-sdk/client-ec2";
import { awsListSource } from "../../aws/list-source.js";
import type { GatewayContext } from "../../context.js";
import { builder, Tag, TagFilter, type TagModel } from "../../graphql/builder.js";
import { ec2Filters, ec2Tags, one, presentValues, regionalKey, regionalLoader, resolveEc2Connection, type Ec2SourceFactory } from "./common.js";

export interface Ec2InstanceModel {
  region: string;
  instanceId: string;
  state: string;
  instanceType: string;
  launchTime?: string;
  privateIpAddress?: string;
  publicIpAddress?: string;
  imageId?: string;
  tags: TagModel[];
  vpcId?: string;
  subnetId?: string;
  securityGroupIds: string[];
  volumeIds: string[];
}

const toModel = (region: string) => (i: Instance): Ec2InstanceModel => ({
  region,
  instanceId: i.InstanceId ?? "",
  state: i.State?.Name ?? "unknown",
  instanceType: i.InstanceType ?? "unknown",
  launchTime: i.LaunchTime?.toISOString(),
  privateIpAddress: i.PrivateIpAddress,
  publicIpAddress: i.PublicIpAddress,
  imageId: i.ImageId,
  tags: ec2Tags(i.Tags),
  vpcId: i.VpcId,
  subnetId: i.SubnetId,
  securityGroupIds: presentValues(i.SecurityGroups, (g) => g.GroupId),
  volumeIds: presentValues(i.BlockDeviceMappings, (b) => b.Ebs?.VolumeId),
});

export const ec2InstancesSource: Ec2SourceFactory<Ec2InstanceModel> = (aws, region, filters) =>
  awsListSource(aws, {
    service: "ec2",
    region,
    minPageSize: 5,
    maxPageSize: 1000,
    command: (token, pageSize) =>
      new DescribeInstancesCommand({ Filters: filters.length ? filters : undefined, MaxResults: pageSize, NextToken: token }),
    items: (out) => {
      const models: Ec2InstanceModel[] = [];
      const toInstance = toModel(region);
      for (const reservation of out.Reservations ?? []) for (const instance of reservation.Instances ?? []) models.push(toInstance(instance));
      return models;
    },
    nextToken: (out) => out.NextToken,
  });

export const Ec2Instance = builder.loadableNode("Ec2Instance", {
  id: { resolve: (i: Ec2InstanceModel) => regionalKey(i.region, i.instanceId) },
  load: regionalLoader({
    filterName: "instance-id",
    idPattern: /^i-[0-9a-f]{8,17}$/,
    source: ec2InstancesSource,
    idOf: (i) => i.instanceId,
  }) as (keys: string[], ctx: GatewayContext) => Promise<(Ec2InstanceModel | Error)[]>,
  fields: (t) => ({
    instanceId: t.exposeString("instanceId"),
    region: t.exposeString("region"),
    state: t.exposeString("state"),
    instanceType: t.exposeString("instanceType"),
    launchTime: t.exposeString("launchTime", { nullable: true }),
    privateIpAddress: t.exposeString("privateIpAddress", { nullable: true }),
    publicIpAddress: t.exposeString("publicIpAddress", { nullable: true }),
    imageId: t.exposeString("imageId", { nullable: true }),
    tags: t.field({ type: [Tag], resolve: (i) => i.tags }),
  }),
});

export const Ec2InstanceConnection = builder.connectionObject({ type: Ec2Instance, name: "Ec2InstanceConnection" });

const Ec2InstanceFilter = builder.inputType("Ec2InstanceFilter", {
  fields: (t) => ({
    states: t.stringList({ description: "instance-state-name values, pushed down to AWS" }),
    instanceTypes: t.stringList({ description: "instance-type values, pushed down to AWS" }),
    vpcId: t.string(),
    subnetId: t.string(),
    securityGroupId: t.string(),
    imageId: t.string(),
    tags: t.field({ type: [TagFilter], description: "tag:Key = any of values, pushed down to AWS" }),
  }),
});

builder.queryFields((t) => ({
  ec2Instances: t.field({
    type: Ec2InstanceConnection,
    args: { region: t.arg.string(), filter: t.arg({ type: Ec2InstanceFilter }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => {
      const f = args.filter;
      const filters = ec2Filters(
        {
          "instance-state-name": f?.states,
          "instance-type": f?.instanceTypes,
          "vpc-id": one(f?.vpcId),
          "subnet-id": one(f?.subnetId),
          "instance.group-id": one(f?.securityGroupId),
          "image-id": one(f?.imageId),
        },
        f?.tags,
      );
      return resolveEc2Connection(ctx, { field: "Query.ec2Instances", region: args.region, filters }, args, ec2InstancesSource);
    },
  }),
  ec2Instance: t.field({
    type: Ec2Instance,
    nullable: true,
    args: { instanceId: t.arg.string({ required: true }), region: t.arg.string() },
    resolve: (_root, args, ctx) => regionalKey(ctx.aws.region(args.region), args.instanceId),
  }),
}));
