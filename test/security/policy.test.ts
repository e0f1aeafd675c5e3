// Who may see what (GATEWAY_POLICY_FILE): a caller reads only the accounts, regions and services its
// entry (joined with its groups') allows; a field naming anything outside is FORBIDDEN before any
// AWS call, `*` and patterns shrink to the scope, node ids outside it are null and FORBIDDEN.
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountDirectory } from "../../src/aws/accounts.js";
import type { RequestAws } from "../../src/aws/clients.js";
import { loadConfig, type PolicyFile } from "../../src/config.js";
import { RequestScope, exploreAllowed, scopeOf } from "../../src/graphql/policy.js";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const PROD_ID = "111111111111";
const ROLE = `arn:aws:iam::${PROD_ID}:role/InventoryReader`;
const KEYS = "alice:alice-secret-1,bob:bob-secret-22,carol:carol-secret-3";
const as = (caller: "alice" | "bob" | "carol") => ({ authorization: `Bearer ${caller}-secret-${{ alice: "1", bob: "22", carol: "3" }[caller]}` });

/** alice: one account, eu-* regions, EC2 and S3; bob: no entry; carol: everything, and may explore. */
const POLICY = {
  callers: { alice: { accounts: ["prod"], regions: ["eu-*"], services: ["ec2", "s3"] }, carol: { explore: true } },
  groups: { platform: { accounts: ["*"] }, payments: { accounts: [PROD_ID], services: ["ec2", "lambda"] }, eu: { regions: ["eu-*"] } },
};

/** Instances seeded: account -> region -> how many. */
const SEEDED = { default: { "us-east-1": 2, "eu-west-1": 1 }, prod: { "us-east-1": 1, "eu-west-1": 2, "eu-central-1": 1 } } as const;

let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;
let dir: string;
let policyFile: string;
const instances: { id: string; account: string; region: string }[] = [];

beforeAll(async () => {
  moto = await startMoto();
  const sts = new STSClient(motoClientConfig(moto.endpoint));
  const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "seed" }))).Credentials!;
  const credentials = {
    default: { accessKeyId: "testing", secretAccessKey: "testing" },
    prod: { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken },
  };
  for (const [account, regions] of Object.entries(SEEDED) as [keyof typeof SEEDED, Record<string, number>][]) {
    for (const [region, count] of Object.entries(regions)) {
      const ec2 = new EC2Client({ ...motoClientConfig(moto.endpoint, region), credentials: credentials[account] });
      const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: count, MaxCount: count }));
      for (const instance of run.Instances!) instances.push({ id: instance.InstanceId!, account, region });
    }
  }
  await new IAMClient({ ...motoClientConfig(moto.endpoint), credentials: credentials.prod }).send(new CreateUserCommand({ UserName: "prod-user" }));
  dir = mkdtempSync(join(tmpdir(), "awsgql-policy-"));
  policyFile = join(dir, "policy.json");
  writeFileSync(policyFile, JSON.stringify(POLICY));
  proxy = await startAwsProxy(moto.endpoint);
  gateway = await startGateway({ ...motoEnv(proxy.url), AWS_ACCOUNTS: `prod=${ROLE}`, GATEWAY_API_KEYS: KEYS, GATEWAY_POLICY_FILE: policyFile });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const LIST = `query($accounts: [String!], $regions: [String!], $region: String) {
  ec2Instances(accounts: $accounts, regions: $regions, region: $region, first: 100) { totalCount edges { node { id instanceId accountName region } } }
}`;

const codesOf = (answer: GraphQLAnswer) => (answer.errors ?? []).map((e) => e.extensions?.code);

/** The answer, and how many AWS calls it made. */
async function counted(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  proxy.reset();
  const answer = await gateway.query(query, variables, headers);
  return { answer, calls: proxy.requests.length };
}

const idsIn = (accounts: string[], regionTest: (r: string) => boolean) =>
  instances.filter((i) => accounts.includes(i.account) && regionTest(i.region)).map((i) => i.id).sort();

