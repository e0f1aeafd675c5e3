import { DescribeLaunchTemplatesCommand, DescribeNatGatewaysCommand, EC2Client, type DescribeLaunchTemplatesCommandInput } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInProcessGateway, type InProcessGateway } from "../support/gateway.js";

const ec2 = mockClient(EC2Client);
const KNOWN = ["lt-0000000000000000a", "lt-0000000000000000b"];
const notFound = () => Object.assign(new Error("The specified launch template does not exist"), { name: "InvalidLaunchTemplateId.NotFound", $fault: "client", $metadata: { httpStatusCode: 400 } });

beforeAll(() => {
  // As AWS answers: ids in LaunchTemplateIds that do not all exist fail the whole call.
  ec2.on(DescribeLaunchTemplatesCommand).callsFake((input: DescribeLaunchTemplatesCommandInput) => {
    const ids = input.LaunchTemplateIds ?? [];
    if (ids.some((id) => !KNOWN.includes(id))) throw notFound();
    return { LaunchTemplates: ids.map((id) => ({ LaunchTemplateId: id, LaunchTemplateName: `name-of-${id}` })) };
  });
  ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [] });
});
afterAll(() => ec2.restore());

let gateway: InProcessGateway;
beforeAll(async () => {
  gateway = await startInProcessGateway({});
});
afterAll(async () => gateway.close());

describe("EC2 lookups by an ids parameter", () => {
  it("answers the ids that exist and null for the one EC2 does not know, though EC2 failed their shared call with NotFound", async () => {
    const answer = await gateway.query(`{
      a: ec2LaunchTemplate(launchTemplateId: "${KNOWN[0]}") { launchTemplateName }
      b: ec2LaunchTemplate(launchTemplateId: "${KNOWN[1]}") { launchTemplateName }
      gone: ec2LaunchTemplate(launchTemplateId: "lt-0000000000000000f") { launchTemplateName } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ a: { launchTemplateName: `name-of-${KNOWN[0]}` }, b: { launchTemplateName: `name-of-${KNOWN[1]}` }, gone: null });
    const batched = ec2.commandCalls(DescribeLaunchTemplatesCommand).map((c) => c.args[0].input.LaunchTemplateIds);
    expect(batched[0]).toHaveLength(3); // one call for the batch first, then each id alone
    expect(batched.slice(1).every((ids) => ids?.length === 1)).toBe(true);
  });

  it("sends NAT gateway filters as EC2's `Filter` parameter, which that call names differently", async () => {
    ec2.resetHistory();
    const answer = await gateway.query(`{ ec2NatGateways(first: 5, filter: { vpcId: "vpc-0000000000000000a" }) { edges { node { natGatewayId } } } }`);
    expect(answer.errors).toBeUndefined();
    const [call] = ec2.commandCalls(DescribeNatGatewaysCommand);
    expect(call!.args[0].input).toMatchObject({ Filter: [{ Name: "vpc-id", Values: ["vpc-0000000000000000a"] }], MaxResults: 5 });
  });
});
