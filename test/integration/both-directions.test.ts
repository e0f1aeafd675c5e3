// "Both directions, and counts" against moto_server: pages forward and backward, mixed, from any
// edge, are the SDK's listing; backward pages cost no more AWS calls than forward ones.
import { CreateVolumeCommand, EC2Client, paginateDescribeInstances, paginateDescribeVolumes, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { CreateUserCommand, IAMClient, paginateListUsers } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const VOLUMES = [23, 0, 17];
/** one reservation each: moto pages DescribeInstances by reservation, honouring MaxResults */
const INSTANCES = [13, 0, 9];
const USERS = 130;
const OBJECTS = 75;

let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;
const sdk = { users: [] as string[], volumes: [] as string[], instances: [] as string[], objects: [] as string[] };

beforeAll(async () => {
  moto = await startMoto();
  const iam = new IAMClient(motoClientConfig(moto.endpoint));
  await Promise.all(Array.from({ length: USERS }, (_, u) => iam.send(new CreateUserCommand({ UserName: `walker-${String(u).padStart(3, "0")}` }))));
  for (const [r, region] of REGIONS.entries()) {
    const ec2 = new EC2Client(motoClientConfig(moto.endpoint, region));
    for (let v = 0; v < VOLUMES[r]!; v += 1) await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1 + v }));
    for (let i = 0; i < INSTANCES[r]!; i += 1) await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 1, MaxCount: 1 }));
  }
  const s3 = new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "both-ways" }));
  await Promise.all(Array.from({ length: OBJECTS }, (_, o) => s3.send(new PutObjectCommand({ Bucket: "both-ways", Key: `reports/${String(o).padStart(3, "0")}.csv`, Body: "x" }))));

  for await (const page of paginateListUsers({ client: iam }, {})) sdk.users.push(...page.Users!.map((u) => u.UserName!));
  for (const region of REGIONS) {
    const client = new EC2Client(motoClientConfig(moto.endpoint, region));
    for await (const page of paginateDescribeVolumes({ client, pageSize: 100 }, {})) sdk.volumes.push(...page.Volumes!.map((v) => v.VolumeId!));
    for await (const page of paginateDescribeInstances({ client, pageSize: 100 }, {})) sdk.instances.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
  }
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: "both-ways" })) sdk.objects.push(...page.Contents!.map((o) => o.Key!));
  proxy = await startAwsProxy(moto.endpoint);
  gateway = await startGateway(motoEnv(proxy.url));
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await moto?.stop();
});

/** A listing as the tests page it: the query, where its connection is, and each node's name. */
interface Listed {
  name: string;
  query: string;
  connection: (data: any) => any;
  expected: () => string[];
  /** whether moto honours the page size; where it does not, each AWS page is held whole and read back from there */
  honoursPageSize: boolean;
}

const PAGE = "edges { cursor node { %s } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
const ARGS = "$first: Int, $after: String, $last: Int, $before: String";
const PAGING = "first: $first, after: $after, last: $last, before: $before";
const LISTINGS: Listed[] = [
  { name: "IAM users (Marker; moto ignores MaxItems, so one AWS page, held)", query: `query(${ARGS}) { iamUsers(${PAGING}) { ${PAGE.replace("%s", "id: userName")} } }`, connection: (d) => d.iamUsers, expected: () => sdk.users, honoursPageSize: false },
  {
    name: "EC2 instances over three regions (sources, one empty; MaxResults honoured)",
    query: `query(${ARGS}) { ec2Instances(regions: ${JSON.stringify(REGIONS)}, ${PAGING}) { ${PAGE.replace("%s", "id: instanceId")} } }`,
    connection: (d) => d.ec2Instances,
    expected: () => sdk.instances,
    honoursPageSize: true,
  },
  {
    name: "EC2 volumes over three regions (moto ignores MaxResults: one AWS page a region, held)",
    query: `query(${ARGS}) { ec2Volumes(regions: ${JSON.stringify(REGIONS)}, ${PAGING}) { ${PAGE.replace("%s", "id: volumeId")} } }`,
    connection: (d) => d.ec2Volumes,
    expected: () => sdk.volumes,
    honoursPageSize: false,
  },
  { name: "S3 objects (ContinuationToken, MaxKeys honoured)", query: `query(${ARGS}) { s3Bucket(name: "both-ways") { objects(${PAGING}) { ${PAGE.replace("%s", "id: key")} } } }`, connection: (d) => d.s3Bucket.objects, expected: () => sdk.objects, honoursPageSize: true },
];

