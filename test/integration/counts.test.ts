// Dashboards' counts: totalCount over every region of three accounts with the defaults, and
// countBy by a field, a tag, the region and the account, each equal to what the SDK's own
// listing counts to.
import { DescribeRegionsCommand, EC2Client, RunInstancesCommand, StopInstancesCommand, paginateDescribeInstances, type Instance } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { assumedCredentials, motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const ROLE = (id: string) => `arn:aws:iam::${id}:role/InventoryReader`;
const ACCOUNTS = { default: "123456789012", prod: "111111111111", stage: "222222222222" } as const;
type AccountName = keyof typeof ACCOUNTS;
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const TEAMS = ["payments", "search", "payments", "data", undefined];
/** Instances per account and region. */
const SEEDED: Record<AccountName, number[]> = { default: [9, 4, 0], prod: [3, 0, 6], stage: [0, 5, 2] };

let moto: Moto;
let gateway: TestGateway;
const credentials = new Map<AccountName, { accessKeyId: string; secretAccessKey: string; sessionToken?: string }>();
const ec2 = (account: AccountName, region: string) => new EC2Client({ ...motoClientConfig(moto.endpoint, region), credentials: credentials.get(account) });

beforeAll(async () => {
  moto = await startMoto();
  credentials.set("default", { accessKeyId: "testing", secretAccessKey: "testing" });
  for (const account of ["prod", "stage"] as const) credentials.set(account, await assumedCredentials(moto.endpoint, ROLE(ACCOUNTS[account])));
  for (const [account, counts] of Object.entries(SEEDED) as [AccountName, number[]][]) {
    for (const [r, region] of REGIONS.entries()) {
      for (let i = 0; i < counts[r]!; i += 1) {
        const team = TEAMS[(i + r) % TEAMS.length];
        const out = await ec2(account, region).send(
          new RunInstancesCommand({
            ImageId: "ami-12c6146b",
            MinCount: 1,
            MaxCount: 1,
            InstanceType: i % 3 === 0 ? "t3.small" : "t3.micro",
            TagSpecifications: team ? [{ ResourceType: "instance", Tags: [{ Key: "team", Value: team }] }] : undefined,
          }),
        );
        if (i % 4 === 1) await ec2(account, region).send(new StopInstancesCommand({ InstanceIds: [out.Instances![0]!.InstanceId!] }));
      }
    }
  }
  gateway = await startGateway({ ...motoEnv(moto.endpoint), AWS_ACCOUNTS: `prod=${ROLE(ACCOUNTS.prod)},stage=${ROLE(ACCOUNTS.stage)}` });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await moto?.stop();
});

/** Every instance the SDK lists in an account's region, with where it was listed. */
async function sdkInstances(account: AccountName, region: string): Promise<(Instance & { account: AccountName; region: string })[]> {
  const instances: (Instance & { account: AccountName; region: string })[] = [];
  for await (const page of paginateDescribeInstances({ client: ec2(account, region), pageSize: 100 }, {})) {
    for (const reservation of page.Reservations ?? []) for (const instance of reservation.Instances ?? []) instances.push({ ...instance, account, region });
  }
  return instances;
}

async function everyRegion(account: AccountName): Promise<string[]> {
  return ((await ec2(account, "us-east-1").send(new DescribeRegionsCommand({}))).Regions ?? []).map((r) => r.RegionName!);
}

/** The groups a count should give: by count, highest first, then by key, null last among equals. */
function grouped<T>(items: readonly T[], key: (item: T) => string | null): { key: string | null; count: number }[] {
  const counts = new Map<string | null, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1));
}

const dataOf = (answer: GraphQLAnswer, what: string) => {
  if (answer.errors?.length) throw new Error(`${what}: ${JSON.stringify(answer.errors)}`);
  return answer.data!;
};

