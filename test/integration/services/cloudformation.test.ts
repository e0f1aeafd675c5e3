// cloudformationStacks / cloudformationStack and each stack's `resources` against moto_server, compared with
// what the SDK's DescribeStacks and ListStackResources say; a resource's `node` is the gateway's own node.
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  paginateDescribeStacks,
  paginateListStackResources,
  type Stack,
  type StackResourceSummary,
} from "@aws-sdk/client-cloudformation";
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCloudformation, type SeededCloudformation } from "../../../demo/services/cloudformation.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, awsOperations, checkRandomWalks, dataOf, regionalClients, walkBackward } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGIONS = ["us-east-1", "eu-west-1"];
// moto answers DescribeStacks 50 stacks a page: 56 make two AWS pages
const STACKS = { "us-east-1": 56, "eu-west-1": 5 };
/** the platform stack's template's database password: it must never come back */
const TEMPLATE_SECRET = "not-a-real-password-1";

let moto: Moto;
let gateway: TestGateway;
let seeded: SeededCloudformation;
const cloudformation = regionalClients((region) => new CloudFormationClient(motoClientConfig(moto.endpoint, region)));
let ec2: EC2Client;
let iam: IAMClient;
let s3: S3Client;
let sqs: SQSClient;

beforeAll(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(motoClientConfig(moto.endpoint));
  iam = new IAMClient(motoClientConfig(moto.endpoint));
  s3 = new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
  sqs = new SQSClient(motoClientConfig(moto.endpoint));
  seeded = await seedCloudformation({ endpoint: moto.endpoint }, { regions: REGIONS, stacksPerRegion: STACKS });
  gateway = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  cloudformation.destroy();
  for (const client of [ec2, iam, s3, sqs]) client?.destroy();
  await moto?.stop();
});

const sdkStacks = (region: string): Promise<Stack[]> => all(paginateDescribeStacks({ client: cloudformation(region) }, {}), (page) => page.Stacks ?? []);

const sdkResources = (region: string, stackName: string): Promise<StackResourceSummary[]> =>
  all(paginateListStackResources({ client: cloudformation(region) }, { StackName: stackName }), (page) => page.StackResourceSummaries ?? []);

