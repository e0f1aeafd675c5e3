// Route 53 against moto_server: hosted zones (global: `accounts` only) and their record sets, whose
// next page starts at NextRecordName + NextRecordType + NextRecordIdentifier. The big zone holds
// ~150 record sets with weighted, latency, failover and geolocation groups (record sets sharing a
// name and type, told apart by SetIdentifier) and alias records.
//
// moto, unlike Route 53 (each checked below, and asserted as moto does it):
// - it ignores StartRecordIdentifier and never answers NextRecordIdentifier: a page that ends inside
//   a group of record sets sharing a name and type is followed by one that starts again at the
//   group's first record set (and a group larger than MaxItems never ends). The gateway asks
//   MaxItems 300 (Route 53's largest) on every call and cuts GraphQL pages from the held answer, so
//   on moto a page ends inside a group only in a zone of more than 300 record sets whose 300th
//   ends inside one: no zone here does. The bulk zone (over 300) pages on moto by
//   NextRecordName + NextRecordType; AWS's NextRecordIdentifier, and pages that end inside a
//   group, are tested against Route 53 as AWS documents it in test/aws/route53.test.ts;
// - alias record sets come with TTL 0 (Route 53 leaves TTL out of them);
// - the SOA value is moto's own rendering, wildcard names come back as `*` (Route 53: `\052`);
// - NextMarker of ListHostedZones is moto's own token (Route 53's is a zone id); MaxItems is honoured.
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  paginateListHostedZones,
  type HostedZone,
  type ResourceRecordSet,
} from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedRoute53, type Route53Seeded } from "../../../demo/services/route53.js";
import { motoEnv, startGateway, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, checkRandomWalks, dataOf, walkThereAndBack } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const ACCOUNT = "123456789012";

let moto: Moto;
let gateway: TestGateway;
let route53: Route53Client;
let seeded: Route53Seeded;
let zones: HostedZone[];
/** a zone of more than 300 record sets, plain ones only: two ListResourceRecordSets pages on moto too */
let bulkZoneId: string;
const BULK_HOSTS = 160;
/** every zone's record sets as the SDK lists them (MaxItems 300, the three-part start) */
const recordSets = new Map<string, ResourceRecordSet[]>();

const bare = (id: string) => id.replace(/^\/hostedzone\//, "");
const key = (r: { name?: string | null; Name?: string; type?: string | null; Type?: string; setIdentifier?: string | null; SetIdentifier?: string }) =>
  `${r.name ?? r.Name}|${r.type ?? r.Type}|${r.setIdentifier ?? r.SetIdentifier ?? ""}`;

/** ListResourceRecordSets to the end, as Route 53 documents it (no SDK paginator exists for it). */
async function sdkRecordSets(zoneId: string, maxItems = 300): Promise<{ sets: ResourceRecordSet[]; calls: number }> {
  const sets: ResourceRecordSet[] = [];
  let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet["Type"]; StartRecordIdentifier?: string } = {};
  for (let calls = 1; ; calls += 1) {
    if (calls > 100) throw new Error(`ListResourceRecordSets of ${zoneId} does not end at MaxItems ${maxItems}`);
    const page = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: maxItems, ...start }));
    sets.push(...page.ResourceRecordSets!);
    if (!page.IsTruncated) return { sets, calls };
    start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
  }
}

beforeAll(async () => {
  moto = await startMoto();
  route53 = new Route53Client(motoClientConfig(moto.endpoint));
  seeded = await seedRoute53({ endpoint: moto.endpoint }, { recordSets: 150, publicZones: 9, privateZones: 4 });
  // 160 hosts with an A and a TXT record each, and an A at the apex beside its SOA and NS: 323
  // record sets, the 300th page ending between the two record sets of one host
  bulkZoneId = bare((await route53.send(new CreateHostedZoneCommand({ Name: "bulk.example.net", CallerReference: `bulk-${Date.now()}` }))).HostedZone!.Id!);
  const bulk: ResourceRecordSet[] = [{ Name: "bulk.example.net", Type: "A", TTL: 60, ResourceRecords: [{ Value: "192.0.2.1" }] }];
  for (let h = 0; h < BULK_HOSTS; h += 1) {
    const name = `host-${String(h).padStart(3, "0")}.bulk.example.net`;
    bulk.push({ Name: name, Type: "A", TTL: 300, ResourceRecords: [{ Value: `10.9.${Math.floor(h / 250)}.${h % 250}` }] });
    bulk.push({ Name: name, Type: "TXT", TTL: 300, ResourceRecords: [{ Value: `"host=${h}"` }] });
  }
  for (let start = 0; start < bulk.length; start += 100) {
    const Changes = bulk.slice(start, start + 100).map((ResourceRecordSet) => ({ Action: "CREATE" as const, ResourceRecordSet }));
    await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: bulkZoneId, ChangeBatch: { Changes } }));
  }
  zones = await all(paginateListHostedZones({ client: route53, pageSize: 100 }, {}), (page) => page.HostedZones);
  for (const zone of zones) recordSets.set(bare(zone.Id!), (await sdkRecordSets(bare(zone.Id!))).sets);
  // the test gateway calls Route 53 as fast as moto answers (UNBOUNDED_BUDGET; the default is 5 a second per account)
  gateway = await startGateway(motoEnv(moto.endpoint));
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  route53?.destroy();
  await moto?.stop();
});

const PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
const ZONES = (selection: string) => `query($first: Int, $after: String, $last: Int, $before: String) {
  route53HostedZones(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { ${selection} } } ${PAGE_INFO} } }`;
const RECORD_SETS = (selection: string) => `query($zone: String!, $first: Int, $after: String, $last: Int, $before: String) {
  route53HostedZone(hostedZoneId: $zone) { recordSets(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { ${selection} } } ${PAGE_INFO} } } }`;

describe("Route 53 against moto_server", () => {
  it("the seed and the SDK agree: ~150 record sets in the big zone, groups sharing a name and type, aliases", () => {
    expect(zones.map((z) => bare(z.Id!))).toEqual([...seeded.zoneIds, bulkZoneId]);
    const big = recordSets.get(seeded.bigZoneId)!;
    expect(big).toHaveLength(150);
    expect(new Set(big.map(key)).size).toBe(150);
    for (const group of seeded.groups) expect(big.filter((r) => r.Name === `${group.name}.` && r.Type === group.type && r.SetIdentifier)).toHaveLength(group.size);
    expect(big.filter((r) => r.AliasTarget).length).toBeGreaterThanOrEqual(4);
  });

  it("moto ignores StartRecordIdentifier: a page ending inside a group is followed by the group again (why the gateway's pages here never end inside one)", async () => {
    const api = seeded.groups.find((g) => g.size > 5)!;
    const group = recordSets.get(seeded.bigZoneId)!.filter((r) => r.Name === `${api.name}.` && r.Type === api.type);
    const page = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: seeded.bigZoneId, StartRecordName: api.name, StartRecordType: "A", StartRecordIdentifier: group[3]!.SetIdentifier, MaxItems: 3 }),
    );
    // Route 53 would start at group[3] and name group[6] next by NextRecordIdentifier
    expect(page.ResourceRecordSets!.map((r) => r.SetIdentifier)).toEqual(group.slice(0, 3).map((r) => r.SetIdentifier));
    expect([page.IsTruncated, page.NextRecordName, page.NextRecordType, page.NextRecordIdentifier]).toEqual([true, `${api.name}.`, "A", undefined]);
    // so the SDK's own walk at a small MaxItems never gets past the group
    await expect(sdkRecordSets(seeded.bigZoneId, 3)).rejects.toThrow(/does not end/);
  });

  it("moto honours ListHostedZones' MaxItems and answers NextMarker", async () => {
    const first = await route53.send(new ListHostedZonesCommand({ MaxItems: 4 }));
    expect(first.HostedZones!.map((z) => bare(z.Id!))).toEqual(seeded.zoneIds.slice(0, 4));
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeTruthy();
  });

  it("route53HostedZones: walks with random page sizes, resumed after random edges, equal ListHostedZones' listing", async () => {
    const expected = zones.map((z) => bare(z.Id!));
    expect(expected.length).toBeGreaterThan(10);
    await checkRandomWalks(gateway, ZONES("id hostedZoneId"), ["route53HostedZones"], { maxFirst: 6, runs: 4 }, (walk) => {
      expect(walk.nodes.map((n: any) => n.hostedZoneId)).toEqual(expected);
      expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
    });
  });

  it("route53HostedZones: a walk of pages of 4 costs about one ListHostedZones call a page, never one per zone", async () => {
    const walk = await walkConnection(gateway, ZONES("hostedZoneId"), ["route53HostedZones"], { firsts: [4] });
    expect(walk.nodes).toHaveLength(zones.length);
    expect(walk.operations.ListHostedZones).toBeLessThanOrEqual(Math.ceil(zones.length / 4) + 1);
    // nothing selected needs a zone's own call
    expect([walk.operations.GetHostedZone, walk.operations.ListResourceRecordSets]).toEqual([undefined, undefined]);
  });

  it("route53HostedZones: a walk backward from the end equals the forward listing reversed", async () => {
    const { forward, backward } = await walkThereAndBack(gateway, ZONES("hostedZoneId"), ["route53HostedZones"], { first: 5, last: 3 });
    expect(forward.map((n) => n.hostedZoneId)).toEqual(zones.map((z) => bare(z.Id!)));
    expect(backward).toEqual(forward);
  });

  it("route53HostedZones: every field equals ListHostedZones; totalCount, fetchedAt and failedSources", async () => {
    const data = dataOf(
      await gateway.query(`{ route53HostedZones(first: 100) { totalCount fetchedAt failedSources { accountName accountId region code }
        edges { node { id hostedZoneId name privateZone resourceRecordSetCount accountId accountName } } } }`),
      "route53HostedZones",
    );
    const connection = data.route53HostedZones;
    expect(connection.totalCount).toBe(zones.length);
    expect(Number.isNaN(Date.parse(connection.fetchedAt))).toBe(false);
    expect(connection.failedSources).toEqual([]);
    expect(connection.edges.map((e: any) => ({ ...e.node, id: undefined }))).toEqual(
      zones.map((z) => ({
        id: undefined,
        hostedZoneId: bare(z.Id!),
        name: z.Name,
        privateZone: z.Config?.PrivateZone ?? false,
        resourceRecordSetCount: z.ResourceRecordSetCount ?? null,
        accountId: ACCOUNT,
        accountName: "default",
      })),
    );
    expect(connection.edges.filter((e: any) => e.node.privateZone).map((e: any) => e.node.hostedZoneId)).toEqual(seeded.privateZoneIds);
    // ResourceRecordSetCount is what the record sets listing holds
    for (const e of connection.edges) expect(e.node.resourceRecordSetCount).toBe(recordSets.get(e.node.hostedZoneId)!.length);
  });

  it("route53HostedZones is global: it takes `accounts`, not `region` or `regions`; route53HostedZone takes `account`", async () => {
    const data = dataOf(await gateway.query(`{ __type(name: "Query") { fields { name args { name } } } }`), "introspection");
    const args = (field: string) => data.__type.fields.find((f: any) => f.name === field)?.args.map((a: any) => a.name);
    expect(args("route53HostedZones")).toEqual(expect.arrayContaining(["accounts", "first", "after", "last", "before"]));
    expect(args("route53HostedZones")).not.toContain("region");
    expect(args("route53HostedZones")).not.toContain("regions");
    expect(args("route53HostedZone")).toEqual(expect.arrayContaining(["hostedZoneId", "account"]));
    expect(args("route53HostedZone")).not.toContain("region");
  });

  it("route53HostedZone: finds every zone by its bare id, fields as GetHostedZone says; node(id:) refetches it; null for a missing id", async () => {
    for (const zoneId of seeded.zoneIds) {
      const aws = (await route53.send(new GetHostedZoneCommand({ Id: zoneId }))).HostedZone!;
      const data = dataOf(
        await gateway.query(`query($id: String!) { route53HostedZone(hostedZoneId: $id) { id hostedZoneId name privateZone resourceRecordSetCount accountId accountName } }`, { id: zoneId }),
        zoneId,
      );
      const { id, ...fields } = data.route53HostedZone;
      expect(fields).toEqual({
        hostedZoneId: zoneId,
        name: aws.Name,
        privateZone: aws.Config?.PrivateZone ?? false,
        resourceRecordSetCount: aws.ResourceRecordSetCount ?? null,
        accountId: ACCOUNT,
        accountName: "default",
      });
      const node = dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { id } }`, { id }), `node ${zoneId}`);
      expect(node.node).toEqual({ id });
    }
    await expect(route53.send(new GetHostedZoneCommand({ Id: "Z0000000000000NOSUCH" }))).rejects.toMatchObject({ name: "NoSuchHostedZone" });
    const missing = await gateway.query(`{ route53HostedZone(hostedZoneId: "Z0000000000000NOSUCH") { hostedZoneId } }`);
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ route53HostedZone: null });
  });

  it("recordSets: walks of the big zone with random page sizes, resumed after random edges, equal ListResourceRecordSets' listing", async () => {
    const expected = recordSets.get(seeded.bigZoneId)!.map(key);
    await checkRandomWalks(gateway, RECORD_SETS("name type setIdentifier"), ["route53HostedZone", "recordSets"], { maxFirst: 40, runs: 3, variables: { zone: seeded.bigZoneId } }, (walk) => {
      expect(walk.nodes.map(key)).toEqual(expected);
    });
  });

  it("recordSets: pages of 2 resume inside every group of record sets sharing a name and type, exactly once", async () => {
    // pages of 2 over groups of 8, 3, 3, 2 and 3 end inside each group; so does resuming after each edge
    const expected = recordSets.get(seeded.bigZoneId)!.map(key);
    const walk = await walkConnection(gateway, RECORD_SETS("name type setIdentifier"), ["route53HostedZone", "recordSets"], {
      firsts: [2, 3, 2],
      variables: { zone: seeded.bigZoneId },
      resumeAt: (count, page) => (page % 2) % count,
    });
    expect(walk.nodes.map(key)).toEqual(expected);
  });

  it("recordSets: a walk of pages of 10 costs at most about one ListResourceRecordSets call a page", async () => {
    const walk = await walkConnection(gateway, RECORD_SETS("name type setIdentifier"), ["route53HostedZone", "recordSets"], { firsts: [10], variables: { zone: seeded.bigZoneId } });
    expect(walk.nodes).toHaveLength(150);
    expect(walk.operations.ListResourceRecordSets ?? 0).toBeLessThanOrEqual(Math.ceil(150 / 10) + 2);
  });

  it("recordSets: a walk backward from the end equals the forward listing reversed", async () => {
    const { forward, backward } = await walkThereAndBack(gateway, RECORD_SETS("name type setIdentifier"), ["route53HostedZone", "recordSets"], { first: 17, last: 7, variables: { zone: seeded.bigZoneId } });
    expect(forward.map(key)).toEqual(recordSets.get(seeded.bigZoneId)!.map(key));
    expect(backward).toEqual(forward);
  });

  it("recordSets: every field equals what ListResourceRecordSets says, alias targets included", async () => {
    const data = dataOf(
      await gateway.query(RECORD_SETS("name type ttl setIdentifier values aliasTarget { dnsName hostedZoneId evaluateTargetHealth }"), { zone: seeded.bigZoneId, first: 200 }),
      "recordSets",
    );
    const nodes = data.route53HostedZone.recordSets.edges.map((e: any) => e.node);
    expect(nodes).toEqual(
      recordSets.get(seeded.bigZoneId)!.map((r) => ({
        name: r.Name,
        type: r.Type,
        // Route 53 leaves TTL out of alias record sets (null); moto says 0, and the gateway serves what it is told
        ttl: r.TTL ?? null,
        setIdentifier: r.SetIdentifier ?? null,
        values: (r.ResourceRecords ?? []).map((v) => v.Value),
        aliasTarget: r.AliasTarget ? { dnsName: r.AliasTarget.DNSName, hostedZoneId: r.AliasTarget.HostedZoneId, evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth } : null,
      })),
    );
    expect(nodes.filter((n: any) => n.aliasTarget?.evaluateTargetHealth === true).length).toBeGreaterThan(0);
    expect(nodes.find((n: any) => n.aliasTarget?.hostedZoneId === seeded.bigZoneId)).toBeTruthy();
    expect(nodes.filter((n: any) => n.setIdentifier !== null).length).toBe(seeded.groups.reduce((sum, g) => sum + g.size, 0));
  });

  it("recordSets: totalCount of every zone equals the SDK's count, and each zone's first records come through the list connection", async () => {
    const data = dataOf(
      await gateway.query(`{ route53HostedZones(first: 20) { edges { node { hostedZoneId recordSets(first: 3) { totalCount fetchedAt failedSources { code } edges { node { name type setIdentifier } } } } } } }`),
      "recordSets of every zone",
    );
    expect(data.route53HostedZones.edges).toHaveLength(zones.length);
    for (const { node } of data.route53HostedZones.edges) {
      const expected = recordSets.get(node.hostedZoneId)!;
      expect(node.recordSets.totalCount, node.hostedZoneId).toBe(expected.length);
      expect(node.recordSets.edges.map((e: any) => key(e.node))).toEqual(expected.slice(0, 3).map(key));
      expect(node.recordSets.failedSources).toEqual([]);
      expect(Number.isNaN(Date.parse(node.recordSets.fetchedAt))).toBe(false);
    }
  });

  it("recordSets: a private zone's record sets, PTR records included, equal the SDK's", async () => {
    const reverse = zones.find((z) => z.Name!.endsWith("in-addr.arpa."))!;
    const walk = await walkConnection(gateway, RECORD_SETS("name type ttl values"), ["route53HostedZone", "recordSets"], { firsts: [2], variables: { zone: bare(reverse.Id!) } });
    expect(walk.nodes).toEqual(recordSets.get(bare(reverse.Id!))!.map((r) => ({ name: r.Name, type: r.Type, ttl: r.TTL ?? null, values: (r.ResourceRecords ?? []).map((v) => v.Value) })));
    expect(walk.nodes.some((n: any) => n.type === "PTR")).toBe(true);
  });

  it("recordSets of a zone over 300: moto pages it by NextRecordName + NextRecordType, here between two record sets of one name; walks equal the SDK's listing", async () => {
    const expected = recordSets.get(bulkZoneId)!;
    expect(expected).toHaveLength(2 * BULK_HOSTS + 3);
    const first = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: bulkZoneId, MaxItems: 300 }));
    expect(first.IsTruncated).toBe(true);
    // the next page starts at the other type of the 300th record set's name
    expect(first.NextRecordName).toBe(first.ResourceRecordSets![299]!.Name);
    expect(first.NextRecordType).not.toBe(first.ResourceRecordSets![299]!.Type);
    for (const firsts of [[299], [7, 40], [300, 1], [150]]) {
      const walk = await walkConnection(gateway, RECORD_SETS("name type setIdentifier"), ["route53HostedZone", "recordSets"], { firsts, variables: { zone: bulkZoneId }, resumeAt: (count) => count - 1 });
      expect(walk.nodes.map(key), JSON.stringify(firsts)).toEqual(expected.map(key));
      // two AWS pages, each asked once and held for the GraphQL pages cut from it
      expect(walk.operations.ListResourceRecordSets, JSON.stringify(firsts)).toBe(2);
    }
    const { forward, backward } = await walkThereAndBack(gateway, RECORD_SETS("name type"), ["route53HostedZone", "recordSets"], { first: 120, last: 50, variables: { zone: bulkZoneId } });
    expect(backward).toEqual(forward);
    const count = dataOf(await gateway.query(`query($zone: String!) { route53HostedZone(hostedZoneId: $zone) { resourceRecordSetCount recordSets(first: 1) { totalCount } } }`, { zone: bulkZoneId }), "count");
    expect(count.route53HostedZone).toEqual({ resourceRecordSetCount: expected.length, recordSets: { totalCount: expected.length } });
  });

  it("recordSets: every record set is a Node that node(id:) refetches, grouped, alias and wildcard ones included, and links back to its zone", async () => {
    const data = dataOf(
      await gateway.query(RECORD_SETS("id recordSetKey hostedZoneId name type ttl setIdentifier values aliasTarget { dnsName hostedZoneId evaluateTargetHealth } hostedZone { hostedZoneId }"), {
        zone: seeded.bigZoneId,
        first: 200,
      }),
      "record sets",
    );
    const nodes = data.route53HostedZone.recordSets.edges.map((e: any) => e.node);
    expect(new Set(nodes.map((n: any) => n.id)).size).toBe(nodes.length);
    expect(new Set(nodes.map((n: any) => n.recordSetKey)).size).toBe(nodes.length);
    for (const n of nodes) {
      expect(n.hostedZoneId).toBe(seeded.bigZoneId);
      expect(n.hostedZone).toEqual({ hostedZoneId: seeded.bigZoneId });
    }
    // every member of every group, the aliases, the wildcard, and a plain record or two
    const picked = nodes.filter((n: any, i: number) => n.setIdentifier !== null || n.aliasTarget !== null || n.name.startsWith("*") || i % 25 === 0);
    expect(picked.length).toBeGreaterThan(seeded.groups.reduce((sum, g) => sum + g.size, 0) + 4);
    const ids = picked.map((n: any) => n.id);
    const refetched = dataOf(
      await gateway.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Route53RecordSet { recordSetKey hostedZoneId name type ttl setIdentifier values aliasTarget { dnsName hostedZoneId evaluateTargetHealth } hostedZone { hostedZoneId } } } }`, { ids }),
      "nodes",
    );
    expect(refetched.nodes).toEqual(picked);
    // a record set that is not there: null, no error
    const gone = picked.find((n: any) => n.setIdentifier !== null);
    const goneId = Buffer.from(`${Buffer.from(gone.id, "base64").toString("utf8")}-gone`).toString("base64url");
    const missing = await gateway.query(`query($id: ID!) { node(id: $id) { id } }`, { id: goneId });
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ node: null });
  });
});
