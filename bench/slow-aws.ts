// An AWS endpoint for the fan-out bench: EC2's DescribeInstances and DescribeVolumes in any region
// (the region read from the request's signature), STS's AssumeRole and GetCallerIdentity, each
// answered after a fixed delay however many calls are under way, as separate AWS regions would.
// moto answers one call at a time, so 17 calls at once there take 17 times its own work.
import { createServer, type IncomingMessage } from "node:http";

export interface SlowAwsOptions {
  delayMs: number;
  /** instances in every region of every account: one page of up to MaxResults of them */
  instancesPerRegion: (region: string) => number;
  /** volumes in every region of every account */
  volumesPerRegion: (region: string) => number;
}

export interface SlowAws {
  url: string;
  /** calls by action, since the last reset */
  calls: Map<string, number>;
  /** the most calls under way at once, since the last reset */
  mostInFlight: number;
  reset(): void;
  close(): Promise<void>;
}

const EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** An instance as DescribeInstances describes one, with the parts a real one carries. */
function instanceXml(region: string, n: number): string {
  const id = `i-${hex(n + 1, 17)}`;
  const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  return `<item><instanceId>${id}</instanceId><imageId>ami-0abcdef1234567890</imageId><instanceState><code>16</code><name>running</name></instanceState>`
    + `<privateDnsName>ip-${ip.replaceAll(".", "-")}.${region}.compute.internal</privateDnsName><dnsName/><reason/><keyName>ops-key</keyName><amiLaunchIndex>0</amiLaunchIndex><productCodes/>`
    + `<instanceType>m5.large</instanceType><launchTime>2024-05-01T12:00:00.000Z</launchTime><placement><availabilityZone>${region}a</availabilityZone><groupName/><tenancy>default</tenancy></placement>`
    + `<monitoring><state>disabled</state></monitoring><subnetId>subnet-0123456789abcdef0</subnetId><vpcId>vpc-0123456789abcdef0</vpcId><privateIpAddress>${ip}</privateIpAddress>`
    + `<sourceDestCheck>true</sourceDestCheck><groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>default</groupName></item></groupSet><architecture>x86_64</architecture>`
    + `<rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-${hex(n + 1, 17)}</volumeId>`
    + `<status>attached</status><attachTime>2024-05-01T12:00:01.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>`
    + `<virtualizationType>hvm</virtualizationType><clientToken>${id}-token</clientToken><tagSet><item><key>Name</key><value>web-${n}</value></item><item><key>team</key><value>ops</value></item>`
    + `<item><key>env</key><value>production</value></item></tagSet><hypervisor>xen</hypervisor><networkInterfaceSet><item><networkInterfaceId>eni-${hex(n + 1, 17)}</networkInterfaceId>`
    + `<subnetId>subnet-0123456789abcdef0</subnetId><vpcId>vpc-0123456789abcdef0</vpcId><ownerId>123456789012</ownerId><status>in-use</status><macAddress>02:00:00:00:00:00</macAddress>`
    + `<privateIpAddress>${ip}</privateIpAddress><sourceDestCheck>true</sourceDestCheck><groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>default</groupName></item></groupSet>`
    + `<attachment><attachmentId>eni-attach-${hex(n + 1, 17)}</attachmentId><deviceIndex>0</deviceIndex><status>attached</status><attachTime>2024-05-01T12:00:00.000Z</attachTime>`
    + `<deleteOnTermination>true</deleteOnTermination></attachment><privateIpAddressesSet><item><privateIpAddress>${ip}</privateIpAddress><primary>true</primary></item></privateIpAddressesSet>`
    + `</item></networkInterfaceSet><ebsOptimized>false</ebsOptimized><enaSupport>true</enaSupport><cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>`
    + `<metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions>`
    + `<platformDetails>Linux/UNIX</platformDetails><usageOperation>RunInstances</usageOperation></item>`;
}

