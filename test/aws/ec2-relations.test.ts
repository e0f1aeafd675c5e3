import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  type DescribeSecurityGroupsCommandInput,
  type DescribeSubnetsCommandInput,
  type DescribeVolumesCommandInput,
  type DescribeVpcsCommandInput,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInProcessGateway, type InProcessGateway } from "../support/gateway.js";

const ec2 = mockClient(EC2Client);
const hex = (n: number) => n.toString(16).padStart(17, "0");
const values = (input: { Filters?: { Values?: string[] }[] }) => input.Filters?.[0]?.Values ?? [];
const volumesOfFilter = (input: DescribeVolumesCommandInput) => ({ Volumes: values(input).map((VolumeId) => ({ VolumeId, Size: 8 })) });

beforeAll(() => {
  // 100 instances spread over 10 VPCs, 30 subnets, 250 security groups and 200 volumes
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: Array.from({ length: 100 }, (_, i) => ({
          InstanceId: `i-${hex(i)}`,
          State: { Name: "running" },
          InstanceType: "t3.micro",
          VpcId: `vpc-${hex(i % 10)}`,
          SubnetId: `subnet-${hex(i % 30)}`,
          SecurityGroups: [{ GroupId: `sg-${hex(i)}` }, { GroupId: `sg-${hex(100 + i)}` }, { GroupId: `sg-${hex(200 + (i % 50))}` }],
          BlockDeviceMappings: [{ Ebs: { VolumeId: `vol-${hex(2 * i)}` } }, { Ebs: { VolumeId: `vol-${hex(2 * i + 1)}` } }],
        })),
      },
    ],
  });
  ec2.on(DescribeVpcsCommand).callsFake((input: DescribeVpcsCommandInput) => ({ Vpcs: values(input).map((VpcId) => ({ VpcId })) }));
  ec2.on(DescribeSubnetsCommand).callsFake((input: DescribeSubnetsCommandInput) => ({ Subnets: values(input).map((SubnetId) => ({ SubnetId, VpcId: "vpc-x" })) }));
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input: DescribeSecurityGroupsCommandInput) => ({
    SecurityGroups: values(input).map((GroupId) => ({ GroupId, GroupName: GroupId })),
  }));
  ec2.on(DescribeVolumesCommand).callsFake(volumesOfFilter);
});
afterAll(() => ec2.restore());

let gateway: InProcessGateway;
beforeAll(async () => {
  gateway = await startInProcessGateway({});
});
afterAll(async () => gateway.close());

describe("EC2 relations are batched per page", () => {
  it("costs a handful of Describe calls for a page of 100 instances with vpc, subnet, security groups and volumes", async () => {
    const answer = await gateway.query(`{ ec2Instances(first: 100) { edges { node {
      instanceId vpc { vpcId } subnet { subnetId } securityGroups { groupId } volumes { volumeId } } } } }`);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.ec2Instances.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(100);
    expect(nodes[42].securityGroups.map((g: any) => g.groupId)).toEqual([`sg-${hex(42)}`, `sg-${hex(142)}`, `sg-${hex(242)}`]);
    expect(nodes[42].volumes).toHaveLength(2);

    const calls = (command: Parameters<typeof ec2.commandCalls>[0]) => ec2.commandCalls(command).length;
    expect(calls(DescribeInstancesCommand)).toBe(1);
    expect(calls(DescribeVpcsCommand)).toBe(1);
    expect(calls(DescribeSubnetsCommand)).toBe(1);
    // 250 distinct groups and 200 volumes: chunked to EC2's 200 values per filter
    expect(calls(DescribeSecurityGroupsCommand)).toBe(2);
    expect(calls(DescribeVolumesCommand)).toBe(1);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand).every((c) => values(c.args[0].input).length <= 200)).toBe(true);
    expect(answer.extensions?.aws?.calls).toBe(6);
  });

  it("fails a relation AWS would not look up, instead of answering a shorter list", async () => {
    const denied = Object.assign(new Error("You are not authorized to perform this operation."), { name: "UnauthorizedOperation", $metadata: { httpStatusCode: 403 } });
    ec2.on(DescribeVolumesCommand).rejects(denied);
    const answer = await gateway.query(`{ ec2Instances(first: 3) { edges { node { instanceId volumes { volumeId } } } } }`);
    ec2.on(DescribeVolumesCommand).callsFake(volumesOfFilter);
    expect(answer.data!.ec2Instances.edges).toEqual([null, null, null]);
    expect(answer.errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([0, 1, 2].map((i) => [`ec2Instances.edges.${i}.node.volumes`, "AWS_ACCESS_DENIED"]));
  });
});
