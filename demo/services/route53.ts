// Seeds Route 53 (global) with public and private hosted zones; one zone holds a realistic mix of
// record sets: plain A/AAAA/CNAME/MX/TXT/CAA/SRV/NS, weighted, latency, failover and geolocation
// groups (several record sets sharing a name and type, told apart by SetIdentifier), a wildcard,
// and alias records (CloudFront, S3 website, a load balancer, a record of the same zone).
import { CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ChangeTagsForResourceCommand,
  Route53Client,
  type Change,
  type ResourceRecordSet,
} from "@aws-sdk/client-route-53";
import { teams, type AwsTarget, type Progress } from "../seed.js";

export interface Route53SeedPlan {
  /** record sets in the big zone, counting the SOA and NS that Route 53 makes with every zone (at least 60) */
  recordSets: number;
  /** public zones beside the big one, a few record sets each */
  publicZones: number;
  /** private zones, associated with a VPC made for them */
  privateZones: number;
  /** the big zone's domain */
  domain?: string;
}

export interface Route53Seeded {
  /** every zone made, bare ids (no /hostedzone/), in creation order */
  zoneIds: string[];
  /** the zone with `recordSets` record sets */
  bigZoneId: string;
  bigZoneName: string;
  privateZoneIds: string[];
  /** the VPC the private zones are associated with */
  vpcId: string;
  /** name and type of each group of record sets told apart by SetIdentifier, with the group's size */
  groups: { name: string; type: string; size: number }[];
}

/** Route 53 is global: its API is signed for us-east-1 whatever the gateway's region. */
const clientConfig = (target: AwsTarget, region = "us-east-1") => ({
  region,
  endpoint: target.endpoint,
  credentials: target.credentials ?? { accessKeyId: "testing", secretAccessKey: "testing" },
});

