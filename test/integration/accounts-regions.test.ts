import { CreateVolumeCommand, DescribeRegionsCommand, EC2Client, RunInstancesCommand, paginateDescribeVolumes } from "@aws-sdk/client-ec2";
import { CreateUserCommand, IAMClient, paginateListUsers } from "@aws-sdk/client-iam";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { assumedCredentials, motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const ROLE = (id: string) => `arn:aws:iam::${id}:role/InventoryReader`;
const ACCOUNTS = { default: "123456789012", prod: "111111111111", stage: "222222222222", broken: "333333333333" } as const;
type AccountName = keyof typeof ACCOUNTS;
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
/** Volumes seeded per account and region: different counts, some none. */
const VOLUMES: Record<Exclude<AccountName, "broken">, number[]> = { default: [12, 0, 7], prod: [5, 9, 0], stage: [3, 0, 4] };

let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;
const credentials = new Map<string, { accessKeyId: string; secretAccessKey: string; sessionToken?: string }>();

/** An SDK client straight to moto, acting in `account` as the gateway would after assuming its role. */
const clientIn = <C>(Client: new (config: object) => C, account: AccountName, region = "us-east-1") =>
  new Client({ ...motoClientConfig(moto.endpoint, region), credentials: credentials.get(account) });

beforeAll(async () => {
  moto = await startMoto();
  credentials.set("default", { accessKeyId: "testing", secretAccessKey: "testing" });
  for (const account of ["prod", "stage"] as const) credentials.set(account, await assumedCredentials(moto.endpoint, ROLE(ACCOUNTS[account])));
  for (const [account, counts] of Object.entries(VOLUMES) as [AccountName, number[]][]) {
    for (const [r, region] of REGIONS.entries()) {
      const ec2 = clientIn(EC2Client, account, region);
      for (let v = 0; v < counts[r]!; v += 1) await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1 + v }));
    }
    const iam = clientIn(IAMClient, account);
    for (let u = 0; u < 3; u += 1) await iam.send(new CreateUserCommand({ UserName: `${account}-user-${u}` }));
  }
  await clientIn(EC2Client, "prod").send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 1, MaxCount: 1 }));
  proxy = await startAwsProxy(moto.endpoint, { deniedRoles: [ROLE(ACCOUNTS.broken)] });
  gateway = await startGateway({
    ...motoEnv(proxy.url),
    AWS_ACCOUNTS: `prod=${ROLE(ACCOUNTS.prod)},stage=${ROLE(ACCOUNTS.stage)}|external-id-1,broken=${ROLE(ACCOUNTS.broken)}`,
    AWS_FANOUT_CONCURRENCY: "4",
  });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await moto?.stop();
});

/** The SDK's own listing of one account's region: volume ids in AWS order. */
async function volumesOf(account: AccountName, region: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateDescribeVolumes({ client: clientIn(EC2Client, account, region), pageSize: 100 }, {})) ids.push(...page.Volumes!.map((v) => v.VolumeId!));
  return ids;
}

/** Per-source SDK listings concatenated in the contract's order: accounts as named, then regions. */
const concatenated = async (accounts: AccountName[], regions: string[]) => (await Promise.all(accounts.flatMap((a) => regions.map((r) => volumesOf(a, r))))).flat();

interface PartialWalk {
  ids: string[];
  /** the failed sources each page reported, as errors and as failedSources rows */
  errors: NonNullable<GraphQLAnswer["errors"]>;
  failedSources: Record<string, unknown>[];
}

