// Links between EC2 resources. Each goes through the target's per-request DataLoader, so a page of
// instances costs one Describe call per related type (and per 200 ids), never one per instance.
import type DataLoader from "dataloader";
import type { GatewayContext } from "../../context.js";
import { builder } from "../../graphql/builder.js";
import { Ec2Instance, Ec2InstanceConnection, ec2InstancesSource } from "./instances.js";
import { Ec2SecurityGroup, Ec2SecurityGroupConnection, ec2SecurityGroupsSource, type Ec2SecurityGroupModel } from "./security-groups.js";
import { Ec2SubnetConnection, Ec2SubnetFilter, Ec2Subnet, ec2SubnetsSource, subnetFilters } from "./subnets.js";
import { Ec2Volume, type Ec2VolumeModel } from "./volumes.js";
import { Ec2Vpc } from "./vpcs.js";
import type { ConnectionArgs } from "../../graphql/connection.js";
import { ec2Filters, regionalKey, resolveEc2Connection, type Ec2SourceFactory } from "./common.js";

const key = (region: string, id: string | undefined) => (id ? regionalKey(region, id) : null);

/**
 * The related objects that exist, in the order of their ids; a vanished one is left out. A lookup
 * that failed fails the field: a list missing what AWS would not tell is not a shorter list.
 */
async function existing<Model>(loader: DataLoader<string, Model>, region: string, ids: readonly string[]): Promise<Model[]> {
  const loaded = await loader.loadMany(ids.map((id) => regionalKey(region, id)));
  const failure = loaded.find((m) => m instanceof Error);
  if (failure) throw failure;
  return loaded.filter((m): m is Model => m !== null && m !== undefined);
}

const loaderOf = <Model>(ref: { getDataloader: (ctx: GatewayContext) => DataLoader<string, unknown> }, ctx: GatewayContext) =>
  ref.getDataloader(ctx) as DataLoader<string, Model>;

builder.objectFields(Ec2Instance, (t) => ({
  vpc: t.field({ type: Ec2Vpc, nullable: true, resolve: (i) => key(i.region, i.vpcId) }),
  subnet: t.field({ type: Ec2Subnet, nullable: true, resolve: (i) => key(i.region, i.subnetId) }),
  securityGroups: t.field({
    type: [Ec2SecurityGroup],
    resolve: (i, _args, ctx) => existing(loaderOf<Ec2SecurityGroupModel>(Ec2SecurityGroup, ctx), i.region, i.securityGroupIds),
  }),
  volumes: t.field({
    type: [Ec2Volume],
    resolve: (i, _args, ctx) => existing(loaderOf<Ec2VolumeModel>(Ec2Volume, ctx), i.region, i.volumeIds),
  }),
}));

/**
 * The resolver of a connection listing what sits under a parent: the parent's own EC2 filter
 * (`vpc-id`, `subnet-id`, `instance.group-id`) pushed down, cursors bound to that parent.
 */
function listedUnder<Model>(field: string, filterName: string, source: Ec2SourceFactory<Model>) {
  return (parent: { region: string }, parentId: string, args: ConnectionArgs, ctx: GatewayContext, filters = ec2Filters({ [filterName]: [parentId] })) =>
    resolveEc2Connection(ctx, { field, parentId: regionalKey(parent.region, parentId), region: parent.region, filters }, args, source);
}

const subnetsOfVpc = listedUnder("Ec2Vpc.subnets", "vpc-id", ec2SubnetsSource);
const instancesOfVpc = listedUnder("Ec2Vpc.instances", "vpc-id", ec2InstancesSource);
const groupsOfVpc = listedUnder("Ec2Vpc.securityGroups", "vpc-id", ec2SecurityGroupsSource);
const instancesOfSubnet = listedUnder("Ec2Subnet.instances", "subnet-id", ec2InstancesSource);
const instancesOfGroup = listedUnder("Ec2SecurityGroup.instances", "instance.group-id", ec2InstancesSource);

builder.objectFields(Ec2Vpc, (t) => ({
  subnets: t.field({
    type: Ec2SubnetConnection,
    args: { filter: t.arg({ type: Ec2SubnetFilter }), first: t.arg.int(), after: t.arg.string() },
    resolve: (v, args, ctx) => subnetsOfVpc(v, v.vpcId, args, ctx, subnetFilters(v.vpcId, args.filter)),
  }),
  instances: t.field({
    type: Ec2InstanceConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (v, args, ctx) => instancesOfVpc(v, v.vpcId, args, ctx),
  }),
  securityGroups: t.field({
    type: Ec2SecurityGroupConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (v, args, ctx) => groupsOfVpc(v, v.vpcId, args, ctx),
  }),
}));

builder.objectFields(Ec2Subnet, (t) => ({
  vpc: t.field({ type: Ec2Vpc, nullable: true, resolve: (s) => key(s.region, s.vpcId) }),
  instances: t.field({
    type: Ec2InstanceConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (s, args, ctx) => instancesOfSubnet(s, s.subnetId, args, ctx),
  }),
}));

builder.objectFields(Ec2SecurityGroup, (t) => ({
  vpc: t.field({ type: Ec2Vpc, nullable: true, resolve: (g) => key(g.region, g.vpcId) }),
  instances: t.field({
    type: Ec2InstanceConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (g, args, ctx) => instancesOfGroup(g, g.groupId, args, ctx),
  }),
}));

builder.objectFields(Ec2Volume, (t) => ({
  instance: t.field({
    type: Ec2Instance,
    nullable: true,
    description: "the instance the volume is attached to, if any",
    resolve: (v) => key(v.region, v.attachedInstanceIds[0]),
  }),
}));

