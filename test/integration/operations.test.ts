import { Writable } from "node:stream";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInstances } from "../support/ec2-fixture.js";
import { motoEnv, startGateway, startInProcessGateway, type InProcessGateway, type TestGateway } from "../support/gateway.js";
import { startMoto, type Moto } from "../support/moto.js";

let moto: Moto;
let gateway: TestGateway;

beforeAll(async () => {
  moto = await startMoto();
  await runInstances(moto.endpoint, 5);
  gateway = await startGateway({ ...motoEnv(moto.endpoint), LOG_LEVEL: "info" });
});
afterAll(async () => {
  await gateway?.close();
  await moto?.stop();
});

describe("operations", () => {
  it("answers /healthz while up and /readyz while the cursor store is reachable", async () => {
    expect((await fetch(`${gateway.base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", cursorStore: "ok" });
  });

  it("logs one JSON line per request with its request id, which the response carries too", async () => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "dash-req-42" },
      body: JSON.stringify({ query: "{ ec2Instances(first: 2) { edges { cursor } } }" }),
    });
    expect(response.headers.get("x-request-id")).toBe("dash-req-42");
    await expect.poll(() => gateway.logs().find((l) => l.requestId === "dash-req-42" && l.msg === "request")).toMatchObject({ level: 30, method: "POST", path: "/graphql", status: 200 });
    const generated = await fetch(`${gateway.base}/healthz`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("exposes Prometheus metrics: AWS calls, errors, cursor map, cursor errors by code, latency", async () => {
    await gateway.query(`{ ec2Instances(first: 1, after: "forged") { edges { cursor } } }`);
    await gateway.query("{ ec2Instances(first: 2) { edges { cursor } } }");
    const text = await gateway.metrics();
    expect(text).toMatch(/awsgql_aws_calls_total\{service="ec2",operation="DescribeInstances",outcome="ok"\} \d+/);
    expect(text).toMatch(/awsgql_aws_retries_total/);
    expect(text).toMatch(/awsgql_graphql_errors_total\{code="CURSOR_INVALID"\} 1/);
    expect(text).toMatch(/awsgql_cursor_map_entries \d+/);
    expect(text).toMatch(/awsgql_cursor_map_evictions 0/);
    expect(text).toMatch(/awsgql_request_duration_seconds_bucket/);
    expect(text).toMatch(/awsgql_aws_call_duration_seconds_bucket/);
  });
});

// A fault inside the gateway cannot be caused from outside it: an SDK mock in this process throws one.
describe("an unexpected fault", () => {
  const lines: Record<string, any>[] = [];
  let ec2: ReturnType<typeof mockClient>;
  let inProcess: InProcessGateway;
  beforeAll(async () => {
    // made here, not when the file loads: a mock of EC2Client takes every EC2 client in the process, the seed's too
    ec2 = mockClient(EC2Client);
    ec2.on(DescribeInstancesCommand).callsFake((input: { NextToken?: string }) => {
      if (input.NextToken === "boom") throw new TypeError("unexpected internal fault");
      return {
        Reservations: [{ Instances: Array.from({ length: 3 }, (_, i) => ({ InstanceId: `i-0000000${i}`, State: { Name: "running" }, InstanceType: "t3.micro" })) }],
        NextToken: input.NextToken ? undefined : "boom",
      };
    });
    const logger = pino({ level: "info" }, new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) }));
    inProcess = await startInProcessGateway({}, { logger });
  });
  afterAll(async () => {
    await inProcess?.close();
    ec2.restore();
  });

  it("is masked for the client and logged with the request id", async () => {
    const first = await inProcess.query("{ ec2Instances(first: 3) { pageInfo { endCursor } } }");
    const response = await fetch(inProcess.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "dash-req-boom" },
      body: JSON.stringify({ query: `{ ec2Instances(first: 3, after: "${first.data!.ec2Instances.pageInfo.endCursor}") { edges { cursor } } }` }),
    });
    const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(answer.errors[0]!.extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(answer)).not.toContain("unexpected internal fault");
    expect(lines.find((l) => l.msg === "unexpected error" && l.requestId === "dash-req-boom")?.err.message).toBe("unexpected internal fault");
  });
});
