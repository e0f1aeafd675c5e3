import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeLaunchTemplates,
  paginateDescribeNatGateways,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSnapshots,
  type Filter,
} from "@aws-sdk/client-ec2";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seedEc2, seedEc2Extras } from "../../demo/seed.js";
import { useEc2Fixture } from "../support/ec2-fixture.js";
import { walkConnection } from "../support/walk.js";

const REGIONS = ["us-east-1", "ap-southeast-2"];
const fixture = useEc2Fixture(REGIONS, async (target) => {
  await seedEc2(target, { regions: REGIONS, vpcsPerRegion: 2, subnetsPerVpc: 2, groupsPerVpc: 2, instancesPerRegion: 30, volumesPerRegion: 10 });
  await seedEc2Extras(target, {
    regions: REGIONS,
    keyPairs: 3,
    images: 7,
    snapshots: 9,
    networkInterfaces: 12,
    addresses: 7,
    natGateways: 3,
    internetGateways: true,
    routeTablesPerVpc: 3,
    launchTemplates: 7,
  });
});
const ec2 = fixture.ec2;

/** Every id of an SDK listing, page after page. */
async function idsOf<Page>(pages: AsyncIterable<Page>, ids: (page: Page) => (string | undefined)[]): Promise<string[]> {
  const all: string[] = [];
  for await (const page of pages) all.push(...ids(page).map((id) => id!));
  return all;
}

const config = (region: string) => ({ client: ec2(region), pageSize: 100 });

/** The first VPC the seed made in a region (moto's default VPC aside). */
const seededVpc = async (region: string) =>
  (await ec2(region).send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["false"] }] }))).Vpcs![0]!.VpcId!;

