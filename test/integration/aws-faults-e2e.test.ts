import { createServer, type Server } from "node:http";
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { freePort, motoClientConfig, startMoto } from "../support/moto.js";

const PAGE = `query($after: String) { ec2Instances(first: 5, after: $after) { edges { cursor node { instanceId } } pageInfo { hasNextPage endCursor } } }`;
const AWS_TOKEN = "SECRET-AWS-NEXT-TOKEN-4f9a";

const instancesXml = (ids: string[], nextToken?: string) => `<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-ok</requestId><reservationSet><item><reservationId>r-1</reservationId><ownerId>123456789012</ownerId><instancesSet>${ids
  .map((id) => `<item><instanceId>${id}</instanceId><instanceState><code>16</code><name>running</name></instanceState><instanceType>t3.micro</instanceType></item>`)
  .join("")}</instancesSet></item></reservationSet>${nextToken ? `<nextToken>${nextToken}</nextToken>` : ""}</DescribeInstancesResponse>`;
const errorXml = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${code} for account 123456789012</Message></Error></Errors><RequestID>req-err</RequestID></Response>`;

/** An EC2 endpoint whose answers the test scripts: a status and body per request, in turn. */
async function fakeEc2(script: (request: number, body: string) => { status: number; body: string } | "hang") {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const answer = script(requests++, body);
      if (answer === "hang") return; // never answers: the SDK's request timeout must end it
      res.writeHead(answer.status, { "content-type": "text/xml" });
      res.end(answer.body);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { endpoint: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function gatewayFor(endpoint: string, env: Record<string, string> = {}): Promise<TestGateway> {
  const gateway = await startGateway({ ...motoEnv(endpoint), ...env });
  cleanups.push(() => gateway.close());
  return gateway;
}

describe("AWS faults, end to end through the SDK", () => {
  it("retries throttling with the SDK's standard retry strategy and reports the retries", async () => {
    const ec2 = await fakeEc2((n) => (n < 2 ? { status: 503, body: errorXml("RequestLimitExceeded") } : { status: 200, body: instancesXml(["i-00000001"]) }));
    cleanups.push(ec2.close);
    const gateway = await gatewayFor(ec2.endpoint);
    const answer = await gateway.query(PAGE);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ec2Instances.edges).toHaveLength(1);
    expect(answer.extensions!.aws).toMatchObject({ calls: 1, retries: 2 });
    expect(ec2.requests()).toBe(3);
  });

  it("answers AWS_THROTTLED once the SDK's attempts are spent, with no second retry loop around it", async () => {
    const ec2 = await fakeEc2(() => ({ status: 503, body: errorXml("RequestLimitExceeded") }));
    cleanups.push(ec2.close);
    const gateway = await gatewayFor(ec2.endpoint, { AWS_MAX_ATTEMPTS: "3" });
    const answer = await gateway.query(PAGE);
    expect(answer.errors?.[0]?.extensions?.code).toBe("AWS_THROTTLED");
    expect(ec2.requests()).toBe(3);
    expect(JSON.stringify(answer)).not.toContain("123456789012");
  });

  it("answers UPSTREAM_UNAVAILABLE when AWS does not answer within the request timeout", async () => {
    const ec2 = await fakeEc2(() => "hang");
    cleanups.push(ec2.close);
    const gateway = await gatewayFor(ec2.endpoint, { AWS_REQUEST_TIMEOUT_MS: "300", AWS_MAX_ATTEMPTS: "1" });
    const answer = await gateway.query(PAGE);
    expect(answer.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
  });

  it("answers AWS_ACCESS_DENIED for UnauthorizedOperation", async () => {
    const ec2 = await fakeEc2(() => ({ status: 403, body: errorXml("UnauthorizedOperation") }));
    cleanups.push(ec2.close);
    const gateway = await gatewayFor(ec2.endpoint);
    const answer = await gateway.query(PAGE);
    expect(answer.errors?.[0]?.extensions?.code).toBe("AWS_ACCESS_DENIED");
    expect(answer.errors?.[0]?.extensions?.awsError).toBe("UnauthorizedOperation");
  });

  it("never puts a raw AWS token in an answer or a log line", async () => {
    const ec2 = await fakeEc2((_n, body) =>
      body.includes("NextToken") ? { status: 200, body: instancesXml(["i-00000006"]) } : { status: 200, body: instancesXml(["i-00000001", "i-00000002", "i-00000003", "i-00000004", "i-00000005"], AWS_TOKEN) },
    );
    cleanups.push(ec2.close);
    const gateway = await gatewayFor(ec2.endpoint, { LOG_LEVEL: "trace" });
    const first = await gateway.query(PAGE);
    const second = await gateway.query(PAGE, { after: first.data!.ec2Instances.pageInfo.endCursor });
    expect(second.data!.ec2Instances.edges.map((e: any) => e.node.instanceId)).toEqual(["i-00000006"]);
    const lines = gateway.logs().map((line) => JSON.stringify(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [JSON.stringify(first), JSON.stringify(second), ...lines, gateway.stderr()]) {
      expect(text).not.toContain(AWS_TOKEN);
      expect(text).not.toContain("123456789012");
    }
  });

  it("answers UPSTREAM_UNAVAILABLE when the emulator stops in the middle of a walk", async () => {
    const moto = await startMoto();
    cleanups.push(() => moto.stop());
    const ec2 = new EC2Client(motoClientConfig(moto.endpoint));
    await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 20, MaxCount: 20 }));
    ec2.destroy();
    const gateway = await gatewayFor(moto.endpoint, { AWS_MAX_ATTEMPTS: "2", AWS_CONNECT_TIMEOUT_MS: "500" });
    const first = await gateway.query(PAGE);
    expect(first.errors).toBeUndefined();
    await moto.stop();
    // moto returned the whole 20-instance reservation: the next page is cut from the held copy
    const held = await gateway.query(PAGE, { after: first.data!.ec2Instances.pageInfo.endCursor });
    expect(held.data!.ec2Instances.edges).toHaveLength(5);
    expect(held.extensions!.aws.calls).toBe(0);
    // a page that needs AWS now fails with the contract's code, not a hang or a 500
    const next = await gateway.query(`{ ec2Instances(first: 5, region: "eu-west-1") { edges { cursor } } }`);
    expect(next.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(next.status).toBe(200);
  });
});

afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
