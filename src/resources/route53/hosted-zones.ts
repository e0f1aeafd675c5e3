// Route 53 hosted zones (global: one listing per account, signed for us-east-1 by the SDK whatever
// the region asked): ListHostedZones (Marker -> NextMarker while IsTruncated, MaxItems 1..100;
// AWS caps at 100, moto does not, so the gateway never asks more). A zone is looked up alone with
// GetHostedZone (Route 53 has no batch get): NoSuchHostedZone is NOT_FOUND, so null.
import type { HostedZone } from "@aws-sdk/client-route-53";
import { afterType } from "../../graphql/kit/arns.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { resource } from "../../graphql/kit/resource.js";

/** A hosted zone id, bare (`Z1D633PJN98FT9`): AWS's answers carry it as `/hostedzone/<id>`. */
export const HOSTED_ZONE_ID = /^[A-Z0-9]{1,32}$/;

export const bareZoneId = (id: string | undefined) => (id ?? "").replace(/^\/hostedzone\//, "");

export const Route53HostedZone = resource({
  name: "Route53HostedZone",
  scope: "global",
  list: {
    service: "route53",
    command: (input) => namedCommand("route53", "ListHostedZonesCommand", input),
    tokens: tokens.truncated("Marker", "NextMarker", "IsTruncated"),
    pageSize: { member: "MaxItems", min: 1, max: 100 },
    items: (out) => out.HostedZones,
  },
  query: { list: "route53HostedZones", single: "route53HostedZone" },
  id: {
    field: "hostedZoneId",
    pattern: HOSTED_ZONE_ID,
    lookup: { each: async (id, send): Promise<HostedZone | undefined> => (await send(namedCommand("route53", "GetHostedZoneCommand", { Id: id }))).HostedZone },
  },
  fields: (f) => ({
    hostedZoneId: f.requiredString((z) => bareZoneId(z.Id), "the bare id, without `/hostedzone/`"),
    name: f.requiredString((z) => z.Name ?? "", "the domain, with its trailing dot (`example.com.`)"),
    privateZone: f.boolean((z) => z.Config?.PrivateZone ?? false),
    resourceRecordSetCount: f.int((z) => z.ResourceRecordSetCount, "record sets in the zone, its SOA and NS included"),
    comment: f.string((z) => z.Config?.Comment),
  }),
  arn: { type: "route53:hostedzone", id: afterType, of: { build: (z) => `arn:aws:route53:::hostedzone/${z.hostedZoneId}` } },
});