/** Each new connection, the SDK's own listing of it, and one filter to push down. */
const connections: {
  field: string;
  id: string;
  maxFirst: number;
  sdk: (region: string, filters?: Filter[]) => Promise<string[]>;
  filter: (region: string) => Promise<{ input: Record<string, unknown>; filters: Filter[] }>;
}[] = [
  {
    field: "ec2Images",
    id: "imageId",
    maxFirst: 4,
    sdk: (region, Filters) => idsOf(paginateDescribeImages(config(region), { Owners: ["self"], Filters }), (p) => p.Images!.map((i) => i.ImageId)),
    filter: async () => ({ input: { names: ["payments-golden-0", "search-golden-1"] }, filters: [{ Name: "name", Values: ["payments-golden-0", "search-golden-1"] }] }),
  },
  {
    field: "ec2Snapshots",
    id: "snapshotId",
    // moto's own AMIs come with about 1,200 snapshots owned by the account
    maxFirst: 300,
    sdk: (region, Filters) => idsOf(paginateDescribeSnapshots(config(region), { OwnerIds: ["self"], Filters }), (p) => p.Snapshots!.map((s) => s.SnapshotId)),
    filter: async (region) => {
      const [volumeId] = (await ec2(region).send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: [{ Name: "description", Values: ["nightly backup 0"] }] })))
        .Snapshots!.map((s) => s.VolumeId!);
      return { input: { volumeId }, filters: [{ Name: "volume-id", Values: [volumeId!] }] };
    },
  },
  {
    field: "ec2NetworkInterfaces",
    id: "networkInterfaceId",
    maxFirst: 15,
    sdk: (region, Filters) => idsOf(paginateDescribeNetworkInterfaces(config(region), { Filters }), (p) => p.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)),
    filter: async (region) => {
      const [subnet] = (await ec2(region).send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["false"] }] }))).Subnets!;
      return { input: { subnetId: subnet!.SubnetId }, filters: [{ Name: "subnet-id", Values: [subnet!.SubnetId!] }] };
    },
  },
  {
    field: "ec2Addresses",
    id: "allocationId",
    maxFirst: 4,
    sdk: async (region, Filters) => (await ec2(region).send(new DescribeAddressesCommand({ Filters }))).Addresses!.map((a) => a.AllocationId!),
    filter: async (region) => {
      const instanceId = (await ec2(region).send(new DescribeAddressesCommand({}))).Addresses!.find((a) => a.InstanceId)!.InstanceId!;
      return { input: { instanceId }, filters: [{ Name: "instance-id", Values: [instanceId] }] };
    },
  },
  {
    field: "ec2NatGateways",
    id: "natGatewayId",
    maxFirst: 3,
    sdk: (region, Filters) => idsOf(paginateDescribeNatGateways(config(region), { Filter: Filters }), (p) => p.NatGateways!.map((n) => n.NatGatewayId)),
    filter: async (region) => {
      const [subnetId] = await idsOf(paginateDescribeNatGateways(config(region), {}), (p) => p.NatGateways!.map((n) => n.SubnetId));
      return { input: { subnetId }, filters: [{ Name: "subnet-id", Values: [subnetId!] }] };
    },
  },
  {
    field: "ec2RouteTables",
    id: "routeTableId",
    maxFirst: 5,
    sdk: (region, Filters) => idsOf(paginateDescribeRouteTables(config(region), { Filters }), (p) => p.RouteTables!.map((r) => r.RouteTableId)),
    filter: async (region) => {
      const vpcId = await seededVpc(region);
      return { input: { vpcId }, filters: [{ Name: "vpc-id", Values: [vpcId] }] };
    },
  },
  {
    field: "ec2InternetGateways",
    id: "internetGatewayId",
    maxFirst: 3,
    sdk: (region, Filters) => idsOf(paginateDescribeInternetGateways(config(region), { Filters }), (p) => p.InternetGateways!.map((g) => g.InternetGatewayId)),
    filter: async (region) => {
      const vpcId = await seededVpc(region);
      return { input: { vpcId }, filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] };
    },
  },
  {
    field: "ec2KeyPairs",
    id: "keyName",
    maxFirst: 2,
    sdk: async (region, Filters) => (await ec2(region).send(new DescribeKeyPairsCommand({ Filters }))).KeyPairs!.map((k) => k.KeyName!),
    filter: async () => ({ input: { tags: [{ key: "team", values: ["search"] }] }, filters: [{ Name: "tag:team", Values: ["search"] }] }),
  },
  {
    field: "ec2LaunchTemplates",
    id: "launchTemplateId",
    maxFirst: 4,
    // moto cuts smaller pages short without a token: the SDK's walk asks for the largest page, as the gateway does
    sdk: (region, Filters) =>
      idsOf(paginateDescribeLaunchTemplates({ client: ec2(region), pageSize: 200 }, { Filters }), (p) => p.LaunchTemplates!.map((t) => t.LaunchTemplateId)),
    filter: async () => ({ input: { names: ["payments-web-0", "data-web-4"] }, filters: [{ Name: "launch-template-name", Values: ["data-web-4", "payments-web-0"] }] }),
  },
];

const filterType = (field: string) => `Ec2${field.slice(3, -1).replace(/Addresse$/, "Address")}Filter`;

