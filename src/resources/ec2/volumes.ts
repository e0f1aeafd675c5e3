// EBS volumes: DescribeVolumes (NextToken, MaxResults 5..500).
import { DescribeVolumesCommand, type Volume } from "@aws-sdk/client-ec2";
import { awsListSource } from "../../aws/list-source.js";
import type { GatewayContext } from "../../context.js";
import { builder, Tag, TagFilter, type TagModel } from "../../graphql/builder.js";
import { ec2Filters, ec2Tags, one, presentValues, regionalKey, regionalLoader, resolveEc2Connection, type Ec2SourceFactory } from "./common.js";

export interface Ec2VolumeModel {
  region: string;
  volumeId: string;
  size?: number;
  state?: string;
  volumeType?: string;
  availabilityZone?: string;
  createTime?: string;
  encrypted?: boolean;
  iops?: number;
  attachedInstanceIds: string[];
  tags: TagModel[];
}

const toModel = (region: string) => (v: Volume): Ec2VolumeModel => ({
  region,
  volumeId: v.VolumeId ?? "",
  size: v.Size,
  state: v.State,
  volumeType: v.VolumeType,
  availabilityZone: v.AvailabilityZone,
  createTime: v.CreateTime?.toISOString(),
  encrypted: v.Encrypted,
  iops: v.Iops,
  attachedInstanceIds: presentValues(v.Attachments, (a) => a.InstanceId),
  tags: ec2Tags(v.Tags),
});

export const ec2VolumesSource: Ec2SourceFactory<Ec2VolumeModel> = (aws, region, filters) =>
  awsListSource(aws, {
    service: "ec2",
    region,
    minPageSize: 5,
    maxPageSize: 500,
    command: (token, pageSize) => new DescribeVolumesCommand({ Filters: filters.length ? filters : undefined, MaxResults: pageSize, NextToken: token }),
    items: (out) => (out.Volumes ?? []).map(toModel(region)),
    nextToken: (out) => out.NextToken,
  });

export const Ec2Volume = builder.loadableNode("Ec2Volume", {
  id: { resolve: (v: Ec2VolumeModel) => regionalKey(v.region, v.volumeId) },
  load: regionalLoader({ filterName: "volume-id", idPattern: /^vol-[0-9a-f]{8,17}$/, source: ec2VolumesSource, idOf: (v) => v.volumeId }) as (
    keys: string[],
    ctx: GatewayContext,
  ) => Promise<(Ec2VolumeModel | Error)[]>,
  fields: (t) => ({
    volumeId: t.exposeString("volumeId"),
    region: t.exposeString("region"),
    size: t.exposeInt("size", { nullable: true, description: "GiB" }),
    state: t.exposeString("state", { nullable: true }),
    volumeType: t.exposeString("volumeType", { nullable: true }),
    availabilityZone: t.exposeString("availabilityZone", { nullable: true }),
    createTime: t.exposeString("createTime", { nullable: true }),
    encrypted: t.exposeBoolean("encrypted", { nullable: true }),
    iops: t.exposeInt("iops", { nullable: true }),
    tags: t.field({ type: [Tag], resolve: (v) => v.tags }),
  }),
});

export const Ec2VolumeConnection = builder.connectionObject({ type: Ec2Volume, name: "Ec2VolumeConnection" });

const Ec2VolumeFilter = builder.inputType("Ec2VolumeFilter", {
  fields: (t) => ({
    states: t.stringList({ description: "creating | available | in-use | deleting | deleted | error" }),
    volumeTypes: t.stringList(),
    attachedInstanceId: t.string({ description: "only volumes attached to this instance" }),
    availabilityZone: t.string(),
    encrypted: t.boolean(),
    tags: t.field({ type: [TagFilter] }),
  }),
});

builder.queryFields((t) => ({
  ec2Volumes: t.field({
    type: Ec2VolumeConnection,
    args: { region: t.arg.string(), filter: t.arg({ type: Ec2VolumeFilter }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => {
      const f = args.filter;
      const filters = ec2Filters(
        {
          status: f?.states,
          "volume-type": f?.volumeTypes,
          "attachment.instance-id": one(f?.attachedInstanceId),
          "availability-zone": one(f?.availabilityZone),
          encrypted: one(f?.encrypted),
        },
        f?.tags,
      );
      return resolveEc2Connection(ctx, { field: "Query.ec2Volumes", region: args.region, filters }, args, ec2VolumesSource);
    },
  }),
  ec2Volume: t.field({
    type: Ec2Volume,
    nullable: true,
    args: { volumeId: t.arg.string({ required: true }), region: t.arg.string() },
    resolve: (_root, args, ctx) => regionalKey(ctx.aws.region(args.region), args.volumeId),
  }),
}));
