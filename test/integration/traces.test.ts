// Traces from the built gateway to an OTLP/HTTP receiver on loopback, with moto as AWS.
import { randomBytes, randomUUID } from "node:crypto";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.js";

const MOTO_ACCOUNT = "123456789012";
const DENIED_ROLE = "arn:aws:iam::333333333333:role/InventoryReader";
const USERS = `query IamUsers($first: Int) { iamUsers(first: $first) { edges { node { userName } } } }`;
const SPAN_KIND = { server: 2, client: 3 };
const STATUS = { unset: 0, error: 2 };

let moto: Moto;
let proxy: AwsProxy;
let receiver: OtlpReceiver;
let gateway: TestGateway;

const tracingEnv = (receiver: OtlpReceiver) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  OTEL_BSP_SCHEDULE_DELAY: "50",
});

/** The request span of the request sent with `requestId`, and the spans under it, once all have arrived. */
async function traceOf(receiver: OtlpReceiver, requestId: string, awsSpans: number): Promise<{ request: ReceivedSpan; aws: ReceivedSpan[] }> {
  return receiver.waitFor(`trace of request ${requestId} with ${awsSpans} AWS call span(s)`, (spans) => {
    const request = spans.find((s) => s.attributes["awsgql.request_id"] === requestId);
    const aws = spans.filter((s) => request && s.traceId === request.traceId && s.spanId !== request.spanId);
    return request && aws.length >= awsSpans ? { request, aws } : undefined;
  });
}

beforeAll(async () => {
  moto = await startMoto();
  const iam = new IAMClient(motoClientConfig(moto.endpoint));
  for (const name of ["ada", "grace", "linus"]) await iam.send(new CreateUserCommand({ UserName: name }));
  iam.destroy();
  proxy = await startAwsProxy(moto.endpoint, { deniedRoles: [DENIED_ROLE] });
  receiver = await startOtlpReceiver();
  gateway = await startGateway({
    ...motoEnv(proxy.url),
    ...tracingEnv(receiver),
    AWS_ACCOUNTS: `denied=${DENIED_ROLE}`,
    AWS_CACHE_SECONDS: "60",
  });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
  await proxy?.close();
  await moto?.stop();
});