const STACK_FIELDS = "id region accountId accountName stackName stackId stackStatus creationTime lastUpdatedTime";
const time = (value: string | null) => {
  if (value === null) return null;
  expect(value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  return new Date(value).getTime();
};
const expectedStack = (stack: Stack, region: string) => ({
  region,
  accountId: stack.StackId!.split(":")[4],
  accountName: "default",
  stackName: stack.StackName,
  stackId: stack.StackId,
  stackStatus: stack.StackStatus,
  creationTime: stack.CreationTime!.getTime(),
  // moto never sets LastUpdatedTime, not even after UpdateStack: null here
  lastUpdatedTime: stack.LastUpdatedTime?.getTime() ?? null,
});
const comparedStack = ({ id, ...node }: any) => {
  expect(typeof id).toBe("string");
  return { ...node, creationTime: time(node.creationTime), lastUpdatedTime: time(node.lastUpdatedTime) };
};

const RESOURCE_FIELDS = "logicalResourceId physicalResourceId resourceType resourceStatus";
const expectedResource = (r: StackResourceSummary) => ({
  logicalResourceId: r.LogicalResourceId,
  physicalResourceId: r.PhysicalResourceId ?? null,
  resourceType: r.ResourceType,
  resourceStatus: r.ResourceStatus,
});

/**
 * The resource types of the platform stack the gateway serves, and the single-item field that finds each
 * by its physical id: a resource's `node` must be that field's node. `key` is the node's own id field
 * where the type is part of the fixed contract, checked to be the physical id.
 */
const SERVED: Record<string, { field: string; arg: string; global?: boolean; typename?: string; key?: string; motoDiffers?: boolean }> = {
  "AWS::EC2::VPC": { field: "ec2Vpc", arg: "vpcId", typename: "Ec2Vpc", key: "vpcId" },
  "AWS::EC2::Subnet": { field: "ec2Subnet", arg: "subnetId", typename: "Ec2Subnet", key: "subnetId" },
  "AWS::EC2::SecurityGroup": { field: "ec2SecurityGroup", arg: "groupId", typename: "Ec2SecurityGroup", key: "groupId" },
  "AWS::EC2::InternetGateway": { field: "ec2InternetGateway", arg: "internetGatewayId", typename: "Ec2InternetGateway", key: "internetGatewayId" },
  "AWS::EC2::RouteTable": { field: "ec2RouteTable", arg: "routeTableId", typename: "Ec2RouteTable", key: "routeTableId" },
  "AWS::EC2::Instance": { field: "ec2Instance", arg: "instanceId", typename: "Ec2Instance", key: "instanceId" },
  "AWS::EC2::Volume": { field: "ec2Volume", arg: "volumeId", typename: "Ec2Volume", key: "volumeId" },
  "AWS::S3::Bucket": { field: "s3Bucket", arg: "name", global: true, typename: "S3Bucket", key: "name" },
  "AWS::IAM::Role": { field: "iamRole", arg: "roleName", global: true, typename: "IamRole", key: "roleName" },
  "AWS::IAM::User": { field: "iamUser", arg: "userName", global: true, typename: "IamUser", key: "userName" },
  "AWS::IAM::ManagedPolicy": { field: "iamPolicy", arg: "arn", global: true, typename: "IamPolicy", key: "arn" },
  "AWS::Lambda::Function": { field: "lambdaFunction", arg: "functionName" },
  // moto's CloudFormation names a queue https://sqs.<region>.amazonaws.com/..., its ListQueues http://<its host>/...:
  // sqsQueue finds a queue only by a URL ListQueues lists (AWS gives both the same URL)
  "AWS::SQS::Queue": { field: "sqsQueue", arg: "queueUrl", motoDiffers: true },
  "AWS::SNS::Topic": { field: "snsTopic", arg: "topicArn" },
  "AWS::DynamoDB::Table": { field: "dynamodbTable", arg: "tableName" },
  "AWS::KMS::Key": { field: "kmsKey", arg: "keyId" },
  "AWS::ECS::Cluster": { field: "ecsCluster", arg: "clusterName" },
  "AWS::ECR::Repository": { field: "ecrRepository", arg: "repositoryName" },
  "AWS::RDS::DBInstance": { field: "rdsDbInstance", arg: "dbInstanceIdentifier" },
  "AWS::Route53::HostedZone": { field: "route53HostedZone", arg: "hostedZoneId", global: true },
  // moto's physical id of a nested stack is its name; AWS's is its ARN: DescribeStacks takes either
  "AWS::CloudFormation::Stack": { field: "cloudformationStack", arg: "stackName" },
};
/** Types of the platform stack the gateway does not serve: their `node` is null. */
const NOT_SERVED = [
  "AWS::EC2::VPCGatewayAttachment",
  "AWS::EC2::Route",
  "AWS::EC2::SubnetRouteTableAssociation",
  "AWS::IAM::InstanceProfile",
  "AWS::Logs::LogGroup",
  "AWS::SSM::Parameter",
];
const FRAGMENTS = [...new Set(Object.values(SERVED).filter((s) => s.typename).map((s) => `... on ${s.typename} { ${s.key} }`))].join(" ");

const resourcesQuery = (selection: string) => `query($name: String!, $region: String, $first: Int, $after: String) {
  cloudformationStack(stackName: $name, region: $region) { resources(first: $first, after: $after) { edges { cursor node { ${selection} } } pageInfo { hasNextPage endCursor } } } }`;

describe("CloudFormation stacks against moto_server", () => {
  it("the seed made a platform stack of many resource types, stacks in several states, and a nested stack", async () => {
    const stacks = await sdkStacks("us-east-1");
    expect(stacks).toHaveLength(STACKS["us-east-1"]);
    expect((await sdkStacks("eu-west-1")).map((s) => s.StackId)).toEqual(expect.arrayContaining(seeded.stacks["eu-west-1"]!.map((s) => s.stackId)));
    expect(new Set(stacks.map((s) => s.StackStatus))).toEqual(new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "REVIEW_IN_PROGRESS"]));
    const types = new Set((await sdkResources("us-east-1", seeded.platform.stackName)).map((r) => r.ResourceType));
    expect([...types].sort()).toEqual([...Object.keys(SERVED), ...NOT_SERVED].sort());
    expect(stacks.map((s) => s.StackName)).toContain(seeded.nested.stackName);
    expect(stacks.map((s) => s.StackName)).not.toContain(seeded.deleted["us-east-1"]!.stackName);
  });

  it("cloudformationStacks: walks with random page sizes, resumed after random edges, equal DescribeStacks in every region", async () => {
    const query = `query($first: Int, $after: String, $region: String) {
      cloudformationStacks(first: $first, after: $after, region: $region) { edges { cursor node { id region stackId } } pageInfo { hasNextPage endCursor } } }`;
    for (const region of REGIONS) {
      const expected = (await sdkStacks(region)).map((s) => s.StackId!);
      await checkRandomWalks(gateway, query, ["cloudformationStacks"], { maxFirst: 30, runs: 3, variables: { region } }, (walk) => {
        expect(walk.nodes.map((n: any) => n.stackId)).toEqual(expected);
        expect(walk.nodes.every((n: any) => n.region === region)).toBe(true);
      });
    }
  });

  it("is honest about moto: DescribeStacks answers 50 stacks a page, its NextToken the last stack's ARN; a walk reads each AWS page once", async () => {
    // AWS documents no page size for DescribeStacks (it takes none); moto fixes it at 50
    const first = await cloudformation("us-east-1").send(new DescribeStacksCommand({}));
    expect(first.Stacks).toHaveLength(50);
    expect(first.NextToken).toBe(first.Stacks!.at(-1)!.StackId);
    const walk = await walkConnection(gateway, `query($first: Int, $after: String) {
      cloudformationStacks(first: $first, after: $after) { edges { cursor node { stackName } } pageInfo { hasNextPage endCursor } } }`, ["cloudformationStacks"], { firsts: [7] });
    expect(walk.nodes).toHaveLength(STACKS["us-east-1"]);
    expect(walk.operations.DescribeStacks).toBe(2);
  });

  it("cloudformationStacks: a walk backward from the last edge equals the forward listing", async () => {
    const query = `query($last: Int, $before: String, $region: String) {
      cloudformationStacks(last: $last, before: $before, region: $region) { edges { cursor node { stackId } } pageInfo { hasPreviousPage startCursor } } }`;
    for (const region of REGIONS) {
      const forward = dataOf(await gateway.query(`query($region: String) { cloudformationStacks(first: 500, region: $region) { edges { cursor node { stackId } } pageInfo { hasNextPage } } }`, { region }))
        .cloudformationStacks;
      expect(forward.pageInfo.hasNextPage).toBe(false);
      const ids = forward.edges.map((e: any) => e.node.stackId);
      expect(ids).toEqual((await sdkStacks(region)).map((s) => s.StackId));
      const backward = await walkBackward(gateway, query, ["cloudformationStacks"], { lasts: [6, 17, 2], before: forward.edges.at(-1).cursor, variables: { region } });
      expect([...backward.map((n: any) => n.stackId), ids.at(-1)]).toEqual(ids);
    }
  });

  it("cloudformationStacks: totalCount equals DescribeStacks' count in every region", async () => {
    for (const region of REGIONS) {
      const answer = dataOf(await gateway.query(`query($region: String) { cloudformationStacks(region: $region) { totalCount } }`, { region }));
      expect(answer.cloudformationStacks.totalCount).toBe((await sdkStacks(region)).length);
    }
  });

  it("cloudformationStacks: every field of every stack equals DescribeStacks' item at the same position", async () => {
    for (const region of REGIONS) {
      const answer = dataOf(await gateway.query(`query($region: String) { cloudformationStacks(first: 500, region: $region) { edges { node { ${STACK_FIELDS} } } } }`, { region }));
      expect(answer.cloudformationStacks.edges.map((e: any) => comparedStack(e.node))).toEqual((await sdkStacks(region)).map((s) => expectedStack(s, region)));
    }
  });

  it("cloudformationStack finds stacks by name as DescribeStacks(StackName) says, and answers null for missing and deleted stacks", async () => {
    const region = "us-east-1";
    for (const name of [seeded.platform.stackName, seeded.nested.stackName, seeded.review[region]!.stackName, seeded.stacks[region]![5]!.stackName]) {
      const answer = dataOf(await gateway.query(`query($name: String!) { cloudformationStack(stackName: $name) { ${STACK_FIELDS} } }`, { name }));
      const [described] = (await cloudformation(region).send(new DescribeStacksCommand({ StackName: name }))).Stacks!;
      expect(comparedStack(answer.cloudformationStack)).toEqual(expectedStack(described!, region));
    }
    const inWest = seeded.stacks["eu-west-1"]![0]!;
    const west = dataOf(await gateway.query(`query($name: String!) { cloudformationStack(stackName: $name, region: "eu-west-1") { stackId region } }`, { name: inWest.stackName }));
    expect(west.cloudformationStack).toEqual({ stackId: inWest.stackId, region: "eu-west-1" });
    // DescribeStacks answers ValidationError "Stack with id ... does not exist" for both
    const missing = await gateway.query(`query($deleted: String!) {
      a: cloudformationStack(stackName: "no-such-stack") { stackName }
      b: cloudformationStack(stackName: $deleted) { stackName }
      c: cloudformationStack(stackName: "platform-core", region: "eu-west-1") { stackName } }`, { deleted: seeded.deleted[region]!.stackName });
    expect(dataOf(missing)).toEqual({ a: null, b: null, c: null });
  });

  it("a stack's node id refetches it with node(id:)", async () => {
    const stack = dataOf(await gateway.query(`{ cloudformationStack(stackName: "platform-core") { __typename id } }`)).cloudformationStack;
    const node = dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { __typename id } }`, { id: stack.id })).node;
    expect(node).toEqual(stack);
  });

  it("resources: walks with random page sizes and resumes equal ListStackResources for the platform, nested and an updated stack", async () => {
    const region = "us-east-1";
    const updated = (await sdkStacks(region)).find((s) => s.StackStatus === "UPDATE_COMPLETE")!.StackName!;
    for (const name of [seeded.platform.stackName, seeded.nested.stackName, updated]) {
      const expected = (await sdkResources(region, name)).map(expectedResource);
      expect(expected.length).toBeGreaterThan(1);
      await checkRandomWalks(gateway, resourcesQuery(RESOURCE_FIELDS), ["cloudformationStack", "resources"], { maxFirst: 12, runs: 3, variables: { name, region } }, (walk) => {
        expect(walk.nodes).toEqual(expected);
      });
    }
  });

  it("is honest about moto: ListStackResources never pages, and a walk of small pages reads it once", async () => {
    // AWS pages ListStackResources with NextToken (it takes no page size); moto answers every resource at once.
    // moto also fixes every ResourceStatus at CREATE_COMPLETE and LastUpdatedTimestamp at 2011-06-21.
    const whole = await cloudformation("us-east-1").send(new ListStackResourcesCommand({ StackName: seeded.platform.stackName }));
    expect(whole.NextToken).toBeUndefined();
    expect(whole.StackResourceSummaries!.length).toBeGreaterThan(25);
    const walk = await walkConnection(gateway, resourcesQuery("logicalResourceId"), ["cloudformationStack", "resources"], {
      firsts: [5],
      variables: { name: seeded.platform.stackName },
    });
    expect(walk.nodes).toHaveLength(whole.StackResourceSummaries!.length);
    expect(walk.operations.ListStackResources).toBe(1);
  });

  it("resources: a walk backward from the last edge equals the forward listing; totalCount equals ListStackResources' count", async () => {
    const name = seeded.platform.stackName;
    const forward = dataOf(await gateway.query(resourcesQuery("logicalResourceId"), { name, first: 100 })).cloudformationStack.resources;
    const logicalIds = forward.edges.map((e: any) => e.node.logicalResourceId);
    expect(logicalIds).toEqual((await sdkResources("us-east-1", name)).map((r) => r.LogicalResourceId));
    const query = `query($name: String!, $last: Int, $before: String) { cloudformationStack(stackName: $name) {
      resources(last: $last, before: $before) { edges { cursor node { logicalResourceId } } pageInfo { hasPreviousPage startCursor } } } }`;
    const backward = await walkBackward(gateway, query, ["cloudformationStack", "resources"], { lasts: [4, 7], before: forward.edges.at(-1).cursor, variables: { name } });
    expect([...backward.map((n: any) => n.logicalResourceId), logicalIds.at(-1)]).toEqual(logicalIds);

    for (const stack of [name, seeded.nested.stackName, seeded.review["us-east-1"]!.stackName]) {
      const counted = dataOf(await gateway.query(`query($name: String!) { cloudformationStack(stackName: $name) { resources { totalCount } } }`, { name: stack }));
      expect(counted.cloudformationStack.resources.totalCount).toBe((await sdkResources("us-east-1", stack)).length);
    }
  });

  it("resources: a stack awaiting its change set has none", async () => {
    const answer = dataOf(await gateway.query(resourcesQuery(RESOURCE_FIELDS), { name: seeded.review["us-east-1"]!.stackName, first: 10 }));
    expect(answer.cloudformationStack.resources.edges).toEqual([]);
    expect(answer.cloudformationStack.resources.pageInfo.hasNextPage).toBe(false);
  });

  it("resources: each served resource's node is the gateway's own node for its physical id, null for types it does not serve", async () => {
    const region = "us-east-1";
    const query = resourcesQuery(`${RESOURCE_FIELDS} node { __typename id ${FRAGMENTS} }`);
    const answer = dataOf(await gateway.query(query, { name: seeded.platform.stackName, region, first: 100 }));
    // the same text again runs compiled (graphql-jit), which resolves the Node interface's type its own way
    const resources = answer.cloudformationStack.resources.edges.map((e: any) => e.node);
    const again = dataOf(await gateway.query(query, { name: seeded.platform.stackName, region, first: 100 }));
    expect(again.cloudformationStack.resources.edges.map((e: any) => e.node)).toEqual(resources);
    expect(resources.map(({ node, ...r }: any) => r)).toEqual((await sdkResources(region, seeded.platform.stackName)).map(expectedResource));

    // the same ids through the gateway's single-item fields, in one query
    const lookups = resources
      .map((r: any, index: number) => {
        const served = SERVED[r.resourceType];
        if (!served) return "";
        const region = served.global ? "" : `, region: "us-east-1"`;
        return `r${index}: ${served.field}(${served.arg}: ${JSON.stringify(r.physicalResourceId)}${region}) { __typename id }`;
      })
      .join("\n");
    const found = dataOf(await gateway.query(`{ ${lookups} }`));
    const listedQueues = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
    for (const [index, resource] of resources.entries()) {
      const served = SERVED[resource.resourceType];
      if (!served) {
        expect(NOT_SERVED, resource.resourceType).toContain(resource.resourceType);
        expect(resource.node, `${resource.logicalResourceId} (${resource.resourceType})`).toBeNull();
        continue;
      }
      if (served.motoDiffers && !listedQueues.includes(resource.physicalResourceId)) {
        // the queue exists, under another URL: neither the single-item field nor `node` can know it is this one
        expect(listedQueues.map((url) => url.split("/").pop())).toContain(resource.physicalResourceId.split("/").pop());
        expect(found[`r${index}`], `${served.field}(${served.arg}: ${resource.physicalResourceId})`).toBeNull();
        expect(resource.node, resource.logicalResourceId).toBeNull();
        continue;
      }
      expect(found[`r${index}`], `${served.field}(${served.arg}: ${resource.physicalResourceId})`).not.toBeNull();
      expect({ __typename: resource.node?.__typename, id: resource.node?.id }, resource.logicalResourceId).toEqual(found[`r${index}`]);
      if (served.key) expect(resource.node[served.key], resource.logicalResourceId).toBe(resource.physicalResourceId);
    }
  });

  it("resources: the EC2, IAM and S3 nodes are what those services say for the same ids", async () => {
    const answer = dataOf(
      await gateway.query(
        // (Ec2Subnet.vpcId is String!, Ec2SecurityGroup.vpcId String: one response name cannot be both)
        resourcesQuery(`logicalResourceId physicalResourceId node { __typename
          ... on Ec2Vpc { vpcId cidrBlock } ... on Ec2Subnet { subnetId vpcId cidrBlock } ... on Ec2SecurityGroup { groupId groupVpcId: vpcId groupName }
          ... on IamRole { roleName arn path } ... on S3Bucket { name } }`),
        { name: seeded.platform.stackName, first: 100 },
      ),
    );
    const byLogical = new Map<string, any>(answer.cloudformationStack.resources.edges.map((e: any) => [e.node.logicalResourceId, e.node]));
    const vpc = byLogical.get("Vpc");
    const [awsVpc] = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc.physicalResourceId] }))).Vpcs!;
    expect(vpc.node).toEqual({ __typename: "Ec2Vpc", vpcId: awsVpc!.VpcId, cidrBlock: awsVpc!.CidrBlock });
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["SubnetA", "SubnetB"].map((l) => byLogical.get(l).physicalResourceId) }))).Subnets!;
    for (const logical of ["SubnetA", "SubnetB"]) {
      const subnet = subnets.find((s) => s.SubnetId === byLogical.get(logical).physicalResourceId)!;
      expect(byLogical.get(logical).node).toEqual({ __typename: "Ec2Subnet", subnetId: subnet.SubnetId, vpcId: awsVpc!.VpcId, cidrBlock: subnet.CidrBlock });
    }
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["WebSecurityGroup", "DbSecurityGroup"].map((l) => byLogical.get(l).physicalResourceId) })))
      .SecurityGroups!;
    for (const logical of ["WebSecurityGroup", "DbSecurityGroup"]) {
      const group = groups.find((g) => g.GroupId === byLogical.get(logical).physicalResourceId)!;
      expect(byLogical.get(logical).node).toEqual({ __typename: "Ec2SecurityGroup", groupId: group.GroupId, groupVpcId: awsVpc!.VpcId, groupName: group.GroupName });
    }
    const role = (await iam.send(new GetRoleCommand({ RoleName: byLogical.get("AppRole").physicalResourceId }))).Role!;
    expect(byLogical.get("AppRole").node).toEqual({ __typename: "IamRole", roleName: role.RoleName, arn: role.Arn, path: role.Path });
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name);
    expect(buckets).toContain(byLogical.get("ArtifactsBucket").physicalResourceId);
    expect(byLogical.get("ArtifactsBucket").node).toEqual({ __typename: "S3Bucket", name: byLogical.get("ArtifactsBucket").physicalResourceId });
  });

  it("resources: a page without `node` calls ListStackResources only; with `node`, EC2 lookups are batched per type", async () => {
    const name = seeded.platform.stackName;
    const plain = await gateway.query(resourcesQuery(RESOURCE_FIELDS), { name, first: 100 });
    dataOf(plain);
    // (GetCallerIdentity: the gateway learns its account id once)
    for (const operation of Object.keys(awsOperations(plain.extensions!.aws.operations))) expect(["DescribeStacks", "ListStackResources"]).toContain(operation);
    expect(plain.extensions!.aws.operations.ListStackResources).toBe(1);

    const linked = await gateway.query(resourcesQuery(`${RESOURCE_FIELDS} node { __typename id }`), { name, first: 100 });
    dataOf(linked);
    const operations = linked.extensions!.aws.operations as Record<string, number>;
    // two subnets and two security groups in the template: one call each
    for (const operation of ["DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "DescribeInternetGateways", "DescribeRouteTables", "DescribeInstances", "DescribeVolumes"]) {
      expect(operations[operation] ?? 0, operation).toBeLessThanOrEqual(1);
    }
  });

  it("never serves the template's secrets: a full read of the platform stack does not contain its database password", async () => {
    const answer = await gateway.query(
      `query($name: String!) { cloudformationStack(stackName: $name) { ${STACK_FIELDS}
        resources(first: 100) { edges { node { ${RESOURCE_FIELDS} node { __typename id } } } } } }`,
      { name: seeded.platform.stackName },
    );
    dataOf(answer);
    expect(JSON.stringify(answer)).not.toContain(TEMPLATE_SECRET);
  });
});
