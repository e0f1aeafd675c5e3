// The whole organization (API.md, "Organizations."): with AWS_ORGANIZATION_ROLE the gateway reads the
// organization with its own credentials and reaches each ACTIVE member account by assuming the role
// there, named by id, Organizations name, OU or root id, or "*"; organizationAccounts lists the tree.
import * as organizationsSdk from "@aws-sdk/client-organizations";
import {
  CreateAccountCommand,
  ListParentsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  paginateListAccounts,
  type Account,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { MANAGEMENT_ID, MEMBER_ROLE, memberRole, seedOrganization, type OrganizationSpec, type SeededOrganization } from "../support/organization.js";

const ROLE_NAME = MEMBER_ROLE;
const roleIn = memberRole;
const REGIONS = ["us-east-1", "eu-west-1"];
/** The external id of the one configured account, whose name is also an Organizations name. */
const CONFIGURED_EXTERNAL_ID = "configured-web-prod";

type OuName = "Workloads" | "Prod" | "Dev" | "Sandbox";
const OU_PARENTS: [OuName, OuName | "root"][] = [["Workloads", "root"], ["Prod", "Workloads"], ["Dev", "Workloads"], ["Sandbox", "root"]];

/** Member accounts in creation order (so ListAccounts order), where each sits, and its instances per region. */
const MEMBERS: OrganizationSpec<OuName>["members"] = [
  { name: "payments-prod", parent: "Prod", instances: { "us-east-1": 1 } },
  { name: "web-prod", parent: "Prod", instances: { "us-east-1": 1 } },
  { name: "closed-one", parent: "Dev", instances: { "us-east-1": 1 }, closed: true },
  { name: "web-dev", parent: "Dev", instances: { "eu-west-1": 1 } },
  { name: "sandbox-1", parent: "Sandbox", instances: { "us-east-1": 1 } },
  { name: "loose", parent: "root", instances: { "us-east-1": 1 } },
];
const MANAGEMENT_INSTANCES = { "us-east-1": 2 };

let moto: Moto;
let proxy: AwsProxy;
let gateway: TestGateway;
let rootId: string;
let ouIds: Record<OuName, string>;
/** member name -> account id */
let ids: Record<string, string>;
let instances: SeededOrganization<OuName>["instances"];
/** what the SDK's ListAccounts answers, in its order, with ListParents' answer for each */
let listed: (Account & { parentId: string })[] = [];

/** The gateway's environment: the organization, and web-prod also configured (by the same name, with an external id). */
const gatewayEnv = () => ({
  ...motoEnv(proxy.url),
  AWS_ORGANIZATION_ROLE: ROLE_NAME,
  AWS_ACCOUNTS: `web-prod=${roleIn(ids["web-prod"]!)}|${CONFIGURED_EXTERNAL_ID}`,
});

beforeAll(async () => {
  moto = await startMoto();
  ({ rootId, ouIds, ids, instances } = await seedOrganization(moto.endpoint, { ous: OU_PARENTS, members: MEMBERS, managementInstances: MANAGEMENT_INSTANCES }));
  const organizations = new OrganizationsClient(motoClientConfig(moto.endpoint));
  const accounts: Account[] = [];
  for await (const page of paginateListAccounts({ client: organizations }, {})) accounts.push(...page.Accounts!);
  listed = await Promise.all(accounts.map(async (a) => ({ ...a, parentId: (await organizations.send(new ListParentsCommand({ ChildId: a.Id }))).Parents![0]!.Id! })));
  organizations.destroy();

  proxy = await startAwsProxy(moto.endpoint);
  gateway = await startGateway(gatewayEnv());
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await moto?.stop();
});

/** Organizations' own operations, by the SDK's command names (its calls carry X-Amz-Target, no form Version). */
const ORGANIZATIONS_OPERATIONS = new Set(Object.keys(organizationsSdk).filter((k) => /^[A-Z]\w+Command$/.test(k)).map((k) => k.slice(0, -"Command".length)));
type ProxyRequest = AwsProxy["requests"][number];
const isEc2 = (r: ProxyRequest) => r.params.get("Version") === "2016-11-15";
const isAssumeRole = (r: ProxyRequest) => r.operation === "AssumeRole";
const isOrganizations = (r: ProxyRequest) => !r.params.has("Version") && ORGANIZATIONS_OPERATIONS.has(r.operation);

/** The answer, and the AWS calls the proxy saw while it was made. */
async function observed(client: TestGateway, query: string, variables: Record<string, unknown> = {}) {
  const start = proxy.requests.length;
  const answer = await client.query(query, variables);
  return { answer, requests: proxy.requests.slice(start) };
}

const codesOf = (answer: GraphQLAnswer) => (answer.errors ?? []).map((e) => e.extensions?.code);

const INSTANCES = `query($accounts: [String!], $regions: [String!]) {
  ec2Instances(accounts: $accounts, regions: $regions, first: 100) { totalCount edges { node { id instanceId accountId accountName region } } }
}`;

interface InstanceNode {
  id: string;
  instanceId: string;
  accountId: string;
  accountName: string;
  region: string;
}

async function listInstances(accounts: string[]): Promise<InstanceNode[]> {
  const answer = await gateway.query(INSTANCES, { accounts, regions: REGIONS });
  expect(answer.errors, JSON.stringify(accounts)).toBeUndefined();
  const nodes: InstanceNode[] = answer.data!.ec2Instances.edges.map((e: any) => e.node);
  expect(answer.data!.ec2Instances.totalCount).toBe(nodes.length);
  return nodes;
}

/** The accounts of a listing in the order they come, each account's instances together. */
function accountOrder(nodes: InstanceNode[]): string[] {
  const order = nodes.map((n) => n.accountId).filter((id, i, all) => i === 0 || all[i - 1] !== id);
  expect(new Set(order).size, `each account's instances come together: ${order}`).toBe(order.length);
  return order;
}

const nameOf = (accountId: string) => (accountId === MANAGEMENT_ID ? "default" : Object.entries(ids).find(([, id]) => id === accountId)![0]);
const seededIn = (accountIds: string[]) => instances.filter((i) => accountIds.includes(i.accountId)).map((i) => i.instanceId).sort();
const hasInstances = (accountId: string) => instances.some((i) => i.accountId === accountId);
/** The ACTIVE accounts among `accountIds`, in ListAccounts order, that have instances. */
const inListOrder = (accountIds: string[]) => listed.filter((a) => a.Status === "ACTIVE" && accountIds.includes(a.Id!) && hasInstances(a.Id!)).map((a) => a.Id!);

/** Expects exactly the seeded instances of `accountIds`, once each, in that order of accounts, each named as the gateway names it. */
function expectListing(nodes: InstanceNode[], accountIds: string[]) {
  expect(accountOrder(nodes)).toEqual(accountIds);
  const listedIds = nodes.map((n) => n.instanceId);
  expect(listedIds.length).toBe(new Set(listedIds).size);
  expect([...listedIds].sort()).toEqual(seededIn(accountIds));
  for (const node of nodes) {
    expect(node.accountName, node.accountId).toBe(nameOf(node.accountId));
    expect(node.region).toBe(instances.find((i) => i.instanceId === node.instanceId)!.region);
  }
}

describe("the seeded organization (moto_server, read with the SDK)", () => {
  it("has the management account, six members (one SUSPENDED) in OUs two deep, and instances in most of them", () => {
    expect(listed.map((a) => a.Name)).toEqual(["master", ...MEMBERS.map((m) => m.name)]);
    expect(listed[0]!.Id).toBe(MANAGEMENT_ID);
    expect(listed.filter((a) => a.Status === "SUSPENDED").map((a) => a.Name)).toEqual(["closed-one"]);
    expect(Object.fromEntries(listed.map((a) => [a.Name, a.parentId]))).toEqual({
      master: rootId,
      "payments-prod": ouIds.Prod,
      "web-prod": ouIds.Prod,
      "closed-one": ouIds.Dev,
      "web-dev": ouIds.Dev,
      "sandbox-1": ouIds.Sandbox,
      loose: rootId,
    });
    expect(rootId).toMatch(/^r-/);
    expect(Object.values(ouIds).every((id) => id.startsWith("ou-"))).toBe(true);
    expect(instances.filter((i) => i.accountId === ids["closed-one"])).toHaveLength(1);
    expect(instances.filter((i) => i.region === "eu-west-1").map((i) => i.accountId)).toEqual([ids["web-dev"]]);
    expect(instances).toHaveLength(8);
  });
});

describe('accounts: ["*"] with an organization', () => {
  it("lists default, then the configured account, then every other ACTIVE member in ListAccounts order, each once, never the SUSPENDED one", async () => {
    const nodes = await listInstances(["*"]);
    const others = inListOrder(listed.map((a) => a.Id!).filter((id) => id !== MANAGEMENT_ID && id !== ids["web-prod"]));
    expect(others).toEqual([ids["payments-prod"], ids["web-dev"], ids["sandbox-1"], ids.loose]);
    expectListing(nodes, [MANAGEMENT_ID, ids["web-prod"]!, ...others]);
    expect(nodes.some((n) => n.accountId === ids["closed-one"])).toBe(false);
    expect(nodes.filter((n) => n.accountId === MANAGEMENT_ID).every((n) => n.accountName === "default")).toBe(true);
    expect(nodes.find((n) => n.accountId === ids["payments-prod"])!.accountName).toBe("payments-prod");
  });
});

describe("accounts named by id, Organizations name, OU or root", () => {
  it("reaches a member account by its 12-digit id, as its Organizations name", async () => {
    expectListing(await listInstances([ids["web-dev"]!]), [ids["web-dev"]!]);
    expectListing(await listInstances([ids.loose!]), [ids.loose!]);
  });

  it("reaches a member account by its Organizations name", async () => {
    expectListing(await listInstances(["payments-prod"]), [ids["payments-prod"]!]);
    expectListing(await listInstances(["sandbox-1", "web-dev"]), [ids["sandbox-1"]!, ids["web-dev"]!]);
  });

  it("reaches every ACTIVE account below an OU, at any depth, in ListAccounts order", async () => {
    expectListing(await listInstances([ouIds.Prod]), [ids["payments-prod"]!, ids["web-prod"]!]);
    expectListing(await listInstances([ouIds.Workloads]), [ids["payments-prod"]!, ids["web-prod"]!, ids["web-dev"]!]);
    expectListing(await listInstances([ouIds.Sandbox]), [ids["sandbox-1"]!]);
  });

  it("reaches every ACTIVE account below the root, the management account as default", async () => {
    const everyActive = inListOrder(listed.map((a) => a.Id!));
    expect(everyActive).toEqual([MANAGEMENT_ID, ids["payments-prod"], ids["web-prod"], ids["web-dev"], ids["sandbox-1"], ids.loose]);
    expectListing(await listInstances([rootId]), everyActive);
  });

  it("lists an account named twice over (by OU and by name) once", async () => {
    expectListing(await listInstances([ouIds.Prod, "payments-prod", ids["web-prod"]!]), [ids["payments-prod"]!, ids["web-prod"]!]);
  });

  it("reaches the management account's own id as default, with the gateway's own credentials", async () => {
    const { answer, requests } = await observed(gateway, INSTANCES, { accounts: [MANAGEMENT_ID], regions: REGIONS });
    expect(answer.errors).toBeUndefined();
    const nodes: InstanceNode[] = answer.data!.ec2Instances.edges.map((e: any) => e.node);
    expectListing(nodes, [MANAGEMENT_ID]);
    expect(nodes.map((n) => n.accountName)).toEqual(["default", "default"]);
    expect(requests.filter(isEc2).length).toBeGreaterThan(0);
    expect(requests.filter(isAssumeRole)).toEqual([]);
    // over the whole run, the gateway never assumed a role in its own account
    expect(proxy.requests.filter((r) => isAssumeRole(r) && r.params.get("RoleArn")!.includes(`::${MANAGEMENT_ID}:`))).toEqual([]);
  });

  it("refuses, before any EC2 call or AssumeRole, an id outside the organization, a SUSPENDED account, an unknown OU or root, an unknown name", async () => {
    for (const accounts of [["999999999999"], [ids["closed-one"]!], ["closed-one"], ["ou-zzzz-zzzzzzzz"], ["r-zzzz"], ["no-such-account"], ["payments-prod", "999999999999"]]) {
      const { answer, requests } = await observed(gateway, INSTANCES, { accounts, regions: REGIONS });
      expect(answer.data?.ec2Instances ?? null, JSON.stringify(accounts)).toBeNull();
      expect(codesOf(answer), JSON.stringify(accounts)).toEqual(["BAD_USER_INPUT"]);
      expect(requests.filter((r) => isEc2(r) || isAssumeRole(r)).map((r) => r.operation), JSON.stringify(accounts)).toEqual([]);
    }
  });

  it("refetches an instance of a member account by its node id", async () => {
    for (const name of ["payments-prod", "web-dev"]) {
      const [listedNode] = await listInstances([name]);
      const refetched = await gateway.query(`query($id: ID!) { node(id: $id) { ... on Ec2Instance { instanceId accountId accountName region } } }`, { id: listedNode!.id });
      expect(refetched.errors).toBeUndefined();
      expect(refetched.data!.node).toEqual({ instanceId: listedNode!.instanceId, accountId: ids[name], accountName: name, region: listedNode!.region });
    }
  });

  it("refuses a node id made up to name an account by id (outside the organization, SUSPENDED, the management account, a configured one), with no call in it", async () => {
    const [seeded] = await listInstances(["payments-prod"]);
    for (const accountId of ["999999999999", ids["closed-one"]!, MANAGEMENT_ID, ids["web-prod"]!]) {
      const id = Buffer.from(`Ec2Instance:~${accountId}~us-east-1/${seeded!.instanceId}`).toString("base64");
      const { answer, requests } = await observed(gateway, `query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(answer.data!.node, accountId).toBeNull();
      expect(codesOf(answer), accountId).toEqual(["BAD_USER_INPUT"]);
      expect(requests.filter((r) => isEc2(r) || isAssumeRole(r)).map((r) => r.operation), accountId).toEqual([]);
    }
  });
});

describe("a configured AWS_ACCOUNTS name that is also an Organizations name", () => {
  it("is the configured account: its role and external id are assumed, and * lists it once, in the configured place", async () => {
    // a gateway of its own, so no credentials are remembered from other tests
    const fresh = await startGateway(gatewayEnv());
    try {
      const { answer, requests } = await observed(fresh, INSTANCES, { accounts: ["web-prod"], regions: REGIONS });
      expect(answer.errors).toBeUndefined();
      expectListing(answer.data!.ec2Instances.edges.map((e: any) => e.node), [ids["web-prod"]!]);
      const assumed = requests.filter(isAssumeRole).map((r) => ({ roleArn: r.params.get("RoleArn"), externalId: r.params.get("ExternalId") }));
      expect(assumed.length).toBeGreaterThan(0);
      expect(assumed.every((a) => a.roleArn === roleIn(ids["web-prod"]!) && a.externalId === CONFIGURED_EXTERNAL_ID), JSON.stringify(assumed)).toBe(true);
    } finally {
      await fresh.close();
    }
    const everything = await listInstances(["*"]);
    expect(accountOrder(everything).slice(0, 2)).toEqual([MANAGEMENT_ID, ids["web-prod"]]);
    expect(everything.filter((n) => n.accountId === ids["web-prod"])).toHaveLength(1);
  });
});

const ORGANIZATION_ACCOUNTS = `query($parent: String, $first: Int, $after: String, $last: Int, $before: String) {
  organizationAccounts(parent: $parent, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { accountId name email status joinedTimestamp parentId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface OrganizationAccountNode {
  accountId: string;
  name: string;
  email: string;
  status: string;
  joinedTimestamp: string;
  parentId: string;
}

/** What the SDK says of the organization's accounts, as organizationAccounts should serve it. */
const expectedAccounts = (accountIds?: string[]) =>
  listed
    .filter((a) => !accountIds || accountIds.includes(a.Id!))
    .map((a) => ({ accountId: a.Id, name: a.Name, email: a.Email, status: a.Status, joinedAt: a.JoinedTimestamp!.getTime(), parentId: a.parentId }));

const comparable = (nodes: OrganizationAccountNode[]) => nodes.map(({ joinedTimestamp, ...rest }) => ({ ...rest, joinedAt: new Date(joinedTimestamp).getTime() }));

interface OrganizationAccountsPage {
  totalCount: number;
  nodes: OrganizationAccountNode[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
}

async function organizationAccounts(variables: Record<string, unknown>): Promise<OrganizationAccountsPage> {
  const answer = await gateway.query(ORGANIZATION_ACCOUNTS, variables);
  expect(answer.errors, JSON.stringify(variables)).toBeUndefined();
  const connection = answer.data!.organizationAccounts;
  return { totalCount: connection.totalCount, pageInfo: connection.pageInfo, nodes: connection.edges.map((e: any) => e.node) };
}

describe("organizationAccounts", () => {
  it("lists every account of the organization, ACTIVE and SUSPENDED, the management account too, in ListAccounts order, each with the OU or root above it", async () => {
    const all = await organizationAccounts({ first: 100 });
    expect(comparable(all.nodes)).toEqual(expectedAccounts());
    expect(all.totalCount).toBe(listed.length);
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(all.nodes.find((n) => n.name === "closed-one")!.status).toBe("SUSPENDED");
    expect(all.nodes.find((n) => n.accountId === MANAGEMENT_ID)!.parentId).toBe(rootId);
  });

  it("lists the accounts below a parent at any depth, and the whole organization below the root", async () => {
    const workloads = await organizationAccounts({ parent: ouIds.Workloads, first: 100 });
    expect(comparable(workloads.nodes)).toEqual(expectedAccounts([ids["payments-prod"]!, ids["web-prod"]!, ids["closed-one"]!, ids["web-dev"]!]));
    expect(workloads.totalCount).toBe(4);
    const dev = await organizationAccounts({ parent: ouIds.Dev, first: 100 });
    expect(dev.nodes.map((n) => n.name)).toEqual(["closed-one", "web-dev"]);
    const root = await organizationAccounts({ parent: rootId, first: 100 });
    expect(comparable(root.nodes)).toEqual(expectedAccounts());
  });

  it("pages forward with first/after and backward with last/before, each account exactly once", async () => {
    const forward: string[] = [];
    let after: string | undefined;
    for (let page = 0; ; page += 1) {
      expect(page).toBeLessThan(10);
      const connection = await organizationAccounts({ first: 2, after });
      expect(connection.nodes.length).toBe(connection.pageInfo.hasNextPage ? 2 : connection.nodes.length);
      forward.push(...connection.nodes.map((n) => n.accountId));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(forward).toEqual(listed.map((a) => a.Id));

    // back from the last account's edge, each page the two before the one before it
    const whole = await gateway.query(ORGANIZATION_ACCOUNTS, { first: 100 });
    const lastEdge = whole.data!.organizationAccounts.edges.at(-1);
    const backward: string[][] = [[lastEdge.node.accountId]];
    let before: string = lastEdge.cursor;
    for (let page = 0; ; page += 1) {
      expect(page).toBeLessThan(10);
      const connection = await organizationAccounts({ last: 2, before });
      expect(connection.nodes.length).toBe(connection.pageInfo.hasPreviousPage ? 2 : connection.nodes.length);
      expect(connection.pageInfo.hasNextPage).toBe(true);
      backward.unshift(connection.nodes.map((n) => n.accountId));
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    expect(backward.flat()).toEqual(listed.map((a) => a.Id));
  });

  it("refuses an unknown parent, and last without before as on every connection, with BAD_USER_INPUT", async () => {
    for (const variables of [{ parent: "ou-zzzz-zzzzzzzz", first: 10 }, { parent: "r-zzzz", first: 10 }, { parent: "not-a-parent", first: 10 }, { last: 2 }]) {
      const answer = await gateway.query(ORGANIZATION_ACCOUNTS, variables);
      expect(answer.data?.organizationAccounts ?? null, JSON.stringify(variables)).toBeNull();
      expect(codesOf(answer), JSON.stringify(variables)).toEqual(["BAD_USER_INPUT"]);
    }
  });
});

describe("the organization's tree is remembered (AWS_ORGANIZATION_CACHE_SECONDS, 600 by default)", () => {
  it("reads it once: the same queries again make no Organizations call", async () => {
    const QUERIES: [string, Record<string, unknown>][] = [
      [ORGANIZATION_ACCOUNTS, { first: 100 }],
      [INSTANCES, { accounts: [ouIds.Workloads], regions: REGIONS }],
      [INSTANCES, { accounts: ["*"], regions: REGIONS }],
    ];
    for (const [query, variables] of QUERIES) await observed(gateway, query, variables);
    for (const [query, variables] of QUERIES) {
      const { answer, requests } = await observed(gateway, query, variables);
      expect(answer.errors).toBeUndefined();
      expect(requests.filter(isOrganizations).map((r) => r.operation), JSON.stringify(variables)).toEqual([]);
    }
  });

  it("reads it with the four calls the contract names, and again on each query with AWS_ORGANIZATION_CACHE_SECONDS=0", async () => {
    const uncached = await startGateway({ ...gatewayEnv(), AWS_ORGANIZATION_CACHE_SECONDS: "0" });
    try {
      for (let round = 0; round < 2; round += 1) {
        const { answer, requests } = await observed(uncached, ORGANIZATION_ACCOUNTS, { first: 100 });
        expect(answer.errors).toBeUndefined();
        const operations = new Set(requests.filter(isOrganizations).map((r) => r.operation));
        expect(operations.size, `round ${round}`).toBeGreaterThan(0);
        for (const operation of operations) expect(["ListAccounts", "ListRoots", "ListOrganizationalUnitsForParent", "ListAccountsForParent"]).toContain(operation);
      }
    } finally {
      await uncached.close();
    }
  });
});

// Last in the file: it adds an account to the organization.
describe("a listing over an OU when the organization changes under it", () => {
  it("refuses a cursor taken before an account joined the OU (CURSOR_MISMATCH) rather than skip or repeat one, and starts again over the new accounts", async () => {
    const uncached = await startGateway({ ...gatewayEnv(), AWS_ORGANIZATION_CACHE_SECONDS: "0" });
    const organizations = new OrganizationsClient(motoClientConfig(moto.endpoint));
    try {
      const page = `query($accounts: [String!], $after: String) { ec2Instances(accounts: $accounts, regions: ["us-east-1"], first: 1, after: $after) { edges { node { instanceId } } pageInfo { endCursor } } }`;
      const first = await uncached.query(page, { accounts: [ouIds.Sandbox] });
      expect(first.errors).toBeUndefined();
      const joined = (await organizations.send(new CreateAccountCommand({ AccountName: "sandbox-2", Email: "sandbox-2@example.com" }))).CreateAccountStatus!.AccountId!;
      await organizations.send(new MoveAccountCommand({ AccountId: joined, SourceParentId: rootId, DestinationParentId: ouIds.Sandbox }));
      const resumed = await uncached.query(page, { accounts: [ouIds.Sandbox], after: first.data!.ec2Instances.pageInfo.endCursor });
      expect(codesOf(resumed)).toEqual(["CURSOR_MISMATCH"]);
      const again = await uncached.query(page, { accounts: [ouIds.Sandbox] });
      expect(again.errors).toBeUndefined();
    } finally {
      organizations.destroy();
      await uncached.close();
    }
  });
});
