import { IAMClient, ListUsersCommand, type ListUsersCommandInput } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startInProcessGateway, type InProcessGateway } from "../support/gateway.js";
import { walkConnection } from "../support/walk.js";

const iam = mockClient(IAMClient);
const names = Array.from({ length: 137 }, (_, i) => `user-${String(i).padStart(3, "0")}`);
const USERS = `query($first: Int, $after: String) { iamUsers(first: $first, after: $after) { edges { cursor node { userName } } pageInfo { hasNextPage endCursor } } }`;

/** IAM as AWS runs it: MaxItems honoured (default 100), Marker + IsTruncated, markers that go stale. */
let staleMarkers = false;
function realIam() {
  iam.on(ListUsersCommand).callsFake((input: ListUsersCommandInput) => {
    if (input.Marker && staleMarkers) {
      throw Object.assign(new Error("Invalid Marker: stale marker for arn:aws:iam::123456789012:root"), { name: "ValidationError", $fault: "client", $metadata: { httpStatusCode: 400 } });
    }
    const from = input.Marker ? Number(Buffer.from(input.Marker, "base64").toString()) : 0;
    const size = input.MaxItems ?? 100;
    if (size < 1 || size > 1000) throw Object.assign(new Error("bad MaxItems"), { name: "ValidationError", $fault: "client", $metadata: { httpStatusCode: 400 } });
    const page = names.slice(from, from + size);
    const truncated = from + size < names.length;
    return {
      Users: page.map((UserName) => ({ UserName, UserId: `AID${UserName}`, Arn: `arn:aws:iam::123456789012:user/${UserName}`, Path: "/", CreateDate: new Date(0) })),
      IsTruncated: truncated,
      Marker: truncated ? Buffer.from(String(from + size)).toString("base64") : undefined,
    };
  });
}

let gateway: InProcessGateway;
beforeAll(async () => {
  gateway = await startInProcessGateway({});
});
afterAll(async () => {
  await gateway.close();
  iam.restore();
});
beforeEach(() => {
  iam.reset();
  staleMarkers = false;
});

describe("IAM as AWS pages it (MaxItems honoured, which moto does not)", () => {
  it("walks every user once with pages that line up with IAM's, at the lower bound of calls", async () => {
    realIam();
    for (const first of [1, 10, 50, 1000]) {
      iam.resetHistory();
      const walk = await walkConnection(gateway, USERS, ["iamUsers"], { firsts: [first] });
      expect(walk.nodes.map((u: any) => u.userName)).toEqual(names);
      expect(iam.commandCalls(ListUsersCommand).length, `first: ${first}`).toBe(Math.ceil(names.length / first));
      expect(iam.commandCalls(ListUsersCommand).every((c) => c.args[0].input.MaxItems! <= first)).toBe(true);
    }
  });

  it("resumes after any edge, asking IAM's page again with the same MaxItems", async () => {
    realIam();
    const walk = await walkConnection(gateway, USERS, ["iamUsers"], { firsts: [9, 4], resumeAt: (count) => Math.floor(count / 2) });
    expect(walk.nodes.map((u: any) => u.userName)).toEqual(names);
  });

  it("answers CURSOR_EXPIRED when IAM rejects a stale marker, and leaks neither marker nor account", async () => {
    realIam();
    const first = await gateway.query(USERS, { first: 10 });
    staleMarkers = true;
    const resumed = await gateway.query(USERS, { first: 10, after: first.data!.iamUsers.pageInfo.endCursor });
    expect(resumed.errors?.[0]?.extensions?.code).toBe("CURSOR_EXPIRED");
    expect(JSON.stringify(resumed)).not.toMatch(/123456789012|stale marker/);
  });

  it("trusts IsTruncated, not the presence of a marker", async () => {
    iam.on(ListUsersCommand).resolves({ Users: [{ UserName: "only", UserId: "A", Arn: "arn", Path: "/", CreateDate: new Date(0) }], IsTruncated: false, Marker: "leftover" });
    const answer = await gateway.query(USERS, { first: 10 });
    expect(answer.data!.iamUsers.edges).toHaveLength(1);
    expect(answer.data!.iamUsers.pageInfo.hasNextPage).toBe(false);
    expect(iam.commandCalls(ListUsersCommand)).toHaveLength(1);
  });

  it("fails loudly, not silently short, when IAM says truncated but gives no marker", async () => {
    iam.on(ListUsersCommand).resolves({ Users: [{ UserName: "a", UserId: "A", Arn: "arn", Path: "/", CreateDate: new Date(0) }], IsTruncated: true });
    const answer = await gateway.query(USERS, { first: 10 });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", reason: "TRUNCATED_WITHOUT_MARKER" });
  });
});