describe("a caller limited to one account, eu-* regions, EC2 and S3", () => {
  it('lists only its sources under accounts: ["*"], regions: ["*"], and counts only those', async () => {
    const { answer } = await counted(LIST, { accounts: ["*"], regions: ["*"] }, as("alice"));
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.ec2Instances.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.instanceId).sort()).toEqual(idsIn(["prod"], (r) => r.startsWith("eu-")));
    expect(new Set(nodes.map((n: any) => n.accountName))).toEqual(new Set(["prod"]));
    expect(answer.data!.ec2Instances.totalCount).toBe(3);
  });

  it("shrinks a pattern to the scope without refusing it", async () => {
    const { answer } = await counted(LIST, { accounts: ["prod"], regions: ["*-central-*", "us-*"] }, as("alice"));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ec2Instances.edges.map((e: any) => e.node.instanceId).sort()).toEqual(idsIn(["prod"], (r) => r === "eu-central-1"));
    // a pattern that reaches nothing in the scope is an empty listing
    const empty = await counted(LIST, { accounts: ["*"], regions: ["ap-*"] }, as("alice"));
    expect(empty.answer.errors).toBeUndefined();
    expect(empty.answer.data!.ec2Instances).toMatchObject({ totalCount: 0, edges: [] });
  });

  it("is FORBIDDEN, with no AWS call, to name another account, a region outside, or omit accounts (the default account)", async () => {
    for (const variables of [{ accounts: ["default"], regions: ["eu-west-1"] }, { accounts: ["prod", "default"], regions: ["eu-*"] }, { accounts: ["prod"], region: "us-east-1" }, { accounts: ["*"], regions: ["eu-west-1", "us-east-1"] }, { regions: ["eu-west-1"] }]) {
      const { answer, calls } = await counted(LIST, variables, as("alice"));
      expect(answer.status, JSON.stringify(variables)).toBe(200);
      expect(answer.data?.ec2Instances ?? null).toBeNull();
      expect(codesOf(answer)).toEqual(["FORBIDDEN"]);
      expect(calls).toBe(0);
    }
  });

  it("is FORBIDDEN, with no AWS call, to read a service outside (IAM), even in its account", async () => {
    const { answer, calls } = await counted(`{ iamUsers(accounts: ["prod"]) { totalCount edges { node { userName } } } }`, {}, as("alice"));
    expect(answer.data?.iamUsers ?? null).toBeNull();
    expect(codesOf(answer)).toEqual(["FORBIDDEN"]);
    expect(calls).toBe(0);
    // connections are non-null, so the refusal nulls the answer's data, as any connection's error does
    const mixed = await counted(`{ iamUsers(accounts: ["prod"]) { totalCount } ec2Instances(accounts: ["prod"], region: "eu-central-1") { totalCount } }`, {}, as("alice"));
    expect(mixed.answer.data ?? null).toBeNull();
    expect(codesOf(mixed.answer)).toEqual(["FORBIDDEN"]);
    expect(mixed.answer.errors![0]!.path).toEqual(["iamUsers"]);
  });

  it("gets null and FORBIDDEN for node(id:) of an instance in a forbidden region or account, with no AWS call; allowed ones load", async () => {
    const all = await gateway.query(LIST, { accounts: ["*"], regions: ["*"] }, as("carol"));
    expect(all.errors).toBeUndefined();
    const nodes: { id: string; instanceId: string; accountName: string; region: string }[] = all.data!.ec2Instances.edges.map((e: any) => e.node);
    expect(nodes.map((n) => n.instanceId).sort()).toEqual(instances.map((i) => i.id).sort());
    const outside = [nodes.find((n) => n.accountName === "prod" && n.region === "us-east-1")!, nodes.find((n) => n.accountName === "default" && n.region === "eu-west-1")!];
    const inside = nodes.find((n) => n.accountName === "prod" && n.region === "eu-west-1")!;
    const NODE = `query($id: ID!) { node(id: $id) { ... on Ec2Instance { instanceId region } } }`;
    for (const node of outside) {
      const { answer, calls } = await counted(NODE, { id: node.id }, as("alice"));
      expect(answer.data).toEqual({ node: null });
      expect(codesOf(answer)).toEqual(["FORBIDDEN"]);
      expect(calls).toBe(0);
    }
    const allowed = await counted(NODE, { id: inside.id }, as("alice"));
    expect(allowed.answer.errors).toBeUndefined();
    expect(allowed.answer.data).toEqual({ node: { instanceId: inside.instanceId, region: "eu-west-1" } });
    // nodes: each id in its place
    const many = await counted(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Ec2Instance { instanceId } } }`, { ids: [outside[0]!.id, inside.id] }, as("alice"));
    expect(many.answer.data!.nodes).toEqual([null, { instanceId: inside.instanceId }]);
    expect(codesOf(many.answer)).toEqual(["FORBIDDEN"]);
    // the single-item field too
    const single = await counted(`query($id: String!) { ec2Instance(instanceId: $id, region: "us-east-1", account: "prod") { instanceId } }`, { id: outside[0]!.instanceId }, as("alice"));
    expect(single.answer.data).toEqual({ ec2Instance: null });
    expect(codesOf(single.answer)).toEqual(["FORBIDDEN"]);
    expect(single.calls).toBe(0);
  });
});

describe("callers with no entry, and with everything", () => {
  it("a caller with no entry reads nothing: FORBIDDEN with no AWS call", async () => {
    for (const query of [`{ ec2Instances { totalCount } }`, `{ ec2Instances(accounts: ["*"], regions: ["*"]) { totalCount } }`, `{ s3Buckets(accounts: ["*"]) { totalCount } }`]) {
      const { answer, calls } = await counted(query, {}, as("bob"));
      expect(answer.status).toBe(200);
      expect(answer.data ?? null).toBeNull();
      expect(codesOf(answer)).toEqual(["FORBIDDEN"]);
      expect(calls).toBe(0);
    }
  });

  it("a caller whose entry leaves every dimension out reads everything", async () => {
    const { answer } = await counted(LIST, { accounts: ["*"], regions: ["*"] }, as("carol"));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ec2Instances.totalCount).toBe(instances.length);
    const users = await gateway.query(`{ iamUsers(accounts: ["prod"]) { edges { node { userName } } } }`, {}, as("carol"));
    expect(users.data!.iamUsers.edges.map((e: any) => e.node.userName)).toEqual(["prod-user"]);
  });
});

describe("without GATEWAY_POLICY_FILE", () => {
  it("every authenticated caller reads everything, as before", async () => {
    const plain = await startGateway({ ...motoEnv(proxy.url), AWS_ACCOUNTS: `prod=${ROLE}`, GATEWAY_API_KEYS: KEYS });
    try {
      const answer = await plain.query(LIST, { accounts: ["*"], regions: ["*"] }, as("bob"));
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.ec2Instances.totalCount).toBe(instances.length);
      const users = await plain.query(`{ iamUsers(accounts: ["prod"]) { totalCount } }`, {}, as("bob"));
      expect(users.data).toEqual({ iamUsers: { totalCount: 1 } });
    } finally {
      await plain.close();
    }
  });
});

describe("explore under TRUSTED_DOCUMENTS_ONLY", () => {
  it('lets a caller whose entry says "explore": true send text documents, and no other', async () => {
    const text = `{ ec2Instances(accounts: ["prod"], region: "eu-west-1") { totalCount } }`;
    const manifest = join(dir, "documents.json");
    writeFileSync(manifest, JSON.stringify({ [`sha256:${createHash("sha256").update(text).digest("hex")}`]: text }));
    const only = await startGateway({
      ...motoEnv(proxy.url),
      AWS_ACCOUNTS: `prod=${ROLE}`,
      GATEWAY_API_KEYS: KEYS,
      GATEWAY_POLICY_FILE: policyFile,
      TRUSTED_DOCUMENTS_FILE: manifest,
      TRUSTED_DOCUMENTS_ONLY: "true",
    });
    try {
      const explorer = await only.query(`{ ec2Instances(accounts: ["prod"], region: "eu-central-1") { totalCount } }`, {}, as("carol"));
      expect(explorer.status).toBe(200);
      expect(explorer.data).toEqual({ ec2Instances: { totalCount: 1 } });
      const refused = await only.query(`{ ec2Instances(accounts: ["prod"], region: "eu-central-1") { totalCount } }`, {}, as("alice"));
      expect(refused.status).toBe(400);
      expect(codesOf(refused)).toEqual(["PERSISTED_QUERY_ONLY"]);
    } finally {
      await only.close();
    }
  });
});

describe("scopeOf and the request's checks (groups come from a JWT's groups claim)", () => {
  const policy = loadConfig({ AWS_ACCOUNTS: `prod=${ROLE}`, GATEWAY_POLICY_FILE: "" }).GATEWAY_POLICY_FILE;
  const file: PolicyFile = { path: "policy.json", callers: POLICY.callers as PolicyFile["callers"], groups: POLICY.groups as PolicyFile["groups"] };
  const directory = new AccountDirectory([{ name: "prod", roleArn: ROLE, accountId: PROD_ID }]);
  const noAws = {
    forAccount: () => {
      throw new Error("no AWS call expected");
    },
  } as unknown as RequestAws;
  const scope = (caller: string, groups: string[]) => new RequestScope(scopeOf(file, caller, groups), directory, noAws);

  it("joins a caller's entry with its groups'; no file: everything", async () => {
    expect(policy).toBeUndefined();
    expect(scopeOf(undefined, "anyone", [])).toBeUndefined();
    expect(scopeOf(file, "dave", [])).toEqual([]);
    expect(scopeOf(file, "alice", ["payments", "unknown"])).toEqual([POLICY.callers.alice, POLICY.groups.payments]);
    expect(exploreAllowed(scopeOf(file, "carol", []))).toBe(true);
    expect(exploreAllowed(scopeOf(file, "alice", ["platform"]))).toBe(false);
  });

  it("allows a source when one entry allows its account, region and service together", async () => {
    // alice alone: prod, eu-*, ec2/s3; with payments: prod (by id) for lambda in any region
    const alice = scope("alice", ["payments"]);
    expect(await alice.allows("lambda", "prod", "us-east-1")).toBe(true);
    expect(await alice.allows("ec2", "prod", "us-east-1")).toBe(true);
    expect(await alice.allows("s3", "prod", "us-east-1")).toBe(false);
    expect(await alice.allows("s3", "prod", undefined)).toBe(true);
    await expect(alice.checkPlace("iam", "prod", undefined)).rejects.toMatchObject({ extensions: { code: "FORBIDDEN" } });
    // platform: every account, region and service
    expect(await scope("dave", ["platform"]).allows("iam", "default", undefined)).toBe(true);
    // eu: any account, any service, eu-* only
    const eu = scope("erin", ["eu"]);
    const listing = await eu.listing("ec2", { accounts: ["default", "prod"], outright: [], parents: [] }, ["*"]);
    expect(listing.accounts).toEqual(["default", "prod"]);
    expect([listing.keep("prod", "eu-north-1"), listing.keep("default", "us-west-2")]).toEqual([true, false]);
    await expect(eu.listing("ec2", { accounts: ["default"], outright: ["default"], parents: [] }, ["us-west-2"])).rejects.toMatchObject({ extensions: { code: "FORBIDDEN" } });
    // no entry: nothing
    await expect(scope("dave", []).listing("ec2", { accounts: ["default"], outright: [], parents: [] }, ["*"])).rejects.toMatchObject({ extensions: { code: "FORBIDDEN" } });
  });

  it("stops the process with one line for a bad file", () => {
    const bad = (content: string, env: Record<string, string> = {}) => {
      const path = join(dir, `bad-${createHash("sha256").update(content).digest("hex").slice(0, 8)}.json`);
      writeFileSync(path, content);
      return () => loadConfig({ AWS_ACCOUNTS: `prod=${ROLE}`, GATEWAY_POLICY_FILE: path, ...env });
    };
    expect(bad("{ not json")).toThrow(/^invalid GATEWAY_POLICY_FILE.*not JSON/);
    expect(bad(JSON.stringify({ callers: { a: { services: ["ec3"] } } }))).toThrow(/^invalid GATEWAY_POLICY_FILE.*callers\.a\.services/);
    expect(bad(JSON.stringify({ callers: { a: { accounts: ["staging"] } } }))).toThrow(/^invalid GATEWAY_POLICY_FILE.*"staging" is not "default" nor an account/);
    expect(bad(JSON.stringify({ teams: {} }))).toThrow(/^invalid GATEWAY_POLICY_FILE/);
    const withOus = JSON.stringify({ groups: { g: { accounts: ["ou-ab12-cdef3456", "r-ab12", "123456789012", "*"], regions: ["eu-*"], explore: false } } });
    expect(bad(withOus, { AWS_ORGANIZATION_ROLE: "AwsgqlReader" })).not.toThrow();
    expect(bad(withOus)).toThrow(/^invalid GATEWAY_POLICY_FILE.*"ou-ab12-cdef3456" is an organizational unit or root, which needs AWS_ORGANIZATION_ROLE/);
    // an Organizations name, which a member account may change itself, never scopes a caller
    expect(bad(JSON.stringify({ groups: { g: { accounts: ["payments-prod"] } } }), { AWS_ORGANIZATION_ROLE: "AwsgqlReader" })).toThrow(/"payments-prod" is not "default" nor an account/);
    for (const message of [bad("[1")].map((f) => { try { f(); return ""; } catch (e) { return (e as Error).message; } })) expect(message).not.toContain("\n");
  });
});