/** Walks a connection that may answer with failed sources, resuming after chosen edges. */
async function walkPartial(query: string, variables: Record<string, unknown>, firsts: number[], choices: number[] = [-1]): Promise<PartialWalk> {
  const walk: PartialWalk = { ids: [], errors: [], failedSources: [] };
  let after: string | null = null;
  for (let page = 0; page < 1000; page += 1) {
    const first = firsts[page % firsts.length]!;
    const answer: GraphQLAnswer = await gateway.query(query, { ...variables, first, after });
    const connection: any = answer.data?.ec2Volumes;
    if (!connection) throw new Error(`page ${page} failed: ${JSON.stringify(answer.errors)}`);
    walk.errors.push(...(answer.errors ?? []));
    walk.failedSources.push(...connection.failedSources);
    const edges = connection.edges as { cursor: string; node: { volumeId: string } }[];
    const choice = choices[page % choices.length]!;
    const resume = edges.length === 0 ? -1 : choice < 0 ? edges.length - 1 : choice % edges.length;
    walk.ids.push(...edges.slice(0, resume + 1).map((e) => e.node.volumeId));
    if (!connection.pageInfo.hasNextPage && resume === edges.length - 1) return walk;
    after = resume >= 0 ? edges[resume]!.cursor : connection.pageInfo.endCursor;
  }
  throw new Error("walk does not end");
}

const VOLUMES_QUERY = `query($first: Int, $after: String, $accounts: [String!], $regions: [String!]) {
  ec2Volumes(first: $first, after: $after, accounts: $accounts, regions: $regions) {
    edges { cursor node { volumeId region accountName accountId } }
    pageInfo { hasNextPage endCursor }
    failedSources { accountName accountId region code } } }`;

