// Counts as AWS pages them (moto answers every volume in one page): MAX_COUNT_AWS_CALLS bounds each
// source of a count, not the whole count, and MAX_QUERY_AWS_CALLS bounds the calls a count really
// makes, checked as it reads.
import { DescribeVolumesCommand, EC2Client, type DescribeVolumesCommandInput } from "@aws-sdk/client-ec2";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInProcessGateway, type InProcessGateway } from "../support/gateway.js";

/** Volumes per region, answered one a page whatever the page size, as a slow-paging service might. */
const VOLUMES: Record<string, number> = { "us-east-1": 3, "eu-west-1": 1, "us-west-2": 1, "eu-central-1": 1 };

let ec2: AwsClientStub<EC2Client>;
let capped: InProcessGateway;
let budgeted: InProcessGateway;

beforeAll(async () => {
  ec2 = mockClient(EC2Client);
  ec2.on(DescribeVolumesCommand).callsFake(async (input: DescribeVolumesCommandInput, client: () => EC2Client) => {
    const region = await client().config.region();
    const at = Number(input.NextToken ?? 0);
    const count = VOLUMES[region] ?? 0;
    return { Volumes: at < count ? [{ VolumeId: `vol-${region.replace(/-/g, "")}${at}`, State: at % 2 ? "in-use" : "available" }] : [], NextToken: at + 1 < count ? String(at + 1) : undefined };
  });
  capped = await startInProcessGateway({ MAX_COUNT_AWS_CALLS: "2" });
  budgeted = await startInProcessGateway({ MAX_COUNT_AWS_CALLS: "10", MAX_QUERY_AWS_CALLS: "3" });
});
afterAll(async () => {
  await capped?.close();
  await budgeted?.close();
  ec2?.restore();
});

describe("counts, as AWS pages", () => {
  it("bounds each source by MAX_COUNT_AWS_CALLS, not the whole count: three sources of one call each count under a bound of two", async () => {
    const answer = await capped.query(`{ ec2Volumes(regions: ["eu-west-1", "us-west-2", "eu-central-1"], first: 1) { totalCount countBy(field: STATE) { key count } } }`);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data!.ec2Volumes).toEqual({ totalCount: 3, countBy: [{ key: "available", count: 3 }] });
  });

  it("refuses a count whose one source needs more calls than MAX_COUNT_AWS_CALLS: totalCount null on its own, countBy (non-null) failing its connection", async () => {
    const total = await capped.query(`{ ec2Volumes(regions: ["us-east-1"], first: 1) { edges { node { volumeId } } totalCount } }`);
    expect(total.data!.ec2Volumes.edges).toHaveLength(1);
    expect(total.data!.ec2Volumes.totalCount).toBeNull();
    expect(total.errors?.map((e) => [e.path?.join("."), e.extensions?.code, e.extensions?.limit])).toEqual([["ec2Volumes.totalCount", "QUERY_TOO_COSTLY", "count"]]);
    const groups = await capped.query(`{ ec2Volumes(regions: ["us-east-1"], first: 1) { countBy(field: STATE) { key } } }`);
    expect(groups.errors?.map((e) => [e.path?.join("."), e.extensions?.code, e.extensions?.limit])).toEqual([["ec2Volumes.countBy", "QUERY_TOO_COSTLY", "count"]]);
  });

  it("stops a count once the query's calls reach MAX_QUERY_AWS_CALLS, though it was priced within it", async () => {
    const answer = await budgeted.query(`{ ec2Volumes(regions: ["us-east-1"], first: 1) { edges { node { volumeId } } totalCount } }`);
    expect(answer.data!.ec2Volumes.edges).toHaveLength(1);
    expect(answer.data!.ec2Volumes.totalCount).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", limit: "awsCalls", max: 3 });
    expect(answer.extensions!.aws.calls).toBeLessThanOrEqual(3);
  });
});