describe("traces over OTLP/HTTP", () => {
  it("sends a span per GraphQL request and, under it, a span per AWS call saying what was asked, where, and how it was answered", async () => {
    const requestId = `traces-${randomUUID()}`;
    const answer = await gateway.query(USERS, { first: 2 }, { "x-request-id": requestId });
    expect(answer.errors).toBeUndefined();

    const { request, aws } = await traceOf(receiver, requestId, 1);
    expect(request).toMatchObject({
      name: "query IamUsers",
      kind: SPAN_KIND.server,
      parentSpanId: undefined,
      status: { code: STATUS.unset },
      attributes: { "graphql.operation.name": "IamUsers", "graphql.operation.type": "query", "awsgql.request_id": requestId },
      resource: { "service.name": "awsgql" },
    });
    expect(aws).toHaveLength(1);
    expect(aws[0]).toMatchObject({
      name: "IAM.ListUsers",
      kind: SPAN_KIND.client,
      parentSpanId: request.spanId,
      status: { code: STATUS.unset },
      attributes: {
        "rpc.system": "aws-api",
        "rpc.service": "IAM",
        "rpc.method": "ListUsers",
        "cloud.region": "us-east-1",
        "cloud.account.id": MOTO_ACCOUNT,
        "awsgql.answer": "miss",
        "awsgql.retries": 0,
        "awsgql.budget_wait_ms": 0,
      },
    });
    expect(aws[0]!.attributes["aws.request_id"]).toEqual(expect.any(String));
    // The account's id was asked of STS once, outside any request: no span of its own.
    expect(receiver.spans().filter((s) => s.name.startsWith("STS."))).toEqual([]);
  });

  it("marks an AWS answer that came from the cache as a hit", async () => {
    const first = `traces-${randomUUID()}`;
    const again = `traces-${randomUUID()}`;
    await gateway.query(USERS, { first: 3 }, { "x-request-id": first });
    await gateway.query(USERS, { first: 3 }, { "x-request-id": again });
    expect((await traceOf(receiver, first, 1)).aws[0]!.attributes["awsgql.answer"]).toBe("miss");
    const { aws } = await traceOf(receiver, again, 1);
    expect(aws[0]!.attributes).toMatchObject({ "rpc.method": "ListUsers", "awsgql.answer": "hit", "cloud.account.id": MOTO_ACCOUNT });
  });

  it("continues the caller's trace from its traceparent header", async () => {
    const traceId = randomBytes(16).toString("hex");
    const callerSpanId = randomBytes(8).toString("hex");
    const requestId = `traces-${randomUUID()}`;
    await gateway.query(USERS, { first: 1 }, { "x-request-id": requestId, traceparent: `00-${traceId}-${callerSpanId}-01` });

    const { request, aws } = await traceOf(receiver, requestId, 1);
    expect(request.traceId).toBe(traceId);
    expect(request.parentSpanId).toBe(callerSpanId);
    expect(aws[0]!.traceId).toBe(traceId);
    expect(aws[0]!.parentSpanId).toBe(request.spanId);
  });

  it("fails the AWS call's span and the request's with the contract code when AWS refuses", async () => {
    const requestId = `traces-${randomUUID()}`;
    const answer = await gateway.query(`{ iamUsers(accounts: ["denied"], first: 2) { edges { node { userName } } } }`, undefined, { "x-request-id": requestId });
    expect(answer.errors?.[0]?.extensions?.code).toBe("AWS_ACCESS_DENIED");

    const { request, aws } = await traceOf(receiver, requestId, 1);
    expect(aws[0]).toMatchObject({
      name: "IAM.ListUsers",
      parentSpanId: request.spanId,
      status: { code: STATUS.error, message: "AWS_ACCESS_DENIED" },
      attributes: { "error.type": "AWS_ACCESS_DENIED", "cloud.account.id": "333333333333" },
    });
    expect(request).toMatchObject({ status: { code: STATUS.error, message: "AWS_ACCESS_DENIED" }, attributes: { "error.type": "AWS_ACCESS_DENIED" } });
  });

  it("says how long a call waited for the account budget", async () => {
    const budgeted = await startGateway({ ...motoEnv(moto.endpoint), ...tracingEnv(receiver), AWS_CALLS_PER_SECOND: "iam=1", AWS_BUDGET_WAIT_MS: "10000" });
    try {
      // Two calls at once, one IAM call a second: one of them waits for the other's second to pass.
      const requestIds = [`traces-${randomUUID()}`, `traces-${randomUUID()}`];
      await Promise.all(requestIds.map((id, i) => budgeted.query(USERS, { first: i + 1 }, { "x-request-id": id })));
      const waits = await Promise.all(requestIds.map(async (id) => (await traceOf(receiver, id, 1)).aws[0]!.attributes["awsgql.budget_wait_ms"] as number));
      expect(Math.min(...waits)).toBe(0);
      expect(Math.max(...waits)).toBeGreaterThan(0);
    } finally {
      await budgeted.close();
    }
  });

  it("sends protobuf by default, and the spans still batched when it is stopped", async () => {
    const protobufReceiver = await startOtlpReceiver();
    // Batches leave every ten minutes: only the flush at SIGTERM can send this one.
    const quiet = await startGateway({ ...motoEnv(moto.endpoint), OTEL_EXPORTER_OTLP_ENDPOINT: protobufReceiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: "600000" });
    try {
      expect((await quiet.query(USERS, { first: 1 })).errors).toBeUndefined();
      expect(protobufReceiver.exports).toEqual([]);
      await quiet.close();
      expect(protobufReceiver.exports.length).toBeGreaterThan(0);
      const body = Buffer.concat(protobufReceiver.exports.map((e) => e.body));
      expect(protobufReceiver.exports.every((e) => e.contentType === "application/x-protobuf")).toBe(true);
      for (const text of ["query IamUsers", "IAM.ListUsers", "awsgql", "aws-api"]) expect(body.includes(text), text).toBe(true);
    } finally {
      await quiet.close();
      await protobufReceiver.close();
    }
  });

  it("stops at start with one line when an OTEL_ variable has a value it cannot use", async () => {
    await expect(startGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).rejects.toThrow(
      /exited with 2: awsgql: invalid OTEL_EXPORTER_OTLP_PROTOCOL \(got "grpc"\): [^\n]+\n?$/,
    );
  });
});
