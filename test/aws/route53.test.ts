// Route 53 as AWS documents it, where moto differs: ListResourceRecordSets honours
// StartRecordIdentifier and answers NextRecordIdentifier when the next record set has a
// SetIdentifier, so a page may end inside a group of record sets sharing a name and type (moto
// starts such a group again: see test/integration/services/route53.test.ts). Alias record sets
// have no TTL. ListHostedZones' NextMarker is a zone id.
import {
  GetHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ListHostedZonesCommandInput,
  type ListResourceRecordSetsCommandInput,
  type ResourceRecordSet,
} from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { awsError, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const ZONE = "Z0123456789BIGZONE";
const invalid = (message: string) => awsError("InvalidInput", message);
const noSuchZone = () => awsError("NoSuchHostedZone", "No hosted zone found", 404);

/** 700 record sets in Route 53's order: a weighted group of 40 spans the end of the first 300. */
const records: ResourceRecordSet[] = [
  { Name: "example.com.", Type: "A", AliasTarget: { DNSName: "d111111abcdef8.cloudfront.net.", HostedZoneId: "Z2FDTNDATAQYW2", EvaluateTargetHealth: false } },
  { Name: "example.com.", Type: "NS", TTL: 172800, ResourceRecords: [{ Value: "ns-1.awsdns-01.org." }] },
  { Name: "example.com.", Type: "SOA", TTL: 900, ResourceRecords: [{ Value: "ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" }] },
  ...Array.from({ length: 277 }, (_, i): ResourceRecordSet => ({ Name: `a-${String(i).padStart(3, "0")}.example.com.`, Type: "A", TTL: 60, ResourceRecords: [{ Value: `10.0.${i >> 8}.${i & 255}` }] })),
  ...Array.from({ length: 40 }, (_, i): ResourceRecordSet => ({ Name: "api.example.com.", Type: "A", TTL: 60, SetIdentifier: `weight-${String(i).padStart(2, "0")}`, Weight: i, ResourceRecords: [{ Value: `10.1.0.${i}` }] })),
  ...Array.from({ length: 380 }, (_, i): ResourceRecordSet => ({ Name: `b-${String(i).padStart(3, "0")}.example.com.`, Type: "TXT", TTL: 300, ResourceRecords: [{ Value: `"n=${i}"` }] })),
];
const zones = Array.from({ length: 230 }, (_, i) => ({ Id: `/hostedzone/Z${String(i).padStart(12, "0")}`, Name: `zone-${i}.example.`, CallerReference: `r${i}`, Config: { PrivateZone: false }, ResourceRecordSetCount: 2 }));
const key = (r: { name?: string; Name?: string; type?: string; Type?: string; setIdentifier?: string | null; SetIdentifier?: string }) =>
  `${r.name ?? r.Name} ${r.type ?? r.Type} ${r.setIdentifier ?? r.SetIdentifier ?? ""}`;

const route53 = mockClient(Route53Client);

/** ListResourceRecordSets as Route 53 answers it: the start is name, type and (within a group) identifier; MaxItems at most 300. */
function route53AsAws() {
  route53.on(GetHostedZoneCommand).callsFake(({ Id }: { Id: string }) => {
    if (Id !== ZONE) throw noSuchZone();
    return { HostedZone: { Id: `/hostedzone/${ZONE}`, Name: "example.com.", CallerReference: "big", ResourceRecordSetCount: records.length } };
  });
  route53.on(ListResourceRecordSetsCommand).callsFake((input: ListResourceRecordSetsCommandInput) => {
    if (input.HostedZoneId !== ZONE) throw noSuchZone();
    if (input.StartRecordType && !input.StartRecordName) throw invalid("StartRecordType without StartRecordName");
    if (input.StartRecordIdentifier && !input.StartRecordType) throw invalid("StartRecordIdentifier without StartRecordType");
    const maxItems = Math.min(input.MaxItems ?? 300, 300);
    const from =
      input.StartRecordName === undefined
        ? 0
        : records.findIndex(
            (r) => r.Name === input.StartRecordName && (!input.StartRecordType || r.Type === input.StartRecordType) && (!input.StartRecordIdentifier || r.SetIdentifier === input.StartRecordIdentifier),
          );
    if (from < 0) throw invalid(`no record set at ${input.StartRecordName} ${input.StartRecordType} ${input.StartRecordIdentifier}`);
    const page = records.slice(from, from + maxItems);
    const next = records[from + maxItems];
    return {
      ResourceRecordSets: page,
      IsTruncated: next !== undefined,
      NextRecordName: next?.Name,
      NextRecordType: next?.Type,
      NextRecordIdentifier: next?.SetIdentifier,
      MaxItems: maxItems,
    };
  });
  route53.on(ListHostedZonesCommand).callsFake((input: ListHostedZonesCommandInput) => {
    const maxItems = Math.min(input.MaxItems ?? 100, 100);
    const from = input.Marker === undefined ? 0 : zones.findIndex((z) => z.Id === `/hostedzone/${input.Marker}`);
    if (from < 0) throw invalid("bad marker");
    const next = zones[from + maxItems];
    return { HostedZones: zones.slice(from, from + maxItems), IsTruncated: next !== undefined, NextMarker: next?.Id.replace("/hostedzone/", ""), Marker: input.Marker, MaxItems: maxItems };
  });
}

const RECORD_SETS = `query($zone: String!, $first: Int, $after: String) { route53HostedZone(hostedZoneId: $zone) {
  recordSets(first: $first, after: $after) { edges { cursor node { id name type ttl setIdentifier } } pageInfo { hasNextPage endCursor } } } }`;

const gateway = useMockedGateway([route53], route53AsAws);

describe("Route 53 as AWS pages it (StartRecordIdentifier honoured, which moto does not)", () => {
  it("walks record sets exactly once across a page that ends inside a weighted group, starting the next page at its identifier", async () => {
    expect(key(records[299]!)).toBe("api.example.com. A weight-19");
    for (const [firsts, resumeAt] of [
      [[7], undefined],
      [[2, 3], (count: number, page: number) => page % count],
      [[299, 1, 300], undefined],
      [[45], (count: number) => Math.floor(count / 2)],
    ] as const) {
      route53.resetHistory();
      const walk = await walkConnection(gateway, RECORD_SETS, ["route53HostedZone", "recordSets"], { firsts: [...firsts], variables: { zone: ZONE }, resumeAt });
      expect(walk.nodes.map(key), JSON.stringify(firsts)).toEqual(records.map(key));
      const calls = route53.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input);
      // every call asks Route 53's largest page, and the one after the first 300 starts inside the group
      expect(calls.every((input) => input.MaxItems === 300)).toBe(true);
      expect(calls).toContainEqual({ HostedZoneId: ZONE, MaxItems: 300, StartRecordName: "api.example.com.", StartRecordType: "A", StartRecordIdentifier: "weight-20" });
      expect(calls).toContainEqual({ HostedZoneId: ZONE, MaxItems: 300, StartRecordName: "b-280.example.com.", StartRecordType: "TXT" });
    }
  });

  it("serves no TTL for an alias record set, and refetches a group's record set by its identifier", async () => {
    const page = await gateway.query(RECORD_SETS, { zone: ZONE, first: 1 });
    expect(page.data!.route53HostedZone.recordSets.edges[0].node).toMatchObject({ name: "example.com.", type: "A", ttl: null, setIdentifier: null });
    const walk = await walkConnection(gateway, RECORD_SETS, ["route53HostedZone", "recordSets"], { firsts: [300], variables: { zone: ZONE } });
    const member = walk.nodes.find((n: any) => n.setIdentifier === "weight-33");
    route53.resetHistory();
    const refetched = await gateway.query(`query($id: ID!) { node(id: $id) { ... on Route53RecordSet { name type setIdentifier } } }`, { id: member.id });
    expect(refetched.data!.node).toEqual({ name: "api.example.com.", type: "A", setIdentifier: "weight-33" });
    expect(route53.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ HostedZoneId: ZONE, StartRecordName: "api.example.com.", StartRecordType: "A", StartRecordIdentifier: "weight-33" }),
    ]);
  });

  it("pages hosted zones by NextMarker, never asking more than 100", async () => {
    const walk = await walkConnection(gateway, `query($first: Int, $after: String) { route53HostedZones(first: $first, after: $after) { edges { cursor node { hostedZoneId } } pageInfo { hasNextPage endCursor } } }`, ["route53HostedZones"], {
      firsts: [100, 60],
    });
    expect(walk.nodes.map((n: any) => n.hostedZoneId)).toEqual(zones.map((z) => z.Id.replace("/hostedzone/", "")));
    const calls = route53.commandCalls(ListHostedZonesCommand).map((c) => c.args[0].input);
    expect(calls.every((input) => input.MaxItems! >= 1 && input.MaxItems! <= 100)).toBe(true);
    expect(calls.map((input) => input.Marker).filter(Boolean)).toContain("Z000000000100");
  });
});
