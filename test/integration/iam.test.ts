import {
  GetGroupCommand,
  GetPolicyVersionCommand,
  GetPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  paginateListGroups,
  paginateListPolicies,
  paginateListRoles,
  paginateListUsers,
} from "@aws-sdk/client-iam";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedIam } from "../../demo/seed.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { walkConnection } from "../support/walk.js";

let moto: Moto;
let gateway: TestGateway;
let iam: IAMClient;

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

beforeAll(async () => {
  moto = await startMoto();
  iam = new IAMClient(motoClientConfig(moto.endpoint));
  await seedIam({ endpoint: moto.endpoint }, { users: 260, roles: 120, groups: 8, policies: 12 });
  gateway = await startGateway(motoEnv(moto.endpoint));
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  iam?.destroy();
  await moto?.stop();
});

const listings = [
  {
    field: "iamUsers",
    id: "userName",
    selection: "userName userId arn path createDate",
    sdk: async (PathPrefix?: string) => (await all(paginateListUsers({ client: iam, pageSize: 100 }, { PathPrefix }))).flatMap((p) => p.Users!.map((u) => u.UserName!)),
  },
  {
    field: "iamRoles",
    id: "roleName",
    selection: "roleName roleId arn path assumeRolePolicyDocument",
    sdk: async (PathPrefix?: string) => (await all(paginateListRoles({ client: iam, pageSize: 100 }, { PathPrefix }))).flatMap((p) => p.Roles!.map((r) => r.RoleName!)),
  },
  {
    field: "iamGroups",
    id: "groupName",
    selection: "groupName groupId arn path",
    sdk: async (PathPrefix?: string) => (await all(paginateListGroups({ client: iam, pageSize: 100 }, { PathPrefix }))).flatMap((p) => p.Groups!.map((g) => g.GroupName!)),
  },
];

