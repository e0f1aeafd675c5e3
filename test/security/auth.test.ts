import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const PAGE = `query($after: String) { ec2Instances(first: 5, after: $after) { edges { cursor node { instanceId } } pageInfo { endCursor } } }`;
const dash = { authorization: "Bearer dash-secret-123" };
const ops = { authorization: "Bearer ops-secret-4567" };

let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;
beforeAll(async () => {
  moto = await startMoto();
  const ec2 = new EC2Client(motoClientConfig(moto.endpoint));
  await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 7, MaxCount: 7, InstanceType: "t3.micro" }));
  ec2.destroy();
  proxy = await startAwsProxy(moto.endpoint);
  gateway = await startGateway({ ...motoEnv(proxy.url), GATEWAY_API_KEYS: "dash:dash-secret-123,ops:ops-secret-4567" });
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await moto?.stop();
});

describe("API keys", () => {
  it("refuses a request without a key, or with a wrong one, as UNAUTHENTICATED with HTTP 401, before any AWS call", async () => {
    proxy.reset();
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong-secret" }, { authorization: "dash-secret-123" }, { authorization: "Basic ZGFzaA==" }]) {
      const answer = await gateway.query(PAGE, {}, headers);
      expect(answer.status).toBe(401);
      expect(answer.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect([...proxy.calls]).toEqual([]);
  });

  it("serves a request with a valid key", async () => {
    const answer = await gateway.query(PAGE, {}, dash);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ec2Instances.edges).toHaveLength(5);
  });

  it("binds cursors to the caller: another caller's cursor is CURSOR_INVALID", async () => {
    const page = await gateway.query(PAGE, {}, dash);
    const cursor = page.data!.ec2Instances.pageInfo.endCursor;
    const stolen = await gateway.query(PAGE, { after: cursor }, ops);
    expect(stolen.errors?.[0]?.extensions?.code).toBe("CURSOR_INVALID");
    const own = await gateway.query(PAGE, { after: cursor }, dash);
    expect(own.errors).toBeUndefined();
  });

  it("keeps /healthz open for probes", async () => {
    expect((await fetch(`${gateway.base}/healthz`)).status).toBe(200);
  });
});
