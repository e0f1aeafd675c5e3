import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type TestGateway } from "../support/gateway.js";

const ec2 = mockClient(EC2Client);
const PAGE = `query($after: String) { ec2Instances(first: 5, after: $after) { edges { cursor node { instanceId } } pageInfo { endCursor } } }`;
const dash = { authorization: "Bearer dash-secret-123" };
const ops = { authorization: "Bearer ops-secret-4567" };

let gateway: TestGateway;
beforeAll(async () => {
  ec2.on(DescribeInstancesCommand).callsFake((input: { NextToken?: string }) => ({
    Reservations: [{ Instances: Array.from({ length: 5 }, (_, i) => ({ InstanceId: `i-0000000${i}`, State: { Name: "running" }, InstanceType: "t3.micro" })) }],
    NextToken: input.NextToken ? undefined : "next",
  }));
  gateway = await startGateway({ GATEWAY_API_KEYS: "dash:dash-secret-123,ops:ops-secret-4567" });
});
afterAll(async () => {
  await gateway.close();
  ec2.restore();
});

describe("API keys", () => {
  it("refuses a request without a key, or with a wrong one, as UNAUTHENTICATED with HTTP 401, before any AWS call", async () => {
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong-secret" }, { authorization: "dash-secret-123" }, { authorization: "Basic ZGFzaA==" }]) {
      const answer = await gateway.query(PAGE, {}, headers);
      expect(answer.status).toBe(401);
      expect(answer.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
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
    expect((await fetch(gateway.url.replace("/graphql", "/healthz"))).status).toBe(200);
  });
});