const bare = (id: string) => id.replace(/^\/hostedzone\//, "");
const create = (set: ResourceRecordSet): Change => ({ Action: "CREATE", ResourceRecordSet: set });
const plain = (Name: string, Type: ResourceRecordSet["Type"], TTL: number, values: string[]): ResourceRecordSet => ({
  Name,
  Type,
  TTL,
  ResourceRecords: values.map((Value) => ({ Value })),
});

const publicDomains = ["shop.example.net", "status.example.org", "docs.example.io", "example.dev", "payments.example.co.uk", "careers.example.com", "brand.example", "api.example.cloud"];
const privateDomains = ["internal.corp", "svc.cluster.local", "10.in-addr.arpa", "db.internal.corp", "cache.internal.corp"];

/** The special record sets of the big zone: groups, aliases, a wildcard and the apex's records. */
function specialRecords(domain: string, zoneId: string): { sets: ResourceRecordSet[]; groups: Route53Seeded["groups"] } {
  const d = (label: string) => (label ? `${label}.${domain}` : domain);
  const sets: ResourceRecordSet[] = [];
  const groups: Route53Seeded["groups"] = [];
  // weighted: eight colours of one API, more than a small page holds
  const colours = ["blue", "green", "canary", "shadow", "legacy", "eu-pilot", "perf", "dr"];
  colours.forEach((colour, i) =>
    sets.push({ ...plain(d("api"), "A", 60, [`10.20.${i}.10`, `10.20.${i}.11`]), SetIdentifier: colour, Weight: [50, 40, 5, 0, 5, 0, 0, 0][i] }),
  );
  groups.push({ name: d("api"), type: "A", size: colours.length });
  // weighted CNAME
  ["primary", "secondary", "tertiary"].forEach((id, i) => sets.push({ ...plain(d("www"), "CNAME", 300, [`www-${id}.cdn.${domain}`]), SetIdentifier: id, Weight: [80, 15, 5][i] }));
  groups.push({ name: d("www"), type: "CNAME", size: 3 });
  // latency
  (["us-east-1", "eu-west-1", "ap-southeast-2"] as const).forEach((region, i) =>
    sets.push({ ...plain(d("app"), "A", 60, [`203.0.113.${10 + i}`]), SetIdentifier: `app-${region}`, Region: region }),
  );
  groups.push({ name: d("app"), type: "A", size: 3 });
  // failover
  sets.push({ ...plain(d("status"), "A", 30, ["198.51.100.7"]), SetIdentifier: "status-primary", Failover: "PRIMARY" });
  sets.push({ ...plain(d("status"), "A", 30, ["198.51.100.8"]), SetIdentifier: "status-secondary", Failover: "SECONDARY" });
  groups.push({ name: d("status"), type: "A", size: 2 });
  // geolocation
  sets.push({ ...plain(d("cdn"), "CNAME", 300, [`eu.cdn-provider.example`]), SetIdentifier: "cdn-europe", GeoLocation: { ContinentCode: "EU" } });
  sets.push({ ...plain(d("cdn"), "CNAME", 300, [`na.cdn-provider.example`]), SetIdentifier: "cdn-north-america", GeoLocation: { ContinentCode: "NA" } });
  sets.push({ ...plain(d("cdn"), "CNAME", 300, [`global.cdn-provider.example`]), SetIdentifier: "cdn-default", GeoLocation: { CountryCode: "*" } });
  groups.push({ name: d("cdn"), type: "CNAME", size: 3 });
  // aliases: CloudFront at the apex, an S3 website, a load balancer (health evaluated), a record of this zone
  sets.push({ Name: d(""), Type: "A", AliasTarget: { DNSName: "d111111abcdef8.cloudfront.net.", HostedZoneId: "Z2FDTNDATAQYW2", EvaluateTargetHealth: false } });
  sets.push({ Name: d("static"), Type: "A", AliasTarget: { DNSName: "s3-website-us-east-1.amazonaws.com.", HostedZoneId: "Z3AQBSTGFYJSTF", EvaluateTargetHealth: false } });
  sets.push({
    Name: d("lb"),
    Type: "A",
    AliasTarget: { DNSName: "dualstack.web-prod-1234567890.us-east-1.elb.amazonaws.com.", HostedZoneId: "Z35SXDOTRQ7X7K", EvaluateTargetHealth: true },
  });
  sets.push({ Name: d("origin"), Type: "A", AliasTarget: { DNSName: `lb.${domain}.`, HostedZoneId: zoneId, EvaluateTargetHealth: true } });
  // the apex's mail, policy and verification records, a wildcard, a delegation, service records
  sets.push(plain(d(""), "MX", 3600, [`10 mx1.mail.${domain}`, `20 mx2.mail.${domain}`, `30 backup-mx.mail-relay.example`]));
  sets.push(plain(d(""), "TXT", 300, ['"v=spf1 include:amazonses.com ~all"', '"google-site-verification=abc123def456"', '"apple-domain-verification=XyZ987"']));
  sets.push(plain(d(""), "CAA", 3600, ['0 issue "amazon.com"', '0 issuewild "amazon.com"', `0 iodef "mailto:security@${domain}"`]));
  sets.push(plain(d("_dmarc"), "TXT", 300, [`"v=DMARC1; p=quarantine; rua=mailto:dmarc@${domain}"`]));
  for (const selector of ["s1", "s2", "s3"]) sets.push(plain(d(`${selector}._domainkey`), "CNAME", 1800, [`${selector}.dkim.amazonses.com`]));
  sets.push(plain(d("_sip._tcp"), "SRV", 600, [`10 60 5060 sip1.${domain}`, `20 40 5060 sip2.${domain}`]));
  sets.push(plain(d("_xmpp-server._tcp"), "SRV", 600, [`5 0 5269 xmpp.${domain}`]));
  sets.push(plain(d("dev"), "NS", 172800, ["ns-101.awsdns-12.com", "ns-702.awsdns-23.net", "ns-1303.awsdns-34.org", "ns-1804.awsdns-45.co.uk"]));
  sets.push(plain(d("*.preview"), "A", 60, ["192.0.2.50"]));
  return { sets, groups };
}

/** Plain host records to fill the big zone: A, AAAA, CNAME and TXT by team, with varied TTLs and value counts. */
function hostRecords(domain: string, count: number): ResourceRecordSet[] {
  const sets: ResourceRecordSet[] = [];
  for (let i = 0; sets.length < count; i += 1) {
    const team = teams[i % teams.length]!;
    const n = String(Math.floor(i / 4) + 1).padStart(2, "0");
    const ttl = [60, 300, 3600, 86400][i % 4]!;
    switch (i % 4) {
      case 0:
        sets.push(plain(`${team}-web-${n}.${domain}`, "A", ttl, Array.from({ length: 1 + (i % 3) }, (_, v) => `10.${i % 5}.${Math.floor(i / 4)}.${10 + v}`)));
        break;
      case 1:
        sets.push(plain(`${team}-web-${n}.${domain}`, "AAAA", ttl, [`2001:db8:${i.toString(16)}::${(i % 7) + 1}`]));
        break;
      case 2:
        sets.push(plain(`${team}-svc-${n}.${domain}`, "CNAME", ttl, [`${team}-web-${n}.${domain}`]));
        break;
      default:
        sets.push(plain(`_${team}-owner-${n}.${domain}`, "TXT", ttl, [`"team=${team}"`, `"ticket=OPS-${1000 + i}"`]));
    }
  }
  return sets;
}

async function changeAll(route53: Route53Client, zoneId: string, sets: ResourceRecordSet[]): Promise<void> {
  // a change batch holds at most 1,000 changes; 100 a batch keeps each request small
  for (let start = 0; start < sets.length; start += 100) {
    await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: "seed", Changes: sets.slice(start, start + 100).map(create) } }));
  }
}

