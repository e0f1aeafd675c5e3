import { DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";

/** The regions every account has without opting in. */
const REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3",
  "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
];
const ROLE = (id: string) => `arn:aws:iam::${id}:role/InventoryReader`;

let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;

beforeAll(async () => {
  moto = await startMoto();
  // moto makes an account's region on its first call, slowly: made here one by one, not by the
  // gateway's calls at once, which could outlast the gateway's request timeout and be retried.
  const sts = new STSClient(motoClientConfig(moto.endpoint));
  const credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }[] = [{ accessKeyId: "testing", secretAccessKey: "testing" }];
  for (const id of ["111111111111", "222222222222"]) {
    const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: ROLE(id), RoleSessionName: "warm-up" }))).Credentials!;
    credentials.push({ accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken });
  }
  sts.destroy();
  for (const account of credentials) {
    for (const region of REGIONS) {
      const ec2 = new EC2Client({ ...motoClientConfig(moto.endpoint, region), credentials: account });
      await ec2.send(new DescribeVolumesCommand({}));
      ec2.destroy();
    }
  }
  // Every call held long enough that calls made at once are all under way together at the proxy.
  proxy = await startAwsProxy(moto.endpoint, { delayMs: 1000 });
  // AWS_FANOUT_CONCURRENCY unset: the contract's default.
  gateway = await startGateway({ ...motoEnv(proxy.url), AWS_ACCOUNTS: `prod=${ROLE("111111111111")},stage=${ROLE("222222222222")}` });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await moto?.stop();
});

const VOLUMES = `query($accounts: [String!], $regions: [String!]) { ec2Volumes(accounts: $accounts, regions: $regions, first: 1000) { edges { node { volumeId } } pageInfo { hasNextPage } } }`;

/** Runs a page once (the gateway's clients made, roles assumed), and waits until its calls have all ended. */
async function warmUp(variables: Record<string, unknown>) {
  await gateway.query(VOLUMES, variables);
  while (proxy.inFlight > 0) await new Promise((r) => setTimeout(r, 50));
}

describe("fan-out at the defaults", () => {
  it("reads every region a page needs at once, one call each", async () => {
    await warmUp({ regions: REGIONS });
    proxy.reset();
    const answer = await gateway.query(VOLUMES, { regions: REGIONS });
    expect(answer.errors).toBeUndefined();
    expect(proxy.calls.get("DescribeVolumes")).toBe(REGIONS.length);
    expect(proxy.mostInFlight).toBe(REGIONS.length);
  });

  it("reads every region of three accounts at once: more sources than the SDK's 50 sockets to one endpoint", async () => {
    const accounts = ["default", "prod", "stage"];
    await warmUp({ accounts, regions: REGIONS });
    proxy.reset();
    const answer = await gateway.query(VOLUMES, { accounts, regions: REGIONS });
    expect(answer.errors).toBeUndefined();
    expect(proxy.calls.get("DescribeVolumes")).toBe(accounts.length * REGIONS.length);
    expect(proxy.mostInFlight).toBe(accounts.length * REGIONS.length);
  });
});
