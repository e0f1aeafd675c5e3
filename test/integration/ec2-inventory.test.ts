import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVolumes,
  paginateDescribeVpcs,
  type Filter,
} from "@aws-sdk/client-ec2";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seedEc2 } from "../../demo/seed.js";
import { useEc2Fixture } from "../support/ec2-fixture.js";
import { walkConnection } from "../support/walk.js";

const REGIONS = ["us-east-1", "eu-west-1"];
const fixture = useEc2Fixture(REGIONS, (target) =>
  seedEc2(target, { regions: REGIONS, vpcsPerRegion: 3, subnetsPerVpc: 3, groupsPerVpc: 3, instancesPerRegion: 120, volumesPerRegion: 24 }),
);
const ec2 = fixture.ec2;

const connections = [
  {
    field: "ec2Volumes",
    selection: "volumeId size state volumeType",
    id: "volumeId",
    sdk: async (region: string, filters?: Filter[]) => {
      const ids: string[] = [];
      for await (const p of paginateDescribeVolumes({ client: ec2(region), pageSize: 100 }, { Filters: filters })) ids.push(...p.Volumes!.map((v) => v.VolumeId!));
      return ids;
    },
  },
  {
    field: "ec2SecurityGroups",
    selection: "groupId groupName vpcId description ingressRules { ipProtocol fromPort toPort cidrBlocks }",
    id: "groupId",
    sdk: async (region: string, filters?: Filter[]) => {
      const ids: string[] = [];
      for await (const p of paginateDescribeSecurityGroups({ client: ec2(region), pageSize: 100 }, { Filters: filters })) ids.push(...p.SecurityGroups!.map((g) => g.GroupId!));
      return ids;
    },
  },
  {
    field: "ec2Vpcs",
    selection: "vpcId cidrBlock isDefault tags { key value }",
    id: "vpcId",
    sdk: async (region: string, filters?: Filter[]) => {
      const ids: string[] = [];
      for await (const p of paginateDescribeVpcs({ client: ec2(region), pageSize: 100 }, { Filters: filters })) ids.push(...p.Vpcs!.map((v) => v.VpcId!));
      return ids;
    },
  },
  {
    field: "ec2Subnets",
    selection: "subnetId vpcId cidrBlock availabilityZone",
    id: "subnetId",
    sdk: async (region: string, filters?: Filter[]) => {
      const ids: string[] = [];
      for await (const p of paginateDescribeSubnets({ client: ec2(region), pageSize: 100 }, { Filters: filters })) ids.push(...p.Subnets!.map((s) => s.SubnetId!));
      return ids;
    },
  },
];

