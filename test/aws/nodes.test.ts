import { GetUserCommand, IAMClient, type GetUserCommandInput } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInProcessGateway, type InProcessGateway } from "../support/gateway.js";

const iam = mockClient(IAMClient);
const id = (typename: string, key: string) => Buffer.from(`${typename}:${key}`).toString("base64");
let gateway: InProcessGateway;

beforeAll(async () => {
  iam.on(GetUserCommand).callsFake((input: GetUserCommandInput) => {
    if (input.UserName === "denied") throw Object.assign(new Error("denied"), { name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 } });
    return { User: { UserName: input.UserName, UserId: "U", Arn: `arn:aws:iam::123456789012:user/${input.UserName}`, Path: "/", CreateDate: new Date(0) } };
  });
  gateway = await startInProcessGateway({});
});
afterAll(async () => {
  await gateway.close();
  iam.restore();
});

describe("node and nodes", () => {
  it("resolve the same node twice in one query to its type, and fail a denied id alone", async () => {
    const query = `query($ids: [ID!]!, $one: ID!) {
      node(id: $one) { __typename id ... on IamUser { userName } }
      nodes(ids: $ids) { __typename id ... on IamUser { userName } } }`;
    const answer = await gateway.query(query, { one: id("IamUser", "alice"), ids: [id("IamUser", "alice"), id("IamUser", "denied"), id("IamUser", "bob")] });
    expect(answer.data!.node).toEqual({ __typename: "IamUser", id: id("IamUser", "alice"), userName: "alice" });
    expect(answer.data!.nodes).toEqual([
      { __typename: "IamUser", id: id("IamUser", "alice"), userName: "alice" },
      null,
      { __typename: "IamUser", id: id("IamUser", "bob"), userName: "bob" },
    ]);
    expect(answer.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["nodes", 1], "AWS_ACCESS_DENIED"]]);
  });
});