describe("the rest of EC2 against moto_server", () => {
  for (const connection of connections) {
    it(`${connection.field}: walks with random page sizes, resumed after random edges, equal the SDK's listing in every region`, async () => {
      const query = `query($first: Int, $after: String, $region: String) {
        ${connection.field}(first: $first, after: $after, region: $region) { edges { cursor node { id region ${connection.id} } } pageInfo { hasNextPage endCursor } } }`;
      for (const region of REGIONS) {
        const expected = await connection.sdk(region);
        expect(expected.length, region).toBeGreaterThan(2);
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.integer({ min: 1, max: connection.maxFirst }), { minLength: 1, maxLength: 4 }),
            fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
            async (firsts, choices) => {
              const walk = await walkConnection(fixture.gateway, query, [connection.field], {
                firsts,
                variables: { region },
                resumeAt: (count, page) => choices[page % choices.length]! % count,
              });
              expect(walk.nodes.map((n: any) => n[connection.id])).toEqual(expected);
              expect(walk.nodes.every((n: any) => n.region === region)).toBe(true);
            },
          ),
          { numRuns: 3 },
        );
      }
    });

    it(`${connection.field}: pushes its filter down to EC2`, async () => {
      const { input, filters } = await connection.filter("us-east-1");
      const expected = await connection.sdk("us-east-1", filters);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length, "a filter that keeps everything proves nothing").toBeLessThan((await connection.sdk("us-east-1")).length);
      const query = `query($first: Int, $after: String, $filter: ${filterType(connection.field)}) {
        ${connection.field}(first: $first, after: $after, filter: $filter) { edges { cursor node { ${connection.id} } } pageInfo { hasNextPage endCursor } } }`;
      const walk = await walkConnection(fixture.gateway, query, [connection.field], { firsts: [2], variables: { filter: input } });
      expect(walk.nodes.map((n: any) => n[connection.id])).toEqual(expected);
    });
  }

  it("pages an unpaged AWS answer from the one call it held", async () => {
    const query = `query($first: Int, $after: String) { ec2Addresses(first: $first, after: $after) { edges { cursor node { allocationId } } pageInfo { hasNextPage endCursor } } }`;
    const walk = await walkConnection(fixture.gateway, query, ["ec2Addresses"], { firsts: [1] });
    expect(walk.requests).toBeGreaterThan(5);
    expect(walk.operations).toEqual({ DescribeAddresses: 1 });
  });

  it("links a page of 100 network interfaces to their instance, subnet, VPC and groups in a handful of calls, as Describe tells them", async () => {
    const answer = await fixture.gateway.query(`{ ec2NetworkInterfaces(first: 100) { edges { node {
      networkInterfaceId instanceId subnetId vpcId securityGroupIds
      instance { instanceId state } subnet { subnetId cidrBlock } vpc { vpcId cidrBlock } securityGroups { groupId groupName } } } } }`);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.ec2NetworkInterfaces.edges.map((e: any) => e.node);
    const region = "us-east-1";
    const interfaces = (await ec2(region).send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!;
    expect(nodes.map((n: any) => n.networkInterfaceId)).toEqual(interfaces.map((n) => n.NetworkInterfaceId));
    const instanceIds = [...new Set(interfaces.map((n) => n.Attachment?.InstanceId).filter(Boolean))] as string[];
    const instances = new Map(
      (await ec2(region).send(new DescribeInstancesCommand({ InstanceIds: instanceIds }))).Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i]),
    );
    const subnets = new Map((await ec2(region).send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => [s.SubnetId!, s]));
    const vpcs = new Map((await ec2(region).send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => [v.VpcId!, v]));
    const groups = new Map((await ec2(region).send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.map((g) => [g.GroupId!, g]));
    expect(nodes.some((n: any) => n.instance !== null) && nodes.some((n: any) => n.instance === null)).toBe(true);
    for (const [index, node] of nodes.entries()) {
      const aws = interfaces[index]!;
      const instance = aws.Attachment?.InstanceId ? instances.get(aws.Attachment.InstanceId) : undefined;
      expect(node.instance).toEqual(instance ? { instanceId: instance.InstanceId, state: instance.State!.Name } : null);
      expect(node.subnet).toEqual({ subnetId: aws.SubnetId, cidrBlock: subnets.get(aws.SubnetId!)!.CidrBlock });
      expect(node.vpc).toEqual({ vpcId: aws.VpcId, cidrBlock: vpcs.get(aws.VpcId!)!.CidrBlock });
      expect(node.securityGroups).toEqual((aws.Groups ?? []).map((g) => ({ groupId: g.GroupId, groupName: groups.get(g.GroupId!)!.GroupName })));
    }
    expect(answer.extensions!.aws.calls).toBeLessThanOrEqual(5);
  });

  it("links addresses, NAT gateways, route tables, internet gateways, images and snapshots to what they name", async () => {
    const answer = await fixture.gateway.query(`{
      ec2Addresses(first: 100) { edges { node { instanceId networkInterfaceId instance { instanceId } networkInterface { networkInterfaceId } } } }
      ec2NatGateways(first: 100) { edges { node { vpcId subnetId vpc { vpcId } subnet { subnetId } } } }
      ec2RouteTables(first: 100) { edges { node { vpcId subnetIds vpc { vpcId } subnets { subnetId } } } }
      ec2InternetGateways(first: 100) { edges { node { vpcIds vpcs { vpcId } } } }
      ec2Images(first: 100) { edges { node { imageId snapshotIds snapshots { snapshotId volumeId } } } }
    }`);
    expect(answer.errors).toBeUndefined();
    const nodes = (field: string) => answer.data![field].edges.map((e: any) => e.node);
    const associated = nodes("ec2Addresses").filter((a: any) => a.instanceId);
    expect(associated.length).toBeGreaterThan(0);
    for (const a of nodes("ec2Addresses")) {
      expect(a.instance).toEqual(a.instanceId ? { instanceId: a.instanceId } : null);
      expect(a.networkInterface).toEqual(a.networkInterfaceId ? { networkInterfaceId: a.networkInterfaceId } : null);
    }
    for (const n of nodes("ec2NatGateways")) expect([n.vpc.vpcId, n.subnet.subnetId]).toEqual([n.vpcId, n.subnetId]);
    const routeTables = nodes("ec2RouteTables");
    expect(routeTables.some((r: any) => r.subnetIds.length > 0)).toBe(true);
    for (const r of routeTables) expect([r.vpc.vpcId, r.subnets.map((s: any) => s.subnetId)]).toEqual([r.vpcId, r.subnetIds]);
    const gateways = nodes("ec2InternetGateways");
    expect(gateways.some((g: any) => g.vpcIds.length === 0) && gateways.some((g: any) => g.vpcIds.length === 1)).toBe(true);
    for (const g of gateways) expect(g.vpcs.map((v: any) => v.vpcId)).toEqual(g.vpcIds);
    for (const image of nodes("ec2Images")) {
      const described = image.snapshotIds.length
        ? (await ec2("us-east-1").send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: [{ Name: "snapshot-id", Values: image.snapshotIds }] }))).Snapshots!
        : [];
      const byId = new Map(described.map((s) => [s.SnapshotId!, s]));
      expect(image.snapshots).toEqual(image.snapshotIds.filter((id: string) => byId.has(id)).map((id: string) => ({ snapshotId: id, volumeId: byId.get(id)!.VolumeId })));
    }
  });

  it("lists back-links with EC2 filters of their own: a VPC's gateways and route tables, a volume's snapshots, an image's and a key pair's instances", async () => {
    const region = "us-east-1";
    const vpcId = await seededVpc(region);
    const answer = await fixture.gateway.query(`query($vpcId: String!) { ec2Vpc(vpcId: $vpcId) {
      natGateways(first: 50) { edges { node { natGatewayId } } }
      routeTables(first: 50) { edges { node { routeTableId } } }
      internetGateways(first: 50) { edges { node { internetGatewayId } } } } }`, { vpcId });
    expect(answer.errors).toBeUndefined();
    const ids = (connection: any, id: string) => connection.edges.map((e: any) => e.node[id]);
    const byVpc = [{ Name: "vpc-id", Values: [vpcId] }];
    expect(ids(answer.data!.ec2Vpc.natGateways, "natGatewayId")).toEqual(await connections[4]!.sdk(region, byVpc));
    expect(ids(answer.data!.ec2Vpc.routeTables, "routeTableId")).toEqual(await connections[5]!.sdk(region, byVpc));
    expect(ids(answer.data!.ec2Vpc.internetGateways, "internetGatewayId")).toEqual(await connections[6]!.sdk(region, [{ Name: "attachment.vpc-id", Values: [vpcId] }]));

    const [snapshot] = (await ec2(region).send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: [{ Name: "description", Values: ["nightly backup 1"] }] }))).Snapshots!;
    const volume = await fixture.gateway.query(`query($id: String!) { ec2Volume(volumeId: $id) { snapshots(first: 20) { edges { node { snapshotId volume { volumeId } } } } } }`, { id: snapshot!.VolumeId });
    const snapshots = volume.data!.ec2Volume.snapshots.edges.map((e: any) => e.node);
    expect(snapshots.map((s: any) => s.snapshotId)).toEqual(await connections[1]!.sdk(region, [{ Name: "volume-id", Values: [snapshot!.VolumeId!] }]));
    expect(snapshots.every((s: any) => s.volume.volumeId === snapshot!.VolumeId)).toBe(true);

    const instancesOf = async (filter: Filter) => idsOf(paginateDescribeInstances(config(region), { Filters: [filter] }), (p) => p.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)));
    const [imageId] = await connections[0]!.sdk(region);
    const keyName = "search-deploy-1";
    const owners = await fixture.gateway.query(`query($imageId: String!, $keyName: String!) {
      ec2Image(imageId: $imageId) { instances(first: 100) { edges { node { instanceId image { imageId } } } } }
      ec2KeyPair(keyName: $keyName) { keyName instances(first: 100) { edges { node { instanceId keyName keyPair { keyName } } } } } }`, { imageId, keyName });
    expect(owners.errors).toBeUndefined();
    expect(ids(owners.data!.ec2Image.instances, "instanceId")).toEqual(await instancesOf({ Name: "image-id", Values: [imageId!] }));
    const keyed = owners.data!.ec2KeyPair.instances.edges.map((e: any) => e.node);
    expect(keyed.map((i: any) => i.instanceId)).toEqual(await instancesOf({ Name: "key-name", Values: [keyName] }));
    expect(keyed.length).toBeGreaterThan(0);
    expect(keyed.every((i: any) => i.keyName === keyName && i.keyPair.keyName === keyName)).toBe(true);
  });

  it("links an instance to its network interfaces as Describe lists them, and to no image it does not own", async () => {
    const answer = await fixture.gateway.query(`{ ec2Instances(first: 100) { edges { node { instanceId imageId image { imageId } networkInterfaces { networkInterfaceId subnetId } } } } }`);
    expect(answer.errors).toBeUndefined();
    const described = (await ec2("us-east-1").send(new DescribeInstancesCommand({}))).Reservations!.flatMap((r) => r.Instances!);
    const nodes = answer.data!.ec2Instances.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(described.length);
    for (const [index, node] of nodes.entries()) {
      const aws = described[index]!;
      expect(node.networkInterfaces).toEqual(aws.NetworkInterfaces!.map((n) => ({ networkInterfaceId: n.NetworkInterfaceId, subnetId: n.SubnetId })));
      expect(node.image).toBeNull(); // launched from a public AMI, which ec2Image (owned by the account) does not list
    }
  });

  it("refetches each new resource by its single-item field and its node id, and answers null for ids that do not exist", async () => {
    const region = "ap-southeast-2";
    const singles: [string, string, string][] = [
      ["ec2Image", "imageId", "ami-0123456789abcdef0"],
      ["ec2Snapshot", "snapshotId", "snap-0123456789abcdef0"],
      ["ec2NetworkInterface", "networkInterfaceId", "eni-0123456789abcdef0"],
      ["ec2Address", "allocationId", "eipalloc-0123456789abcdef0"],
      ["ec2NatGateway", "natGatewayId", "nat-0123456789abcdef0"],
      ["ec2RouteTable", "routeTableId", "rtb-0123456789abcdef0"],
      ["ec2InternetGateway", "internetGatewayId", "igw-0123456789abcdef0"],
      ["ec2KeyPair", "keyName", "no-such-key"],
      ["ec2LaunchTemplate", "launchTemplateId", "lt-0123456789abcdef0"],
    ];
    for (const [index, [single, id, missing]] of singles.entries()) {
      const [existing] = await connections[index]!.sdk(region);
      const query = `query($id: String!, $missing: String!, $region: String) {
        found: ${single}(${id}: $id, region: $region) { id region ${id} }
        missing: ${single}(${id}: $missing, region: $region) { id }
        malformed: ${single}(${id}: "not an id!", region: $region) { id } }`;
      const answer = await fixture.gateway.query(query, { id: existing, missing, region });
      expect(answer.errors, single).toBeUndefined();
      expect(answer.data!.found, single).toMatchObject({ region, [id]: existing });
      expect(answer.data!.missing, single).toBeNull();
      expect(answer.data!.malformed, single).toBeNull();
      const refetched = await fixture.gateway.query(`query($id: ID!) { node(id: $id) { id ... on Node { __typename } } }`, { id: answer.data!.found.id });
      expect(refetched.data!.node, single).toEqual({ id: answer.data!.found.id, __typename: single[0]!.toUpperCase() + single.slice(1) });
    }
  });
});