describe("EC2 inventory connections against moto_server", () => {
  for (const connection of connections) {
    it(`${connection.field}: a walk with random page sizes, resumed after random edges, equals the SDK paginator's listing in both regions`, async () => {
      const query = `query($first: Int, $after: String, $region: String) {
        ${connection.field}(first: $first, after: $after, region: $region) {
          edges { cursor node { id ${connection.selection} } } pageInfo { hasNextPage endCursor } } }`;
      for (const region of REGIONS) {
        const expected = await connection.sdk(region);
        expect(expected.length).toBeGreaterThan(0);
        await fc.assert(
          fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), async (firsts, choices) => {
            const walk = await walkConnection(fixture.gateway, query, [connection.field], {
              firsts,
              variables: { region },
              resumeAt: (count, page) => choices[page % choices.length]! % count,
            });
            expect(walk.nodes.map((n: any) => n[connection.id])).toEqual(expected);
          }),
          { numRuns: 3 },
        );
      }
    });
  }

  it("pushes the filters of each connection down to EC2", async () => {
    const vpcs = await connections[2]!.sdk("us-east-1", [{ Name: "tag:env", Values: ["prod"] }]);
    const vpcId = vpcs[0]!;
    const checks: [string, string, string, Record<string, unknown>, Filter[], (typeof connections)[number]][] = [
      ["ec2Volumes", "volumeId", "$filter: Ec2VolumeFilter", { filter: { states: ["in-use"] } }, [{ Name: "status", Values: ["in-use"] }], connections[0]!],
      ["ec2Volumes", "volumeId", "$filter: Ec2VolumeFilter", { filter: { volumeTypes: ["gp3"] } }, [{ Name: "volume-type", Values: ["gp3"] }], connections[0]!],
      ["ec2SecurityGroups", "groupId", "$filter: Ec2SecurityGroupFilter", { filter: { vpcId } }, [{ Name: "vpc-id", Values: [vpcId] }], connections[1]!],
      ["ec2Vpcs", "vpcId", "$filter: Ec2VpcFilter", { filter: { tags: [{ key: "env", values: ["prod"] }] } }, [{ Name: "tag:env", Values: ["prod"] }], connections[2]!],
      ["ec2Subnets", "subnetId", "$vpcId: String", { vpcId }, [{ Name: "vpc-id", Values: [vpcId] }], connections[3]!],
    ];
    for (const [field, id, declaration, args, filters, connection] of checks) {
      const expected = await connection.sdk("us-east-1", filters);
      expect(expected.length, `${field} ${JSON.stringify(args)}`).toBeGreaterThan(0);
      const [name] = Object.keys(args);
      const query = `query($first: Int, $after: String, ${declaration}) { ${field}(first: $first, after: $after, ${name}: $${name}) { edges { cursor node { ${id} } } pageInfo { hasNextPage endCursor } } }`;
      const walk = await walkConnection(fixture.gateway, query, [field], { firsts: [7], variables: args });
      expect(walk.nodes.map((n: any) => n[id]), `${field} ${JSON.stringify(args)}`).toEqual(expected);
    }
  });

  it("resolves an instance's vpc, subnet, security groups and volumes to what Describe calls return for the same ids", async () => {
    const query = `query($first: Int, $after: String, $region: String) { ec2Instances(first: $first, after: $after, region: $region) {
      edges { cursor node { instanceId vpc { vpcId cidrBlock } subnet { subnetId vpcId availabilityZone } securityGroups { groupId groupName } volumes { volumeId size } } }
      pageInfo { hasNextPage endCursor } } }`;
    for (const region of REGIONS) {
      const walk = await walkConnection(fixture.gateway, query, ["ec2Instances"], { firsts: [60], variables: { region } });
      const described = await ec2(region).send(new DescribeInstancesCommand({}));
      const instances = new Map(described.Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i]));
      const vpcs = new Map((await ec2(region).send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => [v.VpcId!, v]));
      const subnets = new Map((await ec2(region).send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => [s.SubnetId!, s]));
      const groups = new Map((await ec2(region).send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.map((g) => [g.GroupId!, g]));
      const volumes = new Map((await ec2(region).send(new DescribeVolumesCommand({}))).Volumes!.map((v) => [v.VolumeId!, v]));
      expect(walk.nodes.length).toBe(instances.size);
      for (const node of walk.nodes as any[]) {
        const aws = instances.get(node.instanceId)!;
        expect(node.vpc).toEqual({ vpcId: aws.VpcId, cidrBlock: vpcs.get(aws.VpcId!)!.CidrBlock });
        expect(node.subnet).toEqual({ subnetId: aws.SubnetId, vpcId: aws.VpcId, availabilityZone: subnets.get(aws.SubnetId!)!.AvailabilityZone });
        expect(node.securityGroups).toEqual(aws.SecurityGroups!.map((g) => ({ groupId: g.GroupId, groupName: groups.get(g.GroupId!)!.GroupName })));
        const volumeIds = (aws.BlockDeviceMappings ?? []).map((b) => b.Ebs!.VolumeId!);
        expect(node.volumes).toEqual(volumeIds.map((id) => ({ volumeId: id, size: volumes.get(id)!.Size })));
      }
      // one list call per page plus one batched Describe per relation and page, never one per instance
      expect(walk.awsCalls).toBeLessThanOrEqual(walk.requests * 5);
    }
  });

  it("pages a VPC's subnets and instances with cursors of their own, bound to that VPC", async () => {
    const [vpcId] = await connections[2]!.sdk("eu-west-1", [{ Name: "tag:env", Values: ["prod"] }]);
    const query = `query($vpcId: String!, $first: Int, $after: String) { ec2Vpc(vpcId: $vpcId, region: "eu-west-1") {
      subnets(first: $first, after: $after) { edges { cursor node { subnetId } } pageInfo { hasNextPage endCursor } } } }`;
    const walk = await walkConnection(fixture.gateway, query, ["ec2Vpc", "subnets"], { firsts: [1], variables: { vpcId } });
    expect(walk.nodes.map((n: any) => n.subnetId)).toEqual(await connections[3]!.sdk("eu-west-1", [{ Name: "vpc-id", Values: [vpcId!] }]));

    const instancesQuery = `query($vpcId: String!, $first: Int, $after: String) { ec2Vpc(vpcId: $vpcId, region: "eu-west-1") {
      instances(first: $first, after: $after) { edges { cursor node { instanceId vpc { vpcId } } } pageInfo { hasNextPage endCursor } } } }`;
    const instances = await walkConnection(fixture.gateway, instancesQuery, ["ec2Vpc", "instances"], { firsts: [9], variables: { vpcId } });
    expect(instances.nodes.length).toBeGreaterThan(0);
    expect(instances.nodes.every((n: any) => n.vpc.vpcId === vpcId)).toBe(true);

    const escaping = `query($vpcId: String!, $other: String!) { ec2Vpc(vpcId: $vpcId, region: "eu-west-1") {
      instances(first: 50, filter: { vpcId: $other }) { edges { node { instanceId } } } } }`;
    const elsewhere = (await connections[2]!.sdk("eu-west-1")).find((id) => id !== vpcId)!;
    const refused = await fixture.gateway.query(escaping, { vpcId, other: elsewhere });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "filter" });
    const same = await fixture.gateway.query(escaping, { vpcId, other: vpcId });
    expect(same.data!.ec2Vpc.instances.edges.length).toBe(instances.nodes.length);

    const first = await fixture.gateway.query(query, { vpcId, first: 1 });
    const otherVpc = (await connections[2]!.sdk("eu-west-1")).find((id) => id !== vpcId)!;
    const reused = await fixture.gateway.query(query, { vpcId: otherVpc, first: 1, after: first.data!.ec2Vpc.subnets.edges[0].cursor });
    expect(reused.errors?.[0]?.extensions?.code).toBe("CURSOR_MISMATCH");
  });

  it("links a volume back to its instance and a group to its VPC", async () => {
    const answer = await fixture.gateway.query(`{ ec2Volumes(first: 200, filter: { states: ["in-use"] }) { edges { node { volumeId instance { instanceId volumes { volumeId } } } } }
      ec2SecurityGroups(first: 50, filter: { groupNames: ["sg-0-0"] }) { edges { node { groupId vpcId vpc { vpcId } } } } }`);
    expect(answer.errors).toBeUndefined();
    const volumes = answer.data!.ec2Volumes.edges.map((e: any) => e.node);
    expect(volumes.length).toBeGreaterThan(0);
    for (const v of volumes) expect(v.instance.volumes.map((x: any) => x.volumeId)).toContain(v.volumeId);
    for (const { node } of answer.data!.ec2SecurityGroups.edges) expect(node.vpc.vpcId).toBe(node.vpcId);
  });

  it("answers null for ids that do not exist, in every single-item field", async () => {
    const answer = await fixture.gateway.query(`{
      ec2Vpc(vpcId: "vpc-0123456789abcdef0") { vpcId } ec2Subnet(subnetId: "subnet-0123456789abcdef0") { subnetId }
      ec2SecurityGroup(groupId: "sg-0123456789abcdef0") { groupId } ec2Volume(volumeId: "vol-0123456789abcdef0") { volumeId }
      ec2Instance(instanceId: "i-0123456789abcdef0", region: "eu-west-1") { instanceId } }`);
    expect(answer.errors).toBeUndefined();
    expect(Object.values(answer.data!)).toEqual([null, null, null, null, null]);
  });
});
