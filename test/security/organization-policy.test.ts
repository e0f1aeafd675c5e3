// Who may see what across an organization: a policy file whose groups name an OU, the root and an
// account id, callers signed in with OpenID Connect tokens whose `groups` claim picks the
// entry. `*` shrinks to the scope, an account named outside it is FORBIDDEN before any call in
// it (and so is one outside the organization: the answer tells nothing of what lies outside the
// scope), and organizationAccounts shows only the accounts the scope allows.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { AUDIENCE, bearer, ISSUER, published, signingKey, startJwks, tokenOf, type JwksServer, type SigningKey } from "../support/identity-provider.js";
import { startMoto, type Moto } from "../support/moto.js";
import { MANAGEMENT_ID, MEMBER_ROLE, seedOrganization, type SeededOrganization } from "../support/organization.js";

type Ou = "Payments" | "PaymentsDev" | "Web" | "Empty";
const REGIONS = ["us-east-1", "eu-west-1"];

let moto: Moto;
let proxy: AwsProxy;
let jwks: JwksServer;
let key: SigningKey;
let gateway: TestGateway;
let dir: string;
let org: SeededOrganization<Ou>;

beforeAll(async () => {
  moto = await startMoto();
  org = await seedOrganization(moto.endpoint, {
    ous: [["Payments", "root"], ["PaymentsDev", "Payments"], ["Web", "root"], ["Empty", "root"]],
    members: [
      { name: "pay-prod", parent: "Payments", instances: { "us-east-1": 1, "eu-west-1": 1 } },
      { name: "web-prod", parent: "Web", instances: { "us-east-1": 1 } },
      { name: "pay-dev", parent: "PaymentsDev", instances: { "eu-west-1": 1 } },
      { name: "pay-old", parent: "Payments", instances: {}, closed: true },
    ],
    managementInstances: { "us-east-1": 1 },
  });
  key = await signingKey("ES256", "org-1");
  jwks = await startJwks([await published(key)]);
  dir = mkdtempSync(join(tmpdir(), "awsgql-org-policy-"));
  const policyFile = join(dir, "policy.json");
  writeFileSync(
    policyFile,
    JSON.stringify({
      groups: {
        payments: { accounts: [org.ouIds.Payments], services: ["ec2", "organizations"] },
        web: { accounts: [org.ids["web-prod"]!], services: ["ec2"], regions: ["us-*"] },
        platform: { accounts: [org.rootId] },
      },
    }),
  );
  proxy = await startAwsProxy(moto.endpoint);
  gateway = await startGateway({
    ...motoEnv(proxy.url),
    AWS_ORGANIZATION_ROLE: MEMBER_ROLE,
    GATEWAY_POLICY_FILE: policyFile,
    GATEWAY_JWT_JWKS_URL: jwks.url,
    GATEWAY_JWT_ISSUER: ISSUER,
    GATEWAY_JWT_AUDIENCE: AUDIENCE,
  });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await jwks?.close();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const INSTANCES = `query($accounts: [String!], $regions: [String!]) {
  ec2Instances(accounts: $accounts, regions: $regions, first: 100) {
    totalCount countBy(field: ACCOUNT) { key count } edges { node { id instanceId accountId accountName } }
  }
}`;
const ORGANIZATION_ACCOUNTS = `{ organizationAccounts(first: 100) { totalCount edges { node { accountId name status } } } }`;

/** A caller of these groups, signed in with a token. */
const memberOf = async (...groups: string[]) => bearer(await tokenOf(key, { sub: `someone-in-${groups.join("-") || "nothing"}`, groups }));

type ProxyRequest = AwsProxy["requests"][number];
const inMemberAccount = (r: ProxyRequest) => r.params.get("Version") === "2016-11-15" || r.operation === "AssumeRole";

/** The answer, and the EC2 calls and AssumeRoles the proxy saw while it was made. */
async function observed(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const start = proxy.requests.length;
  const answer = await gateway.query(query, variables, headers);
  return { answer, calls: proxy.requests.slice(start).filter(inMemberAccount) };
}

const codesOf = (answer: GraphQLAnswer) => (answer.errors ?? []).map((e) => e.extensions?.code);
const seededIn = (...accountIds: string[]) => org.instances.filter((i) => accountIds.includes(i.accountId)).map((i) => i.instanceId).sort();
const listedIds = (answer: GraphQLAnswer) => answer.data!.ec2Instances.edges.map((e: { node: { instanceId: string } }) => e.node.instanceId).sort();

describe("a group whose policy names an OU", () => {
  it('reads through `["*"]` only the accounts below the OU, at any depth, and counts only those', async () => {
    const { answer } = await observed(INSTANCES, { accounts: ["*"], regions: REGIONS }, await memberOf("payments"));
    expect(answer.errors).toBeUndefined();
    expect(listedIds(answer)).toEqual(seededIn(org.ids["pay-prod"]!, org.ids["pay-dev"]!));
    expect(answer.data!.ec2Instances.totalCount).toBe(3);
    expect(answer.data!.ec2Instances.countBy).toEqual([
      { key: org.ids["pay-prod"], count: 2 },
      { key: org.ids["pay-dev"], count: 1 },
    ]);
    const names = new Set(answer.data!.ec2Instances.edges.map((e: { node: { accountName: string } }) => e.node.accountName));
    expect(names).toEqual(new Set(["pay-prod", "pay-dev"]));
  });

  it("may name the OU itself, or an account below it by id or Organizations name", async () => {
    const headers = await memberOf("payments");
    for (const accounts of [[org.ouIds.Payments], [org.ouIds.PaymentsDev], [org.ids["pay-dev"]!], ["pay-dev"]]) {
      const { answer } = await observed(INSTANCES, { accounts, regions: REGIONS }, headers);
      expect(answer.errors, JSON.stringify(accounts)).toBeUndefined();
    }
  });

  it("shrinks the root, named outright, to the accounts below the OU, as it does `*`", async () => {
    const { answer } = await observed(INSTANCES, { accounts: [org.rootId], regions: REGIONS }, await memberOf("payments"));
    expect(answer.errors).toBeUndefined();
    expect(listedIds(answer)).toEqual(seededIn(org.ids["pay-prod"]!, org.ids["pay-dev"]!));
  });

  it("is FORBIDDEN to name another account (by id, name or OU) or the gateway's own, before any call in it", async () => {
    const headers = await memberOf("payments");
    for (const accounts of [[org.ids["web-prod"]!], ["web-prod"], [org.ouIds.Web], [MANAGEMENT_ID], ["default"], undefined]) {
      const { answer, calls } = await observed(INSTANCES, { accounts, regions: REGIONS }, headers);
      expect(codesOf(answer), JSON.stringify(accounts)).toEqual(["FORBIDDEN"]);
      expect(calls.map((c) => c.operation), JSON.stringify(accounts)).toEqual([]);
    }
  });

  it("is FORBIDDEN, not BAD_USER_INPUT, to name what reaches no account: an id outside the organization, a closed account, an unknown OU or name", async () => {
    const headers = await memberOf("payments");
    for (const accounts of [["999999999999"], [org.ids["pay-old"]!], ["pay-old"], ["ou-zzzz-zzzzzzzz"], ["no-such-account"]]) {
      const { answer, calls } = await observed(INSTANCES, { accounts, regions: REGIONS }, headers);
      expect(codesOf(answer), JSON.stringify(accounts)).toEqual(["FORBIDDEN"]);
      expect(answer.errors![0]!.message).not.toMatch(/\d{12}|SUSPENDED|organization/);
      expect(calls).toEqual([]);
    }
  });

  it("is FORBIDDEN to refetch a node of an account outside the OU", async () => {
    const platform = await gateway.query(INSTANCES, { accounts: [org.ids["web-prod"]!], regions: ["us-east-1"] }, await memberOf("platform"));
    const webInstance = platform.data!.ec2Instances.edges[0].node;
    const { answer, calls } = await observed(`query($id: ID!) { node(id: $id) { id } }`, { id: webInstance.id }, await memberOf("payments"));
    expect(answer.data!.node).toBeNull();
    expect(codesOf(answer)).toEqual(["FORBIDDEN"]);
    expect(calls).toEqual([]);
  });

  it("is FORBIDDEN organizationAccounts below another OU, or below one that does not exist", async () => {
    const headers = await memberOf("payments");
    for (const parent of [org.ouIds.Web, "ou-zzzz-zzzzzzzz"]) {
      const answer = await gateway.query(`query($parent: String) { organizationAccounts(parent: $parent) { edges { cursor } } }`, { parent }, headers);
      expect(codesOf(answer), parent).toEqual(["FORBIDDEN"]);
    }
  });

  it("sees in organizationAccounts only the accounts below the OU", async () => {
    const answer = await gateway.query(ORGANIZATION_ACCOUNTS, {}, await memberOf("payments"));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.organizationAccounts.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(["pay-prod", "pay-dev", "pay-old"]);
    expect(answer.data!.organizationAccounts.totalCount).toBe(3);
  });
});

describe("a group whose policy names an account by its id", () => {
  it("reads that account alone, in the regions it allows, through `*` and patterns", async () => {
    const { answer } = await observed(INSTANCES, { accounts: ["*"], regions: ["*"] }, await memberOf("web"));
    expect(answer.errors).toBeUndefined();
    expect(listedIds(answer)).toEqual(seededIn(org.ids["web-prod"]!));
  });

  it("is FORBIDDEN organizationAccounts, a service its entry leaves out", async () => {
    const answer = await gateway.query(ORGANIZATION_ACCOUNTS, {}, await memberOf("web"));
    expect(codesOf(answer)).toEqual(["FORBIDDEN"]);
  });
});

describe("groups joined, and no group at all", () => {
  it("joins the scopes of a caller's groups", async () => {
    const { answer } = await observed(INSTANCES, { accounts: ["*"], regions: ["us-east-1"] }, await memberOf("payments", "web"));
    expect(answer.errors).toBeUndefined();
    expect(listedIds(answer)).toEqual(org.instances.filter((i) => i.region === "us-east-1" && [org.ids["pay-prod"], org.ids["web-prod"]].includes(i.accountId)).map((i) => i.instanceId).sort());
  });

  it("tells a group that may see the whole organization BAD_USER_INPUT for what reaches no account, as without a policy", async () => {
    for (const accounts of [["999999999999"], [org.ids["pay-old"]!], ["ou-zzzz-zzzzzzzz"]]) {
      const { answer, calls } = await observed(INSTANCES, { accounts, regions: REGIONS }, await memberOf("platform"));
      expect(codesOf(answer), JSON.stringify(accounts)).toEqual(["BAD_USER_INPUT"]);
      expect(calls).toEqual([]);
    }
  });

  it("lets the root's group read every ACTIVE account, the management account as default", async () => {
    const { answer } = await observed(INSTANCES, { accounts: ["*"], regions: REGIONS }, await memberOf("platform"));
    expect(answer.errors).toBeUndefined();
    expect(listedIds(answer)).toEqual(org.instances.map((i) => i.instanceId).sort());
  });

  it("lists an empty OU inside the scope as an empty page, not FORBIDDEN", async () => {
    const { answer } = await observed(INSTANCES, { accounts: [org.ouIds.Empty], regions: REGIONS }, await memberOf("platform"));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ec2Instances.edges).toEqual([]);
  });

  it("reads nothing for a caller in no group of the file, with no call made", async () => {
    const { answer, calls } = await observed(INSTANCES, { accounts: ["*"], regions: REGIONS }, await memberOf());
    expect(codesOf(answer)).toEqual(["FORBIDDEN"]);
    expect(calls).toEqual([]);
  });
});
