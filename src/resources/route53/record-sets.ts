// Route 53 record sets, listed only under their hosted zone: ListResourceRecordSets { HostedZoneId },
// whose next page starts at NextRecordName + NextRecordType + NextRecordIdentifier (the last only
// when the next record set has a SetIdentifier: weighted, latency, failover, geolocation and
// multivalue groups share a name and type), while IsTruncated.
//
// Every call asks MaxItems 300, Route 53's largest page: Route 53 allows an account 5 calls a
// second, all operations together, so a few full calls, held and cut into GraphQL pages by the
// engine, beat a call per GraphQL page. (moto ignores StartRecordIdentifier: on moto a zone of more
// than 300 record sets whose page ends inside such a group would repeat the group; see the tests.)
import type { AliasTarget, ResourceRecordSet, RRType } from "@aws-sdk/client-route-53";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { valueType, type FieldKit } from "../../graphql/kit/fields.js";
import { links, resource } from "../../graphql/kit/resource.js";
import { HOSTED_ZONE_ID, Route53HostedZone } from "./hosted-zones.js";

const MAX_ITEMS = 300;

/** A record set with the zone it was listed in (ListResourceRecordSets names only the record sets). */
type ZoneRecordSet = ResourceRecordSet & { HostedZoneId: string };

/**
 * What tells a record set apart: its zone, name, type and set identifier, space-separated. Route 53
 * writes any space of a name as `\040`, and a type is letters: only the set identifier may hold one.
 */
const RECORD_SET_KEY = /^(\S+) (\S+) ([A-Z0-9]{1,10})(?: (.+))?$/s;
const recordSetKey = (r: ZoneRecordSet) => `${r.HostedZoneId} ${r.Name ?? ""} ${r.Type ?? ""}${r.SetIdentifier ? ` ${r.SetIdentifier}` : ""}`;

const Route53AliasTarget = valueType(
  "Route53AliasTarget",
  (f: FieldKit<AliasTarget>) => ({
    dnsName: f.requiredString((a) => a.DNSName ?? "", "as Route 53 gives it, often with a trailing dot"),
    hostedZoneId: f.requiredString((a) => a.HostedZoneId ?? "", "the target's hosted zone: CloudFront's, a load balancer's, an S3 website endpoint's, or a zone's own"),
    evaluateTargetHealth: f.boolean((a) => a.EvaluateTargetHealth),
  }),
  "where an alias record set points instead of holding values",
);

export const Route53RecordSet = resource({
  name: "Route53RecordSet",
  scope: "global",
  list: {
    service: "route53",
    command: (input) => namedCommand("route53", "ListResourceRecordSetsCommand", { ...input, HostedZoneId: input.HostedZoneId }),
    tokens: tokens.fields(
      [
        ["StartRecordName", "NextRecordName"],
        ["StartRecordType", "NextRecordType"],
        ["StartRecordIdentifier", "NextRecordIdentifier"],
      ],
      "IsTruncated",
    ),
    pageSize: { member: "MaxItems", min: MAX_ITEMS, max: MAX_ITEMS },
    items: (out, input): ZoneRecordSet[] | undefined => out.ResourceRecordSets?.map((r) => ({ ...r, HostedZoneId: String(input.HostedZoneId) })),
  },
  id: {
    field: "recordSetKey",
    pattern: RECORD_SET_KEY,
    lookup: {
      // AWS starts the page at the record set itself. A server that ignores StartRecordIdentifier
      // (moto) starts at its group's first, so with a set identifier the page is asked whole.
      each: async (key, send): Promise<ZoneRecordSet | undefined> => {
        const [, HostedZoneId, name, type, setIdentifier] = RECORD_SET_KEY.exec(key) ?? [];
        if (!HostedZoneId || !HOSTED_ZONE_ID.test(HostedZoneId) || !name || !type) return undefined;
        const out = await send(
          namedCommand("route53", "ListResourceRecordSetsCommand", {
            HostedZoneId,
            StartRecordName: name,
            StartRecordType: type as RRType,
            ...(setIdentifier === undefined ? { MaxItems: 1 } : { StartRecordIdentifier: setIdentifier, MaxItems: MAX_ITEMS }),
          }),
        );
        const found = out.ResourceRecordSets?.find((r) => r.Name === name && r.Type === type && r.SetIdentifier === setIdentifier);
        return found && { ...found, HostedZoneId };
      },
    },
  },
  fields: (f) => ({
    recordSetKey: f.requiredString(recordSetKey, "hostedZoneId, name, type and setIdentifier (when there is one), space-separated: what tells a record set apart"),
    hostedZoneId: f.requiredString((r) => r.HostedZoneId),
    name: f.requiredString((r) => r.Name ?? "", "with its trailing dot, as Route 53 writes it (`\\052` for a wildcard)"),
    type: f.requiredString((r) => r.Type ?? ""),
    ttl: f.int((r) => r.TTL, "seconds; null for alias record sets"),
    setIdentifier: f.string((r) => r.SetIdentifier, "tells apart the record sets of a weighted, latency, failover, geolocation or multivalue group"),
    values: f.strings((r) => r.ResourceRecords?.map((v) => v.Value), "the records' values; empty for an alias record set"),
    aliasTarget: f.value(Route53AliasTarget, (r) => r.AliasTarget),
    weight: f.int((r) => r.Weight, "a weighted record set's weight"),
    failover: f.string((r) => r.Failover, "PRIMARY or SECONDARY"),
    healthCheckId: f.string((r) => r.HealthCheckId),
  }),
});

links(Route53HostedZone, (l) => ({
  recordSets: l.children(() => Route53RecordSet, (zone) => ({ HostedZoneId: zone.hostedZoneId }), "the zone's record sets, in Route 53's order (names by their labels reversed, then type)"),
}));

links(Route53RecordSet, (l) => ({
  hostedZone: l.one(() => Route53HostedZone, (r) => r.hostedZoneId),
}));
