// The organization as AWS pages and reports it, beyond what moto does: every Organizations list
// call takes MaxResults 1..20 and pages with NextToken; accounts carry State (ACTIVE, SUSPENDED,
// PENDING_CLOSURE, CLOSED) beside the older Status; a large tree is many pages at every level.
// Faults reading the tree are the field's error, remembered by nobody: the next query reads again.
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
  type Account,
} from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { startInProcessGateway } from "../support/gateway.js";
import { awsError, opaquePage, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const MANAGEMENT_ID = "111111111111";
const ROOT = "r-abcd";
/** 21 OUs under the root (two pages of OUs), each with one OU under it. */
const TOP_OUS = Array.from({ length: 21 }, (_, i) => `ou-abcd-top${String(i).padStart(5, "0")}`);
const DEEP_OUS = TOP_OUS.map((ou) => ou.replace("top", "low"));
const PARENTS = [ROOT, ...TOP_OUS, ...DEEP_OUS];

/** 44 members and the management account: three pages of ListAccounts. */
const accounts: (Account & { parent: string })[] = [
  { Id: MANAGEMENT_ID, Name: "management", Email: "root@example.com", State: "ACTIVE", Status: "ACTIVE", JoinedTimestamp: new Date("2020-01-01T00:00:00Z"), parent: ROOT },
  ...Array.from({ length: 44 }, (_, i) => ({
    Id: String(200000000000 + i),
    Name: `member-${i}`,
    Email: `member-${i}@example.com`,
    // AWS's State, the older Status beside it for most, alone for one
    ...(i === 5 ? { State: "PENDING_CLOSURE" as const } : i === 6 ? { State: "CLOSED" as const } : i === 7 ? { Status: "SUSPENDED" as const } : { State: "ACTIVE" as const, Status: "ACTIVE" as const }),
    JoinedTimestamp: new Date(Date.UTC(2021, 0, 1 + i)),
    parent: PARENTS[i % PARENTS.length]!,
  })),
];
const describedAccount = ({ parent: _, ...account }: (typeof accounts)[number]): Account => account;
const inParent = (parent: string) => accounts.filter((a) => a.parent === parent);
const ouParent = (ou: string) => (TOP_OUS.includes(ou) ? ROOT : TOP_OUS[DEEP_OUS.indexOf(ou)]!);
/** A parent and every parent above it, up to the root. */
const ancestors = (parent: string): string[] => (parent === ROOT ? [ROOT] : [parent, ...ancestors(ouParent(parent))]);
/** Every account below a parent, at any depth. */
const below = (parent: string): string[] => accounts.filter((a) => ancestors(a.parent).includes(parent)).map((a) => a.Id!);

const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
/** A fault ListAccounts answers with, when set. */
let listAccountsFault: Error | undefined;

/** MaxResults as Organizations checks it: 1..20, 20 when left out. */
function maxResultsOf(input: { MaxResults?: number }): number {
  const max = input.MaxResults ?? 20;
  if (max < 1 || max > 20) throw awsError("InvalidInputException", "MaxResults must be 1..20");
  return max;
}

const gateway = useMockedGateway(
  [organizations, sts],
  () => {
    listAccountsFault = undefined;
    sts.on(GetCallerIdentityCommand).resolves({ Account: MANAGEMENT_ID });
    organizations.on(ListAccountsCommand).callsFake((input) => {
      if (listAccountsFault) throw listAccountsFault;
      const { items, next } = opaquePage(accounts, input.NextToken, maxResultsOf(input));
      return { Accounts: items.map(describedAccount), NextToken: next };
    });
    organizations.on(ListRootsCommand).callsFake((input) => ({ Roots: [{ Id: ROOT, Name: "Root" }].slice(0, maxResultsOf(input)) }));
    organizations.on(ListOrganizationalUnitsForParentCommand).callsFake((input) => {
      const units = input.ParentId === ROOT ? TOP_OUS : TOP_OUS.includes(input.ParentId!) ? [DEEP_OUS[TOP_OUS.indexOf(input.ParentId!)]!] : [];
      const { items, next } = opaquePage(units, input.NextToken, maxResultsOf(input));
      return { OrganizationalUnits: items.map((Id) => ({ Id })), NextToken: next };
    });
    organizations.on(ListAccountsForParentCommand).callsFake((input) => {
      const { items, next } = opaquePage(inParent(input.ParentId!), input.NextToken, maxResultsOf(input));
      return { Accounts: items.map(describedAccount), NextToken: next };
    });
  },
  // read afresh for every query: each test sees its own answers
  { AWS_ORGANIZATION_ROLE: "AwsgqlReader", AWS_ORGANIZATION_CACHE_SECONDS: "0" },
);

const ACCOUNTS = `query($first: Int, $after: String, $parent: String) {
  organizationAccounts(first: $first, after: $after, parent: $parent) {
    edges { cursor node { accountId name email status joinedTimestamp parentId } } pageInfo { hasNextPage endCursor }
  }
}`;

describe("the organization's tree as AWS pages it", () => {
  it("follows NextToken through every list call at MaxResults 20 or less, and lists every account in ListAccounts order", async () => {
    const walk = await walkConnection(gateway, ACCOUNTS, ["organizationAccounts"], { firsts: [7, 13] });
    expect(walk.nodes.map((n: any) => n.accountId)).toEqual(accounts.map((a) => a.Id));
    expect(walk.nodes.map((n: any) => n.parentId)).toEqual(accounts.map((a) => a.parent));
    expect(walk.nodes[1]).toEqual({ accountId: "200000000000", name: "member-0", email: "member-0@example.com", status: "ACTIVE", joinedTimestamp: "2021-01-01T00:00:00.000Z", parentId: ROOT });
    // three pages of accounts; every call of every kind asked for at most 20
    expect(organizations.commandCalls(ListAccountsCommand).length).toBeGreaterThanOrEqual(3);
    const asked = [
      ...organizations.commandCalls(ListAccountsCommand),
      ...organizations.commandCalls(ListRootsCommand),
      ...organizations.commandCalls(ListOrganizationalUnitsForParentCommand),
      ...organizations.commandCalls(ListAccountsForParentCommand),
    ].map((c) => c.args[0].input.MaxResults);
    expect(asked.every((max) => max !== undefined && max >= 1 && max <= 20)).toBe(true);
    const rootOus = organizations.commandCalls(ListOrganizationalUnitsForParentCommand).filter((c) => c.args[0].input.ParentId === ROOT);
    expect(rootOus.some((c) => c.args[0].input.NextToken !== undefined), "the root's second page of OUs").toBe(true);
  });

  it("shows AWS's State, or the older Status where State is missing", async () => {
    const answer = await gateway.query(ACCOUNTS, { first: 10 });
    expect(answer.data!.organizationAccounts.edges.slice(6, 9).map((e: any) => e.node.status)).toEqual(["PENDING_CLOSURE", "CLOSED", "SUSPENDED"]);
  });

  it("lists the accounts below an OU two levels down the pages of OUs, and below a top OU at any depth", async () => {
    for (const parent of [DEEP_OUS[20]!, TOP_OUS[20]!, TOP_OUS[3]!]) {
      const answer = await gateway.query(ACCOUNTS, { first: 100, parent });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.organizationAccounts.edges.map((e: any) => e.node.accountId), parent).toEqual(below(parent));
      expect(below(parent).length, parent).toBeGreaterThan(0);
    }
  });

  it("refuses an account that is PENDING_CLOSURE, CLOSED or SUSPENDED (by State or Status), by id or name, as BAD_USER_INPUT, and reads ACTIVE ones", async () => {
    for (const name of ["200000000005", "member-6", "200000000007", "member-5"]) {
      const answer = await gateway.query(`query($a: [String!]) { iamUsers(accounts: $a) { edges { cursor } } }`, { a: [name] });
      expect(answer.errors?.map((e) => e.extensions?.code), name).toEqual(["BAD_USER_INPUT"]);
      expect(answer.errors![0]!.message, name).toMatch(/PENDING_CLOSURE|CLOSED|SUSPENDED/);
      expect(answer.extensions!.aws.operations.ListUsers ?? 0).toBe(0);
    }
  });
});