describe("IAM against moto_server", () => {
  for (const listing of listings) {
    it(`${listing.field}: every principal exactly once, in IAM's order, with random page sizes, resumes and path prefixes`, async () => {
      for (const prefix of [undefined, "/engineering/", "/ops/"]) {
        const expected = await listing.sdk(prefix);
        expect(expected.length, String(prefix)).toBeGreaterThan(0);
        const query = `query($first: Int, $after: String, $prefix: String) { ${listing.field}(first: $first, after: $after, pathPrefix: $prefix) {
          edges { cursor node { id ${listing.selection} } } pageInfo { hasNextPage endCursor } } }`;
        await fc.assert(
          fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), async (firsts, choices) => {
            const walk = await walkConnection(gateway, query, [listing.field], {
              firsts,
              variables: { prefix },
              resumeAt: (count, page) => choices[page % choices.length]! % count,
            });
            expect(walk.nodes.map((n: any) => n[listing.id])).toEqual(expected);
          }),
          { numRuns: 3 },
        );
      }
    });
  }

  it("is honest about moto: it ignores MaxItems, so a walk of small pages reads IAM once and serves the rest from the held page", async () => {
    const whole = await iam.send(new ListUsersCommand({ MaxItems: 5 }));
    expect(whole.Users!.length).toBe(260);
    expect(whole.IsTruncated).toBe(false);
    const walk = await walkConnection(gateway, `query($first: Int, $after: String) { iamUsers(first: $first, after: $after) {
      edges { cursor node { userName } } pageInfo { hasNextPage endCursor } } }`, ["iamUsers"], { firsts: [10] });
    expect(walk.nodes).toHaveLength(260);
    expect(walk.operations.ListUsers).toBe(1);
  });

  it("lists local policies, attached only or all, as ListPolicies does", async () => {
    for (const [onlyAttached, scope] of [[false, "LOCAL"], [true, "LOCAL"]] as const) {
      const expected = (await all(paginateListPolicies({ client: iam, pageSize: 100 }, { Scope: "Local", OnlyAttached: onlyAttached }))).flatMap((p) => p.Policies!.map((x) => x.Arn!));
      const walk = await walkConnection(gateway, `query($first: Int, $after: String, $only: Boolean) { iamPolicies(scope: ${scope}, onlyAttached: $only, first: $first, after: $after) {
        edges { cursor node { arn policyName attachmentCount } } pageInfo { hasNextPage endCursor } } }`, ["iamPolicies"], { firsts: [5], variables: { only: onlyAttached } });
      expect(walk.nodes.map((p: any) => p.arn)).toEqual(expected);
    }
  });

  it("gives each user's groups, attached and inline policies and access keys as the IAM calls do, never a secret", async () => {
    const answer = await gateway.query(`{ iamUsers(first: 12) { edges { node { userName
      groups(first: 10) { edges { node { groupName } } }
      attachedPolicies(first: 10) { edges { node { arn policyName path defaultVersion { versionId document } } } }
      inlinePolicyNames
      accessKeys { accessKeyId status createDate } } } } }`);
    expect(answer.errors).toBeUndefined();
    for (const { node } of answer.data!.iamUsers.edges) {
      const UserName = node.userName;
      const groups = (await iam.send(new ListGroupsForUserCommand({ UserName }))).Groups!.map((g) => g.GroupName);
      expect(node.groups.edges.map((e: any) => e.node.groupName)).toEqual(groups);
      const attached = (await iam.send(new ListAttachedUserPoliciesCommand({ UserName }))).AttachedPolicies!;
      expect(node.attachedPolicies.edges.map((e: any) => e.node.arn)).toEqual(attached.map((p) => p.PolicyArn));
      for (const { node: policy } of node.attachedPolicies.edges) {
        const detail = (await iam.send(new GetPolicyCommand({ PolicyArn: policy.arn }))).Policy!;
        const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: policy.arn, VersionId: detail.DefaultVersionId }))).PolicyVersion!;
        expect(policy.path).toBe(detail.Path);
        expect(JSON.parse(policy.defaultVersion.document)).toEqual(JSON.parse(decodeURIComponent(version.Document!)));
      }
      expect(node.inlinePolicyNames).toEqual((await iam.send(new ListUserPoliciesCommand({ UserName }))).PolicyNames);
      const keys = (await iam.send(new ListAccessKeysCommand({ UserName }))).AccessKeyMetadata!;
      expect(node.accessKeys.map((k: any) => k.accessKeyId)).toEqual(keys.map((k) => k.AccessKeyId));
    }
    expect(JSON.stringify(answer)).not.toMatch(/secret/i);
  });

  it("gives each group's users and each role's attached policies as the IAM calls do, paged with cursors of their own", async () => {
    const groups = await listings[2]!.sdk();
    for (const groupName of groups.slice(0, 4)) {
      const expected = (await iam.send(new GetGroupCommand({ GroupName: groupName }))).Users!.map((u) => u.UserName);
      const walk = await walkConnection(gateway, `query($name: String!, $first: Int, $after: String) { iamGroup(groupName: $name) {
        users(first: $first, after: $after) { edges { cursor node { userName } } pageInfo { hasNextPage endCursor } } } }`, ["iamGroup", "users"], { firsts: [7], variables: { name: groupName } });
      expect(walk.nodes.map((u: any) => u.userName)).toEqual(expected);
    }
    const answer = await gateway.query(`{ iamRole(roleName: "role-0007") { roleName attachedPolicies { edges { node { arn } } } } }`);
    const expected = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "role-0007" }))).AttachedPolicies!.map((p) => p.PolicyArn);
    expect(answer.data!.iamRole.attachedPolicies.edges.map((e: any) => e.node.arn)).toEqual(expected);
  });

  it("answers null for principals that do not exist, and refuses a bad pathPrefix as BAD_USER_INPUT", async () => {
    const answer = await gateway.query(`{ iamUser(userName: "nobody-here") { userName } iamRole(roleName: "no-role") { roleName }
      iamGroup(groupName: "no-group") { groupName } iamPolicy(arn: "arn:aws:iam::123456789012:policy/none") { arn } }`);
    expect(answer.errors).toBeUndefined();
    expect(Object.values(answer.data!)).toEqual([null, null, null, null]);
    const bad = await gateway.query(`{ iamUsers(pathPrefix: "engineering") { edges { cursor } } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
