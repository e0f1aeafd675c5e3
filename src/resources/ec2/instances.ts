// EC2 instances: DescribeInstances (NextToken, MaxResults 5..1000), reservations flattened.
import { DescribeInstancesCommand, type Filter, type Instance } from "@aws-sdk/client-ec2";
import { awsListSource } from "../../aws/list-source.js";
import type { RequestAws } from "../../aws/clients.js";
import type { GatewayContext } from "../../context.js";
import { badInput } from "../../errors.js";
import { builder, Tag, TagFilter, type TagModel } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { readAll } from "../../pagination/engine.js";
import { ec2Tags, regionalKey, splitRegionalKey } from "./common.js";

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
  securityGroupIds: (i.SecurityGroups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
  volumeIds: (i.BlockDeviceMappings ?? []).flatMap((b) => (b.Ebs?.VolumeId ? [b.Ebs.VolumeId] : [])),
});

function ec2InstancesSource(aws: RequestAws, region: string, filters: Filter[]) {
  return awsListSource(aws, {
    service: "ec2",
    region,
    minPageSize: 5,
    maxPageSize: 1000,
    command: (token, pageSize) =>
      new DescribeInstancesCommand({ Filters: filters.length ? filters : undefined, MaxResults: pageSize, NextToken: token }),
    items: (out) => (out.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map(toModel(region))),
    nextToken: (out) => out.NextToken,
  });
}

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const IDS_PER_FILTER = 200;

/** Instances by `region/instanceId` key, null where there is none; one call per region and 200 ids. */
async function loadInstances(keys: readonly string[], ctx: GatewayContext): Promise<(Ec2InstanceModel | null)[]> {
  const found = new Map<string, Ec2InstanceModel>();
  const byRegion = new Map<string, string[]>();
  for (const key of keys) {
    const { region, id } = splitRegionalKey(key);
    if (region && INSTANCE_ID.test(id)) byRegion.set(region, [...(byRegion.get(region) ?? []), id]);
  }
  await Promise.all(
    [...byRegion].flatMap(([region, ids]) =>
      chunk(ids, IDS_PER_FILTER).map(async (batch) => {
        // Filters, not InstanceIds: one unknown id would fail the whole batch with InvalidInstanceID.NotFound.
        const source = ec2InstancesSource(ctx.aws, region, [{ Name: "instance-id", Values: batch }]);
        for (const instance of await readAll(source, ctx.config.MAX_AWS_CALLS_PER_PAGE)) {
          found.set(regionalKey(region, instance.instanceId), instance);
        }
      }),
    ),
  );
  return keys.map((key) => found.get(key) ?? null);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export const Ec2Instance = builder.loadableNode("Ec2Instance", {
  id: { resolve: (i: Ec2InstanceModel) => regionalKey(i.region, i.instanceId) },
  load: loadInstances as (keys: string[], ctx: GatewayContext) => Promise<(Ec2InstanceModel | Error)[]>,
  sort: (i: Ec2InstanceModel) => regionalKey(i.region, i.instanceId),
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

const Ec2InstanceConnection = builder.connectionObject({ type: Ec2Instance, name: "Ec2InstanceConnection" });

const Ec2InstanceFilter = builder.inputType("Ec2InstanceFilter", {
  fields: (t) => ({
    states: t.stringList({ description: "instance-state-name values, pushed down to AWS" }),
    instanceTypes: t.stringList({ description: "instance-type values, pushed down to AWS" }),
    vpcId: t.string(),
    tags: t.field({ type: [TagFilter], description: "tag:Key = any of values, pushed down to AWS" }),
  }),
});

type InstanceFilterInput = {
  states?: string[] | null;
  instanceTypes?: string[] | null;
  vpcId?: string | null;
  tags?: { key: string; values: string[] }[] | null;
};

/** The filter as EC2 Filters; also the canonical form the cursor fingerprint is taken of. */
export function instanceFilters(filter: InstanceFilterInput | null | undefined): Filter[] {
  if (!filter) return [];
  const filters: Filter[] = [];
  const add = (name: string, values: readonly string[] | null | undefined) => {
    if (values === null || values === undefined) return;
    if (values.length === 0 || values.length > 200 || values.some((v) => v.length === 0 || v.length > 256)) {
      throw badInput(`Filter "${name}" takes 1 to 200 values of 1 to 256 characters.`, { argument: "filter" });
    }
    filters.push({ Name: name, Values: [...new Set(values)].sort() });
  };
  add("instance-state-name", filter.states);
  add("instance-type", filter.instanceTypes);
  if (filter.vpcId !== null && filter.vpcId !== undefined) add("vpc-id", [filter.vpcId]);
  for (const tag of filter.tags ?? []) {
    if (tag.key.length === 0 || tag.key.length > 128) throw badInput("A tag filter's key takes 1 to 128 characters.", { argument: "filter" });
    add(`tag:${tag.key}`, tag.values);
  }
  if (filters.length > 50) throw badInput("At most 50 filters.", { argument: "filter" });
  return filters.sort((a, b) => (a.Name! < b.Name! ? -1 : a.Name! > b.Name! ? 1 : 0));
}

builder.queryFields((t) => ({
  ec2Instances: t.field({
    type: Ec2InstanceConnection,
    args: {
      region: t.arg.string(),
      filter: t.arg({ type: Ec2InstanceFilter }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) => {
      const region = ctx.aws.region(args.region);
      const filters = instanceFilters(args.filter);
      return resolveConnection(ctx, { field: "Query.ec2Instances", args: { region, filters } }, args, () =>
        ec2InstancesSource(ctx.aws, region, filters),
      );
    },
  }),
  ec2Instance: t.field({
    type: Ec2Instance,
    nullable: true,
    args: { instanceId: t.arg.string({ required: true }), region: t.arg.string() },
    resolve: (_root, args, ctx) => regionalKey(ctx.aws.region(args.region), args.instanceId),
  }),
}));