describe("faults reading the organization", () => {
  it.each([
    ["AccessDeniedException", 400, "AWS_ACCESS_DENIED"],
    ["AWSOrganizationsNotInUseException", 400, "AWS_ACCESS_DENIED"],
    ["TooManyRequestsException", 400, "AWS_THROTTLED"],
    ["ServiceException", 500, "UPSTREAM_UNAVAILABLE"],
  ])("%s is %s on the field, before any call in a member account; the next query reads the tree again", async (name, status, code) => {
    listAccountsFault = awsError(name, name, status);
    for (const query of [`{ organizationAccounts(first: 5) { edges { cursor } } }`, `{ iamUsers(accounts: ["*"]) { edges { cursor } } }`]) {
      const answer = await gateway.query(query);
      expect(answer.errors?.map((e) => e.extensions?.code), query).toEqual([code]);
      expect(answer.data).toBeNull();
      expect(JSON.stringify(answer.errors)).not.toContain(MANAGEMENT_ID);
    }
    listAccountsFault = undefined;
    const answer = await gateway.query(`{ organizationAccounts(first: 5) { edges { node { accountId } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.organizationAccounts.edges).toHaveLength(5);
  });
});

describe("the organization read again once AWS_ORGANIZATION_CACHE_SECONDS is past", () => {
  it("answers from the tree read last while the new read goes on in the background, then from the new one", async () => {
    const remembering = await startInProcessGateway({ AWS_ORGANIZATION_ROLE: "AwsgqlReader", AWS_ORGANIZATION_CACHE_SECONDS: "1" });
    const count = async () => (await remembering.query(`{ organizationAccounts { totalCount } }`)).data!.organizationAccounts.totalCount as number;
    try {
      expect(await count()).toBe(accounts.length);
      accounts.push({ Id: "299999999999", Name: "joined-later", State: "ACTIVE", parent: ROOT });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      // past the cache time: the last tree answers, and a read begins
      expect(await count()).toBe(accounts.length - 1);
      let counted = 0;
      for (let attempt = 0; attempt < 100 && counted !== accounts.length; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        counted = await count();
      }
      expect(counted).toBe(accounts.length);
    } finally {
      accounts.pop();
      await remembering.close();
    }
  });
});