function volumeXml(region: string, n: number): string {
  return `<item><volumeId>vol-${hex(n + 1, 17)}</volumeId><size>${8 + (n % 100)}</size><snapshotId/><availabilityZone>${region}a</availabilityZone><status>available</status>`
    + `<createTime>2024-05-01T12:00:00.000Z</createTime><attachmentSet/><volumeType>gp3</volumeType><iops>3000</iops><encrypted>true</encrypted></item>`;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString()));
    req.on("error", reject);
  });

/** One page of `total` items from `token` (an offset) on, at most `max` of them. */
function page(total: number, token: string | null, max: number): { from: number; to: number; next?: string } {
  const from = token ? Number(token) : 0;
  const to = Math.min(total, from + max);
  return { from, to, next: to < total ? String(to) : undefined };
}

export async function startSlowAws(options: SlowAwsOptions): Promise<SlowAws> {
  let inFlight = 0;
  // Pages are made once: forty 3 MB answers made at the same moment would hold up the answers themselves.
  const made = new Map<string, string>();
  const itemsOnce = (key: string, make: () => string) => made.get(key) ?? made.set(key, make()).get(key)!;
  // each role assumed gets keys of its own, as STS gives, however close together it is asked
  let assumed = 0;
  const slow: SlowAws = {
    url: "",
    calls: new Map(),
    mostInFlight: 0,
    reset() {
      slow.calls.clear();
      slow.mostInFlight = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer(async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    const action = form.get("Action") ?? "";
    const region = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "us-east-1";
    slow.calls.set(action, (slow.calls.get(action) ?? 0) + 1);
    inFlight += 1;
    slow.mostInFlight = Math.max(slow.mostInFlight, inFlight);
    await new Promise((r) => setTimeout(r, options.delayMs));
    inFlight -= 1;
    const requestId = `req-${Math.random().toString(16).slice(2)}`;
    const max = Number(form.get("MaxResults") ?? 1000);
    let body: string;
    if (action === "DescribeInstances") {
      const { from, to, next } = page(options.instancesPerRegion(region), form.get("NextToken"), max);
      const instances = itemsOnce(`i:${region}:${from}:${to}`, () => Array.from({ length: to - from }, (_, i) => instanceXml(region, from + i)).join(""));
      body = `<DescribeInstancesResponse xmlns="${EC2_NS}"><requestId>${requestId}</requestId><reservationSet><item><reservationId>r-0123456789abcdef0</reservationId>`
        + `<ownerId>123456789012</ownerId><groupSet/><instancesSet>${instances}</instancesSet></item></reservationSet>${next ? `<nextToken>${next}</nextToken>` : ""}</DescribeInstancesResponse>`;
    } else if (action === "DescribeVolumes") {
      const { from, to, next } = page(options.volumesPerRegion(region), form.get("NextToken"), max);
      const volumes = itemsOnce(`v:${region}:${from}:${to}`, () => Array.from({ length: to - from }, (_, i) => volumeXml(region, from + i)).join(""));
      body = `<DescribeVolumesResponse xmlns="${EC2_NS}"><requestId>${requestId}</requestId><volumeSet>${volumes}</volumeSet>${next ? `<nextToken>${next}</nextToken>` : ""}</DescribeVolumesResponse>`;
    } else if (action === "AssumeRole") {
      const expiration = new Date(Date.now() + 3600_000).toISOString();
      body = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA${hex(Date.now(), 12).toUpperCase()}${hex((assumed += 1), 4).toUpperCase()}</AccessKeyId>`
        + `<SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>${expiration}</Expiration></Credentials>`
        + `<AssumedRoleUser><AssumedRoleId>AROA:awsgql</AssumedRoleId><Arn>${form.get("RoleArn")}/awsgql</Arn></AssumedRoleUser></AssumeRoleResult>`
        + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
    } else if (action === "GetCallerIdentity") {
      body = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bench</Arn>`
        + `<UserId>AIDABENCH</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
    } else {
      res.writeHead(400, { "content-type": "text/xml" });
      res.end(`<Response><Errors><Error><Code>InvalidAction</Code><Message>${action} is not served here</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`);
      return;
    }
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  slow.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return slow;
}