describe("many accounts and regions in one connection, against moto_server", () => {
  it("walks accounts × regions in the contract's order, exactly once, with random page sizes and resumes across source boundaries", async () => {
    const accounts: AccountName[] = ["stage", "default", "prod"];
    const expected = await concatenated(accounts, REGIONS);
    expect(expected.length).toBe(5 + 1 + 9 + 3 + 4 + 12 + 7); // prod's instance brought its root volume
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: -1, max: 20 }), { minLength: 1, maxLength: 4 }), async (firsts, choices) => {
        const walk = await walkPartial(VOLUMES_QUERY, { accounts, regions: REGIONS }, firsts, choices);
        expect(walk.errors).toEqual([]);
        expect(walk.ids).toEqual(expected);
      }),
      { numRuns: 6 },
    );
  });

  it("tells each node's account and region, and refetches it by its id across accounts", async () => {
    const answer = await gateway.query(VOLUMES_QUERY, { accounts: ["*"], regions: ["eu-west-1"], first: 50 });
    const nodes = answer.data!.ec2Volumes.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.accountName)).toEqual([...Array(9).fill("prod")]);
    expect(nodes.every((n: any) => n.accountId === ACCOUNTS.prod && n.region === "eu-west-1")).toBe(true);
    // "broken" is configured, so ["*"] reaches it: its sources fail and are reported, the rest answers.
    expect(answer.data!.ec2Volumes.failedSources).toEqual([{ accountName: "broken", accountId: ACCOUNTS.broken, region: "eu-west-1", code: "AWS_ACCESS_DENIED" }]);

    const withId = await gateway.query(`{ ec2Volumes(accounts: ["prod"], region: "eu-west-1", first: 1) { edges { node { id volumeId } } } }`);
    const { id, volumeId } = withId.data!.ec2Volumes.edges[0].node;
    const refetched = await gateway.query(`query($id: ID!) { node(id: $id) { ... on Ec2Volume { volumeId accountName accountId region } } }`, { id });
    expect(refetched.data!.node).toEqual({ volumeId, accountName: "prod", accountId: ACCOUNTS.prod, region: "eu-west-1" });
    const single = await gateway.query(`query($v: String!) { ec2Volume(volumeId: $v, account: "prod", region: "eu-west-1") { volumeId } other: ec2Volume(volumeId: $v, region: "eu-west-1") { volumeId } }`, { v: volumeId });
    expect(single.data).toEqual({ ec2Volume: { volumeId }, other: null });
  });

  it("answers the other sources when one fails: one error per failed source with its source, and failedSources, never a silent gap", async () => {
    const accounts = ["default", "broken", "prod"];
    const walk = await walkPartial(VOLUMES_QUERY, { accounts, regions: REGIONS }, [4]);
    expect(walk.ids).toEqual(await concatenated(["default", "prod"], REGIONS));
    const expectedFailures = REGIONS.map((region) => ({ accountName: "broken", accountId: ACCOUNTS.broken, region, code: "AWS_ACCESS_DENIED" }));
    expect(walk.failedSources).toEqual(expectedFailures);
    expect(walk.errors.map((e) => ({ ...e.extensions!.source, code: e.extensions!.code }))).toEqual(expectedFailures);
    expect(walk.errors.every((e) => JSON.stringify(e.path) === '["ec2Volumes"]')).toBe(true);
  });

  it("fails the field as before when its one source fails", async () => {
    const answer = await gateway.query(`{ ec2Volumes(accounts: ["broken"], first: 5) { edges { cursor } failedSources { accountName } } }`);
    expect(answer.data).toBeNull();
    expect(answer.errors![0]!.extensions!.code).toBe("AWS_ACCESS_DENIED");
  });

  it("expands region patterns against the regions enabled for each account, alphabetically, each region once", async () => {
    const enabled = (await clientIn(EC2Client, "default").send(new DescribeRegionsCommand({}))).Regions!.filter((r) => r.OptInStatus !== "not-opted-in").map((r) => r.RegionName!);
    const asked = ["us-east-1", "eu-*", "ap-southeast-2", "us-east-1"];
    const regions = [...new Set(["us-east-1", ...enabled.filter((r) => r.startsWith("eu-")).sort(), "ap-southeast-2"])];
    expect(regions.length).toBeGreaterThan(4);
    const walk = await walkPartial(VOLUMES_QUERY, { accounts: ["prod", "default"], regions: asked }, [6]);
    expect(walk.errors).toEqual([]);
    expect(walk.ids).toEqual(await concatenated(["prod", "default"], regions));
  });

  it("reads the sources a page needs at once, bounded by AWS_FANOUT_CONCURRENCY, and no AWS page twice over a walk", async () => {
    proxy.reset();
    const walk = await walkPartial(VOLUMES_QUERY, { accounts: ["default", "prod", "stage"], regions: REGIONS }, [50]);
    expect(walk.ids).toEqual(await concatenated(["default", "prod", "stage"], REGIONS));
    expect(proxy.mostInFlight).toBeGreaterThan(1);
    expect(proxy.mostInFlight).toBeLessThanOrEqual(4);
    expect(proxy.calls.get("DescribeVolumes")).toBe(9); // one per source: every page fits one call
  });

  it("keeps links in their source: an instance's volumes and VPC are looked up in its own account and region", async () => {
    const answer = await gateway.query(`{ ec2Instances(accounts: ["default", "prod"], first: 10) { edges { node { instanceId accountName volumeIds volumes { volumeId accountName } vpc { vpcId accountName } } } } }`);
    expect(answer.errors).toBeUndefined();
    const [instance] = answer.data!.ec2Instances.edges.map((e: any) => e.node);
    expect(instance.accountName).toBe("prod");
    expect(instance.volumes.map((v: any) => v.volumeId)).toEqual(instance.volumeIds);
    expect(instance.volumes.every((v: any) => v.accountName === "prod") && instance.vpc.accountName === "prod").toBe(true);
  });

  it("counts a listing over accounts and regions only when totalCount is asked for, as the SDK's listings add up", async () => {
    const expected = await concatenated(["default", "prod", "stage"], REGIONS);
    proxy.reset();
    const page = await gateway.query(`{ ec2Volumes(accounts: ["default", "prod", "stage"], regions: ${JSON.stringify(REGIONS)}, first: 3) { edges { cursor } } }`);
    const listed = proxy.calls.get("DescribeVolumes");
    const counted = await gateway.query(`{ ec2Volumes(accounts: ["default", "prod", "stage"], regions: ${JSON.stringify(REGIONS)}, first: 3) { edges { cursor } totalCount } }`);
    expect(page.errors).toBeUndefined();
    expect(counted.errors).toBeUndefined();
    expect(counted.data!.ec2Volumes.totalCount).toBe(expected.length);
    expect(proxy.calls.get("DescribeVolumes")).toBeGreaterThan(2 * listed!);

    const sdkUsers = async (account: AccountName) => {
      let n = 0;
      for await (const p of paginateListUsers({ client: clientIn(IAMClient, account) }, {})) n += p.Users!.length;
      return n;
    };
    const users = await gateway.query(`{ iamUsers(accounts: ["prod", "default"], first: 1) { totalCount } }`);
    expect(users.data!.iamUsers.totalCount).toBe((await sdkUsers("prod")) + (await sdkUsers("default")));
  });

  it("bounds each source of a count by MAX_COUNT_AWS_CALLS, not the whole count, and fails a count with a failed source", async () => {
    const capped = await startGateway({ ...motoEnv(proxy.url), AWS_ACCOUNTS: `prod=${ROLE(ACCOUNTS.prod)},broken=${ROLE(ACCOUNTS.broken)}`, MAX_COUNT_AWS_CALLS: "2" });
    try {
      // six sources of one call each, under a bound of two (past it, test/aws/counts.test.ts: moto answers every volume at once)
      const answer = await capped.query(`{ ec2Volumes(accounts: ["default", "prod"], regions: ${JSON.stringify(REGIONS)}, first: 2) { edges { node { volumeId } } totalCount } }`);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.ec2Volumes.edges).toHaveLength(2);
      expect(answer.data!.ec2Volumes.totalCount).toBe((await concatenated(["default", "prod"], REGIONS)).length);

      const denied = await capped.query(`{ ec2Volumes(accounts: ["broken"], regions: ["us-east-1"], first: 0) { totalCount } }`);
      expect(denied.errors?.[0]?.extensions?.code).toBe("AWS_ACCESS_DENIED");
    } finally {
      await capped.close();
    }
  });

  it("lists IAM users over accounts, in the order named", async () => {
    const sdk = async (account: AccountName) => {
      const names: string[] = [];
      for await (const page of paginateListUsers({ client: clientIn(IAMClient, account) }, {})) names.push(...page.Users!.map((u) => u.UserName!));
      return names;
    };
    const answer = await gateway.query(`{ iamUsers(accounts: ["stage", "default"], first: 100) { edges { node { userName accountName } } failedSources { accountName } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.iamUsers.edges.map((e: any) => e.node.userName)).toEqual([...(await sdk("stage")), ...(await sdk("default"))]);
  });

  it("refuses unknown accounts, unknown regions, empty patterns and region with regions before any AWS call; and a cursor of other sources", async () => {
    proxy.reset();
    for (const [args, argument] of [
      [`accounts: ["nope"]`, "accounts"],
      [`regions: ["mars-1"]`, "regions"],
      [`regions: ["zz-*"]`, "regions"],
      [`region: "us-east-1", regions: ["eu-west-1"]`, "regions"],
    ] as const) {
      const answer = await gateway.query(`{ ec2Volumes(${args}, first: 1) { edges { cursor } } }`);
      expect(answer.errors?.[0]?.extensions, args).toMatchObject({ code: "BAD_USER_INPUT", argument });
    }
    expect([...proxy.calls.values()].reduce((a, b) => a + b, 0)).toBe(0);

    const first = await gateway.query(VOLUMES_QUERY, { accounts: ["default", "prod"], regions: REGIONS, first: 2 });
    const cursor = first.data!.ec2Volumes.pageInfo.endCursor;
    const swapped = await gateway.query(VOLUMES_QUERY, { accounts: ["prod", "default"], regions: REGIONS, first: 2, after: cursor });
    expect(swapped.errors?.[0]?.extensions?.code).toBe("CURSOR_MISMATCH");
  });
});
