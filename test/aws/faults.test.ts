import { DescribeInstancesCommand, EC2Client, type DescribeInstancesCommandInput } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startInProcessGateway, type InProcessGateway } from "../support/gateway.js";

const ec2 = mockClient(EC2Client);
const PAGE = `query($first: Int, $after: String) { ec2Instances(first: $first, after: $after) { edges { cursor node { instanceId } } pageInfo { hasNextPage endCursor } } }`;

function awsError(name: string, status: number, message = "raw AWS text for account 123456789012 arn:aws:iam::123456789012:role/x") {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status, requestId: "req-1", attempts: 3 } });
}

/** EC2 as AWS pages it: MaxResults honoured, an opaque token that must come back unchanged. */
function honestEc2(total: number) {
  const ids = Array.from({ length: total }, (_, i) => `i-${(0x10000000 + i).toString(16)}`);
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
    const offset = input.NextToken ? Number(Buffer.from(input.NextToken, "base64").toString().replace("offset:", "")) : 0;
    const size = input.MaxResults ?? 1000;
    if (size < 5 || size > 1000) throw awsError("InvalidParameterValue", 400);
    const slice = ids.slice(offset, offset + size);
    const next = offset + size < total ? Buffer.from(`offset:${offset + size}`).toString("base64") : undefined;
    return { Reservations: [{ Instances: slice.map((InstanceId) => ({ InstanceId, State: { Name: "running" }, InstanceType: "t3.micro" })) }], NextToken: next, $metadata: {} };
  });
  return ids;
}

let gateway: InProcessGateway;
beforeAll(async () => {
  gateway = await startInProcessGateway({ AWS_ACCESS_KEY_ID: "testing" });
});
afterAll(async () => {
  await gateway.close();
  ec2.restore();
});
beforeEach(() => ec2.reset());

describe("AWS behaviour the emulator does not show", () => {
  it("pages EC2 with MaxResults in its 5..1000 range, even for first: 1..4, and resumes exactly", async () => {
    const ids = honestEc2(23);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const answer = await gateway.query(PAGE, { first: 3, after });
      expect(answer.errors).toBeUndefined();
      seen.push(...answer.data!.ec2Instances.edges.map((e: any) => e.node.instanceId));
      after = answer.data!.ec2Instances.pageInfo.hasNextPage ? answer.data!.ec2Instances.pageInfo.endCursor : undefined;
    } while (after);
    expect(seen).toEqual(ids);
    const sizes = ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.MaxResults);
    expect(sizes.every((s) => s !== undefined && s >= 5 && s <= 1000)).toBe(true);
  });

  it("maps a token AWS rejects as expired (InvalidNextToken) to CURSOR_EXPIRED", async () => {
    honestEc2(40);
    const first = await gateway.query(PAGE, { first: 10 });
    ec2.reset();
    ec2.on(DescribeInstancesCommand).rejects(awsError("InvalidNextToken", 400, "The token 'abc' has expired"));
    const resumed = await gateway.query(PAGE, { first: 10, after: first.data!.ec2Instances.pageInfo.endCursor });
    expect(resumed.errors?.[0]?.extensions?.code).toBe("CURSOR_EXPIRED");
    expect(JSON.stringify(resumed)).not.toContain("abc");
  });

  it.each([
    ["RequestLimitExceeded", 503, "AWS_THROTTLED"],
    ["Throttling", 400, "AWS_THROTTLED"],
    ["UnauthorizedOperation", 403, "AWS_ACCESS_DENIED"],
    ["AuthFailure", 401, "AWS_ACCESS_DENIED"],
    ["ServiceUnavailable", 503, "UPSTREAM_UNAVAILABLE"],
    ["TimeoutError", 0, "UPSTREAM_UNAVAILABLE"],
    ["ECONNREFUSED", 0, "UPSTREAM_UNAVAILABLE"],
    ["InvalidParameterValue", 400, "BAD_USER_INPUT"],
  ])("maps %s to %s without leaking AWS's message", async (name, status, code) => {
    const error = status === 0 ? Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:443 account 123456789012"), { name, code: name }) : awsError(name, status);
    ec2.on(DescribeInstancesCommand).rejects(error);
    const answer = await gateway.query(PAGE, { first: 10 });
    expect(answer.errors?.[0]?.extensions?.code).toBe(code);
    expect(JSON.stringify(answer)).not.toMatch(/123456789012|10\.1\.2\.3|stack/);
  });

  it("masks an unexpected fault as INTERNAL_SERVER_ERROR with no detail", async () => {
    ec2.on(DescribeInstancesCommand).callsFake(() => {
      throw new TypeError("secret internal detail at /work/main/src");
    });
    const answer = await gateway.query(PAGE, { first: 10 });
    expect(answer.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(answer)).not.toMatch(/secret internal detail|\/work\//);
  });

  it("ends the listing with an error when AWS hands back the token it was given, instead of looping", async () => {
    ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => ({
      Reservations: input.NextToken ? [] : [{ Instances: [{ InstanceId: "i-00000001", State: { Name: "running" }, InstanceType: "t3.micro" }] }],
      NextToken: "same-token",
      $metadata: {},
    }));
    const answer = await gateway.query(PAGE, { first: 10 });
    expect(answer.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(answer.errors?.[0]?.extensions?.reason).toBe("REPEATED_TOKEN");
    expect(ec2.commandCalls(DescribeInstancesCommand).length).toBeLessThanOrEqual(2);
  });

  it("answers a short page with a cursor when AWS returns only empty pages within the per-page call bound", async () => {
    let call = 0;
    ec2.on(DescribeInstancesCommand).callsFake(() => {
      call += 1;
      return call <= 60
        ? { Reservations: [], NextToken: `t${call}`, $metadata: {} }
        : { Reservations: [{ Instances: [{ InstanceId: "i-00000009", State: { Name: "running" }, InstanceType: "t3.micro" }] }], $metadata: {} };
    });
    const page = await gateway.query(PAGE, { first: 10 });
    expect(page.data!.ec2Instances.edges).toEqual([]);
    expect(page.data!.ec2Instances.pageInfo.hasNextPage).toBe(true);
    expect(call).toBe(gateway.config.MAX_AWS_CALLS_PER_PAGE);
    const next = await gateway.query(PAGE, { first: 10, after: page.data!.ec2Instances.pageInfo.endCursor });
    expect(next.data!.ec2Instances.edges.map((e: any) => e.node.instanceId)).toEqual(["i-00000009"]);
  });
});