describe("dashboards' counts against moto_server", () => {
  it("counts every region of three accounts with the defaults: totalCount equals the SDK's count", async () => {
    const everywhere = (await Promise.all((["default", "prod", "stage"] as const).map(async (account) => Promise.all((await everyRegion(account)).map((region) => sdkInstances(account, region)))))).flat(2);
    expect(everywhere.length).toBe(29);
    const answer = await gateway.query(`{ ec2Instances(accounts: ["*"], regions: ["*"], first: 1) { totalCount failedSources { accountName region } } }`);
    expect(dataOf(answer, "totalCount").ec2Instances).toEqual({ totalCount: everywhere.length, failedSources: [] });
  });

  it("counts by a field, a tag, the region and the account as the SDK's listing counts them", async () => {
    const listed = (await Promise.all((["default", "prod", "stage"] as const).flatMap((account) => REGIONS.map((region) => sdkInstances(account, region))))).flat();
    const answer = await gateway.query(
      `query($regions: [String!]) { ec2Instances(accounts: ["*"], regions: $regions, first: 1) {
        totalCount
        state: countBy(field: STATE) { key count }
        type: countBy(field: INSTANCE_TYPE) { key count }
        team: countBy(field: TAG, tagKey: "team") { key count }
        region: countBy(field: REGION) { key count }
        account: countBy(field: ACCOUNT) { key count } } }`,
      { regions: REGIONS },
    );
    const counted = dataOf(answer, "countBy").ec2Instances;
    expect(counted.totalCount).toBe(listed.length);
    expect(counted.state).toEqual(grouped(listed, (i) => i.State?.Name ?? null));
    expect(counted.type).toEqual(grouped(listed, (i) => i.InstanceType ?? null));
    expect(counted.team).toEqual(grouped(listed, (i) => i.Tags?.find((t) => t.Key === "team")?.Value ?? null));
    expect(counted.team.at(-1)).toMatchObject({ key: null });
    expect(counted.region).toEqual(grouped(listed, (i) => i.region));
    expect(counted.account).toEqual(grouped(listed, (i) => i.account));
  });

  it("reads the listing once for totalCount and countBy together, at one call per source", async () => {
    const query = (selection: string) => `{ ec2Instances(accounts: ["*"], regions: ["us-east-1", "eu-west-1"], first: 1) { ${selection} } }`;
    const fresh = { "cache-control": "no-cache" };
    const both = await gateway.query(query(`totalCount countBy(field: STATE) { key count } byType: countBy(field: INSTANCE_TYPE) { key }`), {}, fresh);
    const one = await gateway.query(query(`totalCount`), {}, fresh);
    const none = await gateway.query(query(`edges { cursor }`), {}, fresh);
    dataOf(both, "both");
    const describes = (answer: GraphQLAnswer) => answer.extensions!.aws.operations.DescribeInstances;
    expect(describes(both)).toBe(describes(one));
    // three accounts × two regions: each source holds fewer instances than a page, so one call each
    expect(describes(one) - describes(none)).toBe(6);
  });

  it("groups a nested connection's listing too, and refuses TAG without a tag key (and a tag key without TAG) before any call", async () => {
    const vpcs = await gateway.query(`{ ec2Vpcs(first: 1) { edges { node { vpcId instances(first: 1) { totalCount countBy(field: STATE) { key count } } } } } }`);
    const vpc = dataOf(vpcs, "nested").ec2Vpcs.edges[0].node;
    const inVpc = (await sdkInstances("default", "us-east-1")).filter((i) => i.VpcId === vpc.vpcId);
    expect(inVpc.length).toBeGreaterThan(0);
    expect(vpc.instances).toEqual({ totalCount: inVpc.length, countBy: grouped(inVpc, (i) => i.State?.Name ?? null) });
    for (const [selection, argument] of [
      [`countBy(field: TAG) { key }`, "tagKey"],
      [`countBy(field: STATE, tagKey: "team") { key }`, "tagKey"],
    ] as const) {
      const answer = await gateway.query(`{ ec2Instances(first: 1) { ${selection} } }`);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument });
    }
  });

  it("counts only what there is: the groups add up to totalCount, and an empty listing has no groups", async () => {
    const answer = await gateway.query(`{ a: ec2Instances(region: "ap-southeast-2", first: 1) { totalCount countBy(field: STATE) { count } } b: ec2Instances(region: "sa-east-1", first: 1) { totalCount countBy(field: STATE) { count } } }`);
    const { a, b } = dataOf(answer, "sums");
    expect(a.countBy.reduce((sum: number, g: { count: number }) => sum + g.count, 0)).toBe(a.totalCount);
    expect(b).toEqual({ totalCount: 0, countBy: [] });
  });
});
