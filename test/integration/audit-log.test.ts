// The audit log against moto_server: a line per GraphQL request, in the file AUDIT_LOG or on the
// gateway's log, naming the sources read and what it cost, and never a variable, a cursor, an AWS
// token, an API key or a credential.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { runInstances } from "../support/ec2-fixture.js";
import { BUILT_SERVER, motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { startMoto, type Moto } from "../support/moto.js";

const ACCOUNT_ID = "123456789012"; // moto's account
const API_KEY = "audit-key-Zq8Lr2Wx5Pk9";
const SECRET = "AKIAFAKE-s3cr3t/Value+9Xy7Wq";
// Credentials of the gateway's own, distinctive enough to be looked for (moto takes any).
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "AKIAAUDITLOGTEST0001", AWS_SECRET_ACCESS_KEY: "auditLogSecretAccessKey/Xq7+Zr2", AWS_SESSION_TOKEN: "auditLogSessionTokenQ9w8E7" };

const INSTANCES = `query Instances($first: Int, $after: String, $filter: Ec2InstanceFilter) {
  ec2Instances(first: $first, after: $after, filter: $filter) {
    edges { cursor node { instanceId arn } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const LINE_FIELDS = ["audit", "time", "requestId", "caller", "operationName", "documentSha256", "sources", "awsCalls", "cachedAnswers", "errorCodes", "ms"].sort();

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let moto: Moto;
let proxy: AwsProxy;
let dir: string;
let auditFile: string;
/** the gateway writing AUDIT_LOG, with an API key and the page cache on */
let filed: TestGateway;
/** the gateway writing the audit lines on its own log */
let logged: TestGateway;

let counter = 0;
const nextRequestId = () => `audit-test-${(counter += 1)}`;

/** The file's audit lines, parsed (every line must be one). */
function fileLines(): Record<string, any>[] {
  return readFileSync(auditFile, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** A query with its own request id, and the audit line written for it (there must be exactly one). */
async function audited(
  gateway: TestGateway,
  linesOf: () => Record<string, any>[],
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ answer: GraphQLAnswer; line: Record<string, any> }> {
  const requestId = nextRequestId();
  const answer = await gateway.query(query, variables, { ...headers, "x-request-id": requestId });
  // The file is written before the answer goes out; the log is read from the child's stdout.
  let lines: Record<string, any>[] = [];
  for (let waited = 0; waited < 5000; waited += 25) {
    lines = linesOf().filter((l) => l.audit === true && l.requestId === requestId);
    if (lines.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(lines, `one audit line for request ${requestId}`).toHaveLength(1);
  return { answer, line: lines[0]! };
}

const fromFile = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  audited(filed, fileLines, query, variables, { authorization: `Bearer ${API_KEY}`, ...headers });
const fromLog = (query: string, variables?: Record<string, unknown>) => audited(logged, () => logged.logs(), query, variables);

/** The sources an answer's own `extensions.aws` implies for a listing of EC2 in `regions`. */
function expectedSources(answer: GraphQLAnswer, regions: string[]): Record<string, string>[] {
  const sources = regions.map((region) => ({ accountId: ACCOUNT_ID, region, service: "ec2" }));
  // The account's id is asked of STS once per process, by the first request that needs it.
  if (answer.extensions?.aws?.operations?.GetCallerIdentity) sources.push({ accountId: ACCOUNT_ID, region: "us-east-1", service: "sts" });
  return sources;
}

beforeAll(async () => {
  moto = await startMoto();
  // One reservation each: DescribeInstances pages by reservation, so a walk takes several calls.
  for (let i = 0; i < 12; i += 1) await runInstances(moto.endpoint, 1, "us-east-1");
  await runInstances(moto.endpoint, 2, "eu-west-1");
  // The proxy sees every call the gateways make, and so every NextToken AWS gave them.
  proxy = await startAwsProxy(moto.endpoint);
  dir = mkdtempSync(join(tmpdir(), "awsgql-audit-"));
  auditFile = join(dir, "audit.log");
  const trusted = join(dir, "persisted-documents.json");
  writeFileSync(trusted, JSON.stringify({ [`sha256:${sha256(INSTANCES)}`]: INSTANCES }));
  [filed, logged] = await Promise.all([
    startGateway({ ...motoEnv(proxy.url), ...CREDENTIALS, AUDIT_LOG: auditFile, TRUSTED_DOCUMENTS_FILE: trusted, GATEWAY_API_KEYS: `auditor:${API_KEY}`, AWS_CACHE_SECONDS: "60" }),
    startGateway({ ...motoEnv(proxy.url), ...CREDENTIALS, LOG_LEVEL: "info" }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([filed?.close(), logged?.close()]);
  await proxy?.close();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the audit log (AUDIT_LOG)", () => {
  const cursors: string[] = [];

  it("writes one line per page of a walk, with the sources read and the calls and cached answers extensions.aws gives", async () => {
    const first = await fromFile(INSTANCES, { first: 4 });
    expect(first.answer.errors).toBeUndefined();
    const connection = first.answer.data!.ec2Instances;
    cursors.push(...connection.edges.map((e: { cursor: string }) => e.cursor), connection.pageInfo.endCursor);
    const second = await fromFile(INSTANCES, { first: 25, after: connection.pageInfo.endCursor });
    expect(second.answer.errors).toBeUndefined();
    cursors.push(...second.answer.data!.ec2Instances.edges.map((e: { cursor: string }) => e.cursor), second.answer.data!.ec2Instances.pageInfo.endCursor);

    for (const { answer, line } of [first, second]) {
      expect(Object.keys(line).sort()).toEqual(LINE_FIELDS);
      expect(line).toMatchObject({
        audit: true,
        caller: "auditor",
        operationName: "Instances",
        documentSha256: sha256(INSTANCES),
        awsCalls: answer.extensions!.aws.calls,
        cachedAnswers: answer.extensions!.aws.cached,
        errorCodes: [],
      });
      expect(line.awsCalls + line.cachedAnswers).toBeGreaterThan(0);
      expect(new Date(line.time).toISOString()).toBe(line.time);
      expect(line.ms).toBeGreaterThanOrEqual(0);
      expect(line.sources).toEqual(expectedSources(answer, ["us-east-1"]));
      // The sources are the audit log's: extensions.aws is as before.
      expect(Object.keys(answer.extensions!.aws).sort()).toEqual(["cached", "calls", "operations", "retries"]);
    }
    // The second page went on where AWS left off: a real NextToken was sent.
    expect(proxy.requests.some((r) => r.operation === "DescribeInstances" && r.params.get("NextToken"))).toBe(true);
  });

  it("counts answers from the page cache as cached answers, and still names their source", async () => {
    await fromFile(INSTANCES, { first: 3 });
    const { answer, line } = await fromFile(INSTANCES, { first: 3 });
    expect(answer.extensions!.aws).toMatchObject({ calls: 0 });
    expect(answer.extensions!.aws.cached).toBeGreaterThan(0);
    expect(line).toMatchObject({ awsCalls: 0, cachedAnswers: answer.extensions!.aws.cached, sources: [{ accountId: ACCOUNT_ID, region: "us-east-1", service: "ec2" }] });
  });

  it("never holds a variable's value, a cursor, an AWS token, the API key or a credential", async () => {
    const { answer, line } = await fromFile(INSTANCES, { first: 2, filter: { tags: [{ key: "password", values: [SECRET] }] } });
    expect(answer.errors).toBeUndefined();
    expect(line.caller).toBe("auditor");
    const tokens = proxy.requests.map((r) => r.params.get("NextToken")).filter((t): t is string => !!t);
    expect(tokens.length).toBeGreaterThan(0);
    expect(cursors.length).toBeGreaterThan(4);
    const text = readFileSync(auditFile, "utf8");
    for (const secret of [SECRET, API_KEY, ...cursors, ...tokens, ...Object.values(CREDENTIALS)]) expect(text).not.toContain(secret);
    // Nor in any form a grep would miss: what is JSON-escaped, or only a part of it.
    for (const secret of [SECRET, ...tokens]) expect(text).not.toContain(JSON.stringify(secret).slice(1, 21));
  });

  it("writes a line for a document that does not parse, with BAD_USER_INPUT", async () => {
    const broken = "query Broken { ec2Instances(first: 1) { edges { node { instanceId } }";
    const { answer, line } = await fromFile(broken);
    expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // refused before the request's context was made, and still the caller its key names
    expect(line).toMatchObject({ caller: "auditor", documentSha256: sha256(broken), errorCodes: ["BAD_USER_INPUT"], awsCalls: 0, cachedAnswers: 0, sources: [] });
  });

  it("writes a line for a request without a valid key, with UNAUTHENTICATED and no caller", async () => {
    const { answer, line } = await fromFile(INSTANCES, { first: 1 }, { authorization: "Bearer not-the-key-at-all" });
    expect(answer.status).toBe(401);
    expect(line).toMatchObject({ caller: null, errorCodes: ["UNAUTHENTICATED"], awsCalls: 0, sources: [] });
    expect(readFileSync(auditFile, "utf8")).not.toContain("not-the-key-at-all");
  });

  it("writes a line for a query refused as too costly, before any AWS call", async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: ec2Instances(first: 1) { edges { cursor } }`).join(" ");
    const { answer, line } = await fromFile(`query Costly { ${aliases} }`);
    expect(answer.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
    expect(line).toMatchObject({ caller: "auditor", operationName: "Costly", errorCodes: ["QUERY_TOO_COSTLY"], awsCalls: 0, sources: [] });
  });

  it("gives a trusted document's hash when a request names it by id, and the id when it is unknown", async () => {
    const send = async (documentId: string) => {
      const requestId = nextRequestId();
      const response = await fetch(filed.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${API_KEY}`, "x-request-id": requestId },
        body: JSON.stringify({ documentId, variables: { first: 1 } }),
      });
      const answer = (await response.json()) as GraphQLAnswer;
      return { answer, line: fileLines().find((l) => l.requestId === requestId)! };
    };
    const known = await send(`sha256:${sha256(INSTANCES)}`);
    expect(known.answer.errors).toBeUndefined();
    expect(known.line).toMatchObject({ caller: "auditor", operationName: "Instances", documentSha256: sha256(INSTANCES), errorCodes: [] });
    const unknownId = `sha256:${sha256("query Never { __typename }")}`;
    const unknown = await send(unknownId);
    expect(unknown.line).toMatchObject({ operationName: null, documentSha256: unknownId, errorCodes: ["PERSISTED_QUERY_NOT_FOUND"], sources: [] });
  });

  it("names every source of a query over several regions", async () => {
    const query = `query TwoRegions { ec2Instances(first: 50, regions: ["us-east-1", "eu-west-1"]) { edges { node { instanceId region } } } }`;
    const { answer, line } = await fromFile(query, undefined, { "cache-control": "no-cache" });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ec2Instances.edges.some((e: { node: { region: string } }) => e.node.region === "eu-west-1")).toBe(true);
    expect(line.sources).toEqual(expectedSources(answer, ["us-east-1", "eu-west-1"]));
    expect(line.awsCalls).toBe(answer.extensions!.aws.calls);
  });
});

describe("the audit log on the gateway's log", () => {
  it("writes one line per request with audit: true, beside the gateway's other records", async () => {
    const first = await fromLog(INSTANCES, { first: 4 });
    const second = await fromLog(INSTANCES, { first: 25, after: first.answer.data!.ec2Instances.pageInfo.endCursor });
    const secret = await fromLog(INSTANCES, { first: 2, filter: { tags: [{ key: "password", values: [SECRET] }] } });
    for (const { answer, line } of [first, second, secret]) {
      expect(answer.errors).toBeUndefined();
      expect(line).toMatchObject({
        msg: "audit",
        caller: "anonymous",
        operationName: "Instances",
        documentSha256: sha256(INSTANCES),
        awsCalls: answer.extensions!.aws.calls,
        cachedAnswers: answer.extensions!.aws.cached,
        errorCodes: [],
        sources: expectedSources(answer, ["us-east-1"]),
      });
    }
    const audit = JSON.stringify(logged.logs().filter((l) => l.audit === true));
    for (const secret of [SECRET, first.answer.data!.ec2Instances.pageInfo.endCursor, ...Object.values(CREDENTIALS)]) expect(audit).not.toContain(secret);
  });

  it("logs a document that does not validate with BAD_USER_INPUT", async () => {
    const { line } = await fromLog(`query Unknown { noSuchField }`);
    expect(line).toMatchObject({ operationName: "Unknown", errorCodes: ["BAD_USER_INPUT"], sources: [] });
  });
});

describe("AUDIT_LOG at start", () => {
  /** The built server started with `env`: how it exits and what it says on standard error. */
  const started = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [BUILT_SERVER], { env: { ...process.env, LOG_LEVEL: "silent", NODE_ENV: "production", PORT: "0", ...env }, timeout: 30_000 }, (_error, _stdout, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });

  it("stops the process with one line when the file cannot be opened", async () => {
    const missing = join(dir, "no-such-dir", "audit.log");
    expect(await started({ AUDIT_LOG: missing })).toEqual({ code: 2, stderr: expect.stringMatching(/^awsgql: invalid AUDIT_LOG \(got "[^"]+"\): its directory does not exist\n$/) });
    expect(await started({ AUDIT_LOG: dir })).toEqual({ code: 2, stderr: expect.stringMatching(/^awsgql: invalid AUDIT_LOG \(got "[^"]+"\): it is a directory; name a file\n$/) });
  });
});