interface Page {
  ids: string[];
  cursors: string[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  answer: GraphQLAnswer;
}

async function page(listed: Listed, variables: Record<string, unknown>, client = gateway): Promise<Page> {
  const answer = await client.query(listed.query, variables);
  if (answer.errors) throw new Error(`${listed.name} ${JSON.stringify(variables)}: ${JSON.stringify(answer.errors)}`);
  const connection = listed.connection(answer.data);
  return { ids: connection.edges.map((e: any) => e.node.id), cursors: connection.edges.map((e: any) => e.cursor), pageInfo: connection.pageInfo, answer };
}

describe.each(LISTINGS)("pages both ways through $name", (listed) => {
  it("mixes forward and backward pages of random sizes from random edges, and each is the SDK's listing there, its page info exact", async () => {
    const expected = listed.expected();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.record({ forward: fc.boolean(), size: fc.integer({ min: 1, max: 45 }), edge: fc.nat() }), { minLength: 4, maxLength: 10 }),
        async (firstSize, steps) => {
          let current = await page(listed, { first: firstSize });
          expect(current.ids).toEqual(expected.slice(0, firstSize));
          for (const step of steps) {
            if (current.ids.length === 0) break;
            const edge = step.edge % current.ids.length;
            const at = expected.indexOf(current.ids[edge]!);
            if (step.forward) {
              current = await page(listed, { first: step.size, after: current.cursors[edge] });
              expect(current.ids).toEqual(expected.slice(at + 1, at + 1 + step.size));
              expect(current.pageInfo).toMatchObject({ hasNextPage: at + 1 + step.size < expected.length, hasPreviousPage: true });
            } else {
              current = await page(listed, { last: step.size, before: current.cursors[edge] });
              const from = Math.max(0, at - step.size);
              expect(current.ids).toEqual(expected.slice(from, at));
              expect(current.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: from > 0 });
            }
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it("walks back from the last page to the first, each backward page costing no more AWS calls than the forward pages over its items", async () => {
    const expected = listed.expected();
    const forwardCalls: number[] = []; // by item position: the calls of the forward page that brought it
    let current = await page(listed, { first: 11 });
    const record = (p: Page) => p.ids.forEach((id) => (forwardCalls[expected.indexOf(id)] = p.answer.extensions!.aws.calls));
    record(current);
    const forwardPages: Page[] = [current];
    while (current.pageInfo.hasNextPage) {
      current = await page(listed, { first: 11, after: current.pageInfo.endCursor });
      record(current);
      forwardPages.push(current);
    }
    const seen: string[][] = [current.ids];
    let backwardCalls = 0;
    for (let back = current; back.pageInfo.hasPreviousPage; ) {
      back = await page(listed, { last: 11, before: back.pageInfo.startCursor });
      backwardCalls += back.answer.extensions!.aws.calls;
      seen.unshift(back.ids);
      const coveringPages = forwardPages.filter((p) => p.ids.some((id) => back.ids.includes(id)));
      expect(back.answer.extensions!.aws.calls).toBeLessThanOrEqual(coveringPages.reduce((sum, p) => sum + p.answer.extensions!.aws.calls, 0));
    }
    // Without the page cache (off in these gateways), AWS pages not held are read again, and only those.
    if (listed.honoursPageSize) expect(backwardCalls).toBeGreaterThan(0);
    else expect(backwardCalls).toBe(0);
    expect(seen.flat()).toEqual(expected);
    expect(seen).toEqual(forwardPages.map((p) => p.ids).filter((ids) => ids.length > 0));
  });
});

describe("both directions: the rest of the contract", () => {
  it("reads backward pages from the page cache without a call while the forward pages are fresh", async () => {
    const cached = await startGateway({ ...motoEnv(proxy.url), AWS_CACHE_SECONDS: "60" });
    try {
      // Pages of 10 objects are whole AWS pages of 10 (MaxKeys): none is held, so reading back re-reads them.
      const listed = LISTINGS.find((l) => l.name.startsWith("S3 objects"))!;
      let current = await page(listed, { first: 10 }, cached);
      while (current.pageInfo.hasNextPage) current = await page(listed, { first: 10, after: current.pageInfo.endCursor }, cached);
      const back = await page(listed, { last: 30, before: current.pageInfo.startCursor }, cached);
      expect(back.ids).toEqual(sdk.objects.slice(OBJECTS - current.ids.length - 30, OBJECTS - current.ids.length));
      expect(back.answer.extensions!.aws.calls).toBe(0);
      expect(back.answer.extensions!.aws.cached).toBeGreaterThan(0);
    } finally {
      await cached.close();
    }
  });

  it("refuses `last` without `before`, and `first` with `last`, as BAD_USER_INPUT saying why, before any AWS call", async () => {
    const listed = LISTINGS.find((l) => l.name.startsWith("IAM users"))!;
    const { cursors } = await page(listed, { first: 3 });
    proxy.reset();
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ last: 5 }, /only be read from their start.*`last` needs `before`/],
      [{ first: 5, last: 5, before: cursors[2] }, /`first`.*or `last`.*not both/],
      [{ last: 5, before: cursors[2], after: cursors[0] }, /`after` a cursor or `before` one, not both/],
      [{ first: 5, before: cursors[2] }, /goes backward: take `last`/],
      [{ last: -1, before: cursors[2] }, /`last` must be between 0 and/],
    ];
    for (const [variables, message] of refusals) {
      const answer = await gateway.query(listed.query, variables);
      expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe("BAD_USER_INPUT");
      expect(answer.errors?.[0]?.message).toMatch(message);
    }
    expect(proxy.calls.size).toBe(0);
  });

  it("refuses an invalid, mismatched or expired cursor in `before` with the codes it gets in `after`, before any AWS call", async () => {
    const shortLived = await startGateway({ ...motoEnv(proxy.url), CURSOR_TTL_SECONDS: "1" });
    try {
      const users = LISTINGS.find((l) => l.name.startsWith("IAM users"))!;
      const { cursors } = await page(users, { first: 5 }, shortLived);
      const otherListing = `query($before: String) { iamUsers(pathPrefix: "/ops/", last: 2, before: $before) { edges { cursor } } }`;
      proxy.reset();
      const codeOf = async (query: string, variables: Record<string, unknown>) => (await shortLived.query(query, variables)).errors?.[0]?.extensions?.code;
      for (const direction of [{ before: cursors[3], last: 2 }, { after: cursors[3], first: 2 }]) {
        const cursor = direction.before ?? direction.after;
        const tampered = `${cursor!.slice(0, -1)}${cursor!.endsWith("A") ? "B" : "A"}`;
        expect(await codeOf(users.query, { ...direction, ...(direction.before ? { before: tampered } : { after: tampered }) })).toBe("CURSOR_INVALID");
      }
      expect(await codeOf(otherListing, { before: cursors[3] })).toBe("CURSOR_MISMATCH");
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect(await codeOf(users.query, { last: 2, before: cursors[3] })).toBe("CURSOR_EXPIRED");
      expect(await codeOf(users.query, { first: 2, after: cursors[3] })).toBe("CURSOR_EXPIRED");
      expect(proxy.calls.size).toBe(0);
    } finally {
      await shortLived.close();
    }
  });

  it("counts each listing as the SDK does, only when totalCount is asked for", async () => {
    for (const listed of LISTINGS) {
      const query = listed.query.replace("pageInfo {", "totalCount pageInfo {");
      const answer = await gateway.query(query, { first: 2 });
      expect(answer.errors).toBeUndefined();
      expect(listed.connection(answer.data).totalCount, listed.name).toBe(listed.expected().length);
    }
  });
});
