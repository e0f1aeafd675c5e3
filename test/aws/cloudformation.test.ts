// CloudFormation as AWS runs it, where moto does not: DescribeStacks pages with an opaque NextToken
// (moto: 50 stacks, the last one's ARN), a nested stack's physical id is its ARN (moto: its name),
// and a queue's physical id is the URL ListQueues gives (moto: another host). A stack resource's
// `node` goes by the resource type alone: a VPCGatewayAttachment whose id looks like a VPC's is null.
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type DescribeStackResourcesCommandInput,
  type DescribeStacksCommandInput,
  type ListStackResourcesCommandInput,
  type StackResourceSummary,
} from "@aws-sdk/client-cloudformation";
import { DescribeServicesCommand, ECSClient, type DescribeServicesCommandInput } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { awsError, opaquePage, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const stackArn = (name: string) => `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/${name.length.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
const missing = (name: string) => awsError("ValidationError", `Stack with id ${name} does not exist`);

const names = Array.from({ length: 130 }, (_, i) => `stack-${String(i).padStart(3, "0")}`);
const APP = "stack-000";
const NESTED = "stack-000-Db-1ABC";
const stacks = [...names, NESTED];
const stack = (StackName: string) => ({ StackName, StackId: stackArn(StackName), StackStatus: "CREATE_COMPLETE" as const, CreationTime: new Date(0) });
const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/app-jobs`;
const resources: StackResourceSummary[] = [
  { LogicalResourceId: "Db", ResourceType: "AWS::CloudFormation::Stack", PhysicalResourceId: stackArn(NESTED), ResourceStatus: "CREATE_COMPLETE", LastUpdatedTimestamp: new Date(0) },
  { LogicalResourceId: "Jobs", ResourceType: "AWS::SQS::Queue", PhysicalResourceId: QUEUE_URL, ResourceStatus: "CREATE_COMPLETE", LastUpdatedTimestamp: new Date(0) },
  { LogicalResourceId: "Web", ResourceType: "AWS::ECS::Service", PhysicalResourceId: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/app/web`, ResourceStatus: "CREATE_COMPLETE", LastUpdatedTimestamp: new Date(0) },
  // a service made before the long ARN format: its ARN does not name the cluster
  { LogicalResourceId: "Old", ResourceType: "AWS::ECS::Service", PhysicalResourceId: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/old`, ResourceStatus: "CREATE_COMPLETE", LastUpdatedTimestamp: new Date(0) },
  // AWS's id of an attachment is its own; one shaped like a VPC id must still not be taken for a VPC
  { LogicalResourceId: "Attach", ResourceType: "AWS::EC2::VPCGatewayAttachment", PhysicalResourceId: "vpc-0123456789abcdef0", ResourceStatus: "CREATE_COMPLETE", LastUpdatedTimestamp: new Date(0) },
  // still being created: no physical id yet
  { LogicalResourceId: "Pending", ResourceType: "AWS::S3::Bucket", ResourceStatus: "CREATE_IN_PROGRESS", LastUpdatedTimestamp: new Date(0) },
];

const cloudformation = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const ecs = mockClient(ECSClient);
const ec2 = mockClient(EC2Client);
const gateway = useMockedGateway([cloudformation, sqs, ecs, ec2], () => {
  cloudformation.on(DescribeStacksCommand).callsFake((input: DescribeStacksCommandInput) => {
    if (input.StackName) {
      const found = stacks.find((s) => s === input.StackName || stackArn(s) === input.StackName);
      if (!found) throw missing(input.StackName);
      return { Stacks: [stack(found)] };
    }
    // no page size to ask for: AWS cuts pages itself (here 100) and goes on with an opaque token
    const page = opaquePage(stacks, input.NextToken, 100);
    return { Stacks: page.items.map(stack), NextToken: page.next };
  });
  cloudformation.on(ListStackResourcesCommand).callsFake((input: ListStackResourcesCommandInput) => {
    if (input.StackName !== stackArn(APP)) return { StackResourceSummaries: [] };
    return { StackResourceSummaries: resources };
  });
  sqs.on(ListQueuesCommand).resolves({ QueueUrls: [QUEUE_URL] });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:app-jobs` } });
  ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
    services: (input.services ?? []).filter((s) => input.cluster === "app" && s === "web").map((s) => ({
      serviceName: s,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/app/${s}`,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/app`,
      status: "ACTIVE",
    })),
  }));
});

const STACKS = `query($first: Int, $after: String) { cloudformationStacks(first: $first, after: $after) { edges { cursor node { stackName } } pageInfo { hasNextPage endCursor } } }`;

describe("CloudFormation as AWS runs it", () => {
  it("walks every stack once, following DescribeStacks' opaque token, each AWS page read once", async () => {
    const walk = await walkConnection(gateway, STACKS, ["cloudformationStacks"], { firsts: [9] });
    expect(walk.nodes.map((s: any) => s.stackName)).toEqual(stacks);
    expect(cloudformation.commandCalls(DescribeStacksCommand)).toHaveLength(2);
  });

  it("a resource's node goes by its type: a nested stack by ARN, a queue by URL, an ECS service by its long ARN; null otherwise", async () => {
    const answer = await gateway.query(`{ cloudformationStack(stackName: "${APP}") { resources(first: 10) { edges { node {
      logicalResourceId physicalResourceId node { __typename id ... on CloudformationStack { stackName stackId } ... on SqsQueue { queueUrl } ... on EcsService { clusterServiceName } } } } } } }`);
    expect(answer.errors).toBeUndefined();
    const nodes = Object.fromEntries(answer.data!.cloudformationStack.resources.edges.map((e: any) => [e.node.logicalResourceId, e.node]));
    const byId = await gateway.query(`{ nested: cloudformationStack(stackName: "${NESTED}") { __typename id } queue: sqsQueue(queueUrl: "${QUEUE_URL}") { __typename id } }`);
    expect(byId.errors).toBeUndefined();
    expect(nodes.Db.node).toMatchObject({ ...byId.data!.nested, stackName: NESTED, stackId: stackArn(NESTED) });
    expect(nodes.Jobs.node).toMatchObject({ ...byId.data!.queue, queueUrl: QUEUE_URL });
    expect(nodes.Web.node).toMatchObject({ __typename: "EcsService", clusterServiceName: "app/web" });
    expect(nodes.Old.node).toBeNull();
    expect(nodes.Attach.node).toBeNull();
    expect(nodes.Pending).toMatchObject({ physicalResourceId: null, node: null });
    expect(ec2.calls()).toHaveLength(0);
  });

  it("a stack resource's id refetches it with node(id:), through DescribeStackResources", async () => {
    const listed = await gateway.query(`{ cloudformationStack(stackName: "${APP}") { resources(first: 1) { edges { node { __typename id logicalResourceId resourceType } } } } }`);
    expect(listed.errors).toBeUndefined();
    const resource = listed.data!.cloudformationStack.resources.edges[0].node;
    cloudformation.on(DescribeStackResourcesCommand).callsFake((input: DescribeStackResourcesCommandInput) => ({
      StackResources: resources
        .filter((r) => input.StackName === stackArn(APP) && r.LogicalResourceId === input.LogicalResourceId)
        .map((r) => ({ ...r, StackName: APP, StackId: stackArn(APP), Timestamp: new Date(0) })),
    }));
    const refetched = await gateway.query(`query($id: ID!) { node(id: $id) { __typename id ... on CloudformationStackResource { logicalResourceId resourceType } } }`, { id: resource.id });
    expect(refetched.errors).toBeUndefined();
    expect(refetched.data!.node).toEqual(resource);
  });
});