/** Hosted zones with record sets; the big zone first, then public, then private zones. */
export async function seedRoute53(target: AwsTarget, plan: Route53SeedPlan, progress: Progress = () => {}): Promise<Route53Seeded> {
  if (plan.recordSets < 60) throw new Error("seedRoute53: recordSets must be at least 60 (the big zone's special records)");
  const route53 = new Route53Client(clientConfig(target));
  const ec2 = new EC2Client(clientConfig(target));
  const stamp = Date.now().toString(36);
  try {
    const domain = plan.domain ?? "example.com";
    const zoneIds: string[] = [];
    const tag = async (zoneId: string, tags: Record<string, string>) =>
      route53.send(new ChangeTagsForResourceCommand({ ResourceType: "hostedzone", ResourceId: zoneId, AddTags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));

    const big = await route53.send(new CreateHostedZoneCommand({ Name: domain, CallerReference: `seed-${stamp}-big`, HostedZoneConfig: { Comment: "the company's public zone", PrivateZone: false } }));
    const bigZoneId = bare(big.HostedZone!.Id!);
    zoneIds.push(bigZoneId);
    await tag(bigZoneId, { team: "platform", env: "prod" });
    const { sets: special, groups } = specialRecords(domain, bigZoneId);
    // Route 53 made SOA and NS with the zone
    await changeAll(route53, bigZoneId, [...special, ...hostRecords(domain, plan.recordSets - 2 - special.length)]);
    progress(`Route 53: ${domain} with ${plan.recordSets} record sets`);

    for (let z = 0; z < plan.publicZones; z += 1) {
      const name = (z >= publicDomains.length ? `${Math.floor(z / publicDomains.length)}.` : "") + publicDomains[z % publicDomains.length]!;
      const zone = await route53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `seed-${stamp}-pub-${z}`, HostedZoneConfig: { Comment: `${teams[z % teams.length]} site` } }));
      const zoneId = bare(zone.HostedZone!.Id!);
      zoneIds.push(zoneId);
      await tag(zoneId, { team: teams[z % teams.length]!, env: "prod" });
      const sets: ResourceRecordSet[] = [plain(`www.${name}`, "CNAME", 300, [`${name}`]), plain(name, "A", 300, [`198.51.100.${20 + z}`])];
      for (let r = 0; r < z % 5; r += 1) sets.push(plain(`host-${r}.${name}`, "A", 60 * (r + 1), [`198.51.100.${100 + r}`]));
      if (z % 2 === 0) sets.push(plain(name, "TXT", 300, [`"v=spf1 -all"`]));
      await changeAll(route53, zoneId, sets);
    }

    const vpc = await ec2.send(
      new CreateVpcCommand({ CidrBlock: "10.200.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "shared-services" }, { Key: "team", Value: "platform" }] }] }),
    );
    const vpcId = vpc.Vpc!.VpcId!;
    const privateZoneIds: string[] = [];
    for (let z = 0; z < plan.privateZones; z += 1) {
      const name = (z >= privateDomains.length ? `${Math.floor(z / privateDomains.length)}.` : "") + privateDomains[z % privateDomains.length]!;
      const zone = await route53.send(
        new CreateHostedZoneCommand({
          Name: name,
          CallerReference: `seed-${stamp}-priv-${z}`,
          VPC: { VPCRegion: "us-east-1", VPCId: vpcId },
          HostedZoneConfig: { Comment: "internal names", PrivateZone: true },
        }),
      );
      const zoneId = bare(zone.HostedZone!.Id!);
      zoneIds.push(zoneId);
      privateZoneIds.push(zoneId);
      await tag(zoneId, { team: "platform", env: "internal" });
      const sets: ResourceRecordSet[] = name.endsWith("in-addr.arpa")
        ? [1, 2, 3].map((h) => plain(`${h}.0.200.${name}`, "PTR", 3600, [`host-${h}.internal.corp`]))
        : ["db", "cache", "queue"].slice(0, 1 + (z % 3)).map((h, i) => plain(`${h}.${name}`, "A", 60, [`10.200.${z}.${10 + i}`]));
      await changeAll(route53, zoneId, sets);
    }
    progress(`Route 53: ${zoneIds.length} hosted zones (${plan.privateZones} private)`);
    return { zoneIds, bigZoneId, bigZoneName: `${domain}.`, privateZoneIds, vpcId, groups };
  } finally {
    route53.destroy();
    ec2.destroy();
  }
}
