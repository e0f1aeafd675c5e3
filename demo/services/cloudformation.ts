// Seeds CloudFormation stacks: one platform stack whose template makes resources of many types (most
// of which the gateway serves as nodes of its own), service stacks per team, and stacks in the other
// states a console shows (updated, awaiting a change set, deleted).
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { CreateBucketCommand, PutObjectCommand, S3Client, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { clientConfig, teams, envs, type AwsTarget, type Progress } from "../seed.js";

export interface CloudformationSeedPlan {
  regions: string[];
  /**
   * stacks DescribeStacks lists in each region: the platform stack and its nested stack (first region
   * only), one awaiting its change set, and service stacks for the rest; at least 3. A number for
   * every region, or a count per region.
   */
  stacksPerRegion: number | Record<string, number>;
}

export interface SeededStack {
  stackName: string;
  stackId: string;
}

export interface SeededCloudformation {
  /** region -> the stacks DescribeStacks lists there (the nested stack is made inside its parent's CreateStack) */
  stacks: Record<string, SeededStack[]>;
  /** the stack whose template makes many resource types (first region) */
  platform: SeededStack & { region: string };
  /** its nested stack (moto names its physical id by stack name; AWS by stack ARN) */
  nested: SeededStack;
  /** per region: a stack in REVIEW_IN_PROGRESS (made by a CREATE change set), with no resources */
  review: Record<string, SeededStack>;
  /** per region: a stack that was deleted: DescribeStacks no longer lists it, or finds it by name */
  deleted: Record<string, SeededStack>;
}



const trust = (service: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

/**
 * The platform stack: networking, compute, storage, identity, messaging and data resources. Every type
 * here is one moto's CloudFormation really creates (checked against moto 5.2: AWS::CloudWatch::Alarm and
 * AWS::CloudFormation::WaitConditionHandle are not created but listed with empty ids, and
 * AWS::EC2::SecurityGroupIngress gets an empty physical id, so none of those are used).
 */
function platformTemplate(region: string, nestedUrl: string) {
  const tags = (name: string) => [
    { Key: "Name", Value: name },
    { Key: "team", Value: "platform" },
  ];
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Shared platform: network, compute, data and messaging",
    Parameters: { Env: { Type: "String", Default: "prod" } },
    Resources: {
      Vpc: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: "10.200.0.0/16", EnableDnsHostnames: true, Tags: tags("platform-vpc") } },
      SubnetA: { Type: "AWS::EC2::Subnet", Properties: { VpcId: { Ref: "Vpc" }, CidrBlock: "10.200.1.0/24", AvailabilityZone: `${region}a`, Tags: tags("platform-a") } },
      SubnetB: { Type: "AWS::EC2::Subnet", Properties: { VpcId: { Ref: "Vpc" }, CidrBlock: "10.200.2.0/24", AvailabilityZone: `${region}b`, Tags: tags("platform-b") } },
      WebSecurityGroup: {
        Type: "AWS::EC2::SecurityGroup",
        Properties: {
          GroupDescription: "HTTPS from anywhere",
          VpcId: { Ref: "Vpc" },
          SecurityGroupIngress: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0" }],
        },
      },
      DbSecurityGroup: {
        Type: "AWS::EC2::SecurityGroup",
        Properties: {
          GroupDescription: "Postgres from the VPC",
          VpcId: { Ref: "Vpc" },
          SecurityGroupIngress: [{ IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, CidrIp: "10.200.0.0/16" }],
        },
      },
      InternetGateway: { Type: "AWS::EC2::InternetGateway", Properties: { Tags: tags("platform-igw") } },
      GatewayAttachment: { Type: "AWS::EC2::VPCGatewayAttachment", Properties: { VpcId: { Ref: "Vpc" }, InternetGatewayId: { Ref: "InternetGateway" } } },
      PublicRoutes: { Type: "AWS::EC2::RouteTable", Properties: { VpcId: { Ref: "Vpc" } } },
      DefaultRoute: { Type: "AWS::EC2::Route", Properties: { RouteTableId: { Ref: "PublicRoutes" }, DestinationCidrBlock: "0.0.0.0/0", GatewayId: { Ref: "InternetGateway" } } },
      SubnetARoutes: { Type: "AWS::EC2::SubnetRouteTableAssociation", Properties: { SubnetId: { Ref: "SubnetA" }, RouteTableId: { Ref: "PublicRoutes" } } },
      Bastion: {
        Type: "AWS::EC2::Instance",
        Properties: { ImageId: "ami-12c6146b", InstanceType: "t3.micro", SubnetId: { Ref: "SubnetA" }, SecurityGroupIds: [{ Ref: "WebSecurityGroup" }], Tags: tags("bastion") },
      },
      DataVolume: { Type: "AWS::EC2::Volume", Properties: { AvailabilityZone: `${region}a`, Size: 100, VolumeType: "gp3" } },
      ArtifactsBucket: { Type: "AWS::S3::Bucket", Properties: { Tags: tags("artifacts") } },
      AppRole: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: trust("lambda.amazonaws.com"), Path: "/platform/" } },
      AppInstanceProfile: { Type: "AWS::IAM::InstanceProfile", Properties: { Roles: [{ Ref: "AppRole" }] } },
      ReadArtifactsPolicy: {
        Type: "AWS::IAM::ManagedPolicy",
        Properties: { PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] } },
      },
      DeployUser: { Type: "AWS::IAM::User", Properties: { Path: "/platform/" } },
      Worker: {
        Type: "AWS::Lambda::Function",
        Properties: {
          Runtime: "python3.12",
          Handler: "index.handler",
          Role: { "Fn::GetAtt": ["AppRole", "Arn"] },
          MemorySize: 256,
          Timeout: 30,
          Code: { ZipFile: "def handler(event, context):\n    return {'ok': True}\n" },
        },
      },
      JobsQueue: { Type: "AWS::SQS::Queue", Properties: { VisibilityTimeout: 120 } },
      DeadLetterQueue: { Type: "AWS::SQS::Queue", Properties: { MessageRetentionPeriod: 1_209_600 } },
      AlertsTopic: { Type: "AWS::SNS::Topic", Properties: { DisplayName: "platform alerts" } },
      SessionsTable: {
        Type: "AWS::DynamoDB::Table",
        Properties: {
          AttributeDefinitions: [{ AttributeName: "sessionId", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "sessionId", KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        },
      },
      DataKey: {
        Type: "AWS::KMS::Key",
        Properties: {
          Description: "platform data key",
          // A JSON string, not an object: moto keeps an object as it is, and then fails every
          // DescribeKey of the key with a 500 (its policy check json.loads() the policy).
          KeyPolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }] }),
        },
      },
      AppCluster: { Type: "AWS::ECS::Cluster" },
      AppRepository: { Type: "AWS::ECR::Repository", Properties: { RepositoryName: "platform/app" } },
      Database: {
        Type: "AWS::RDS::DBInstance",
        Properties: {
          DBInstanceClass: "db.t3.micro",
          Engine: "postgres",
          AllocatedStorage: "20",
          MasterUsername: "platform",
          MasterUserPassword: "not-a-real-password-1",
          VPCSecurityGroups: [{ Ref: "DbSecurityGroup" }],
        },
      },
      InternalZone: { Type: "AWS::Route53::HostedZone", Properties: { Name: "platform.internal.example.com" } },
      AppLogs: { Type: "AWS::Logs::LogGroup", Properties: { RetentionInDays: 30 } },
      FeatureFlag: { Type: "AWS::SSM::Parameter", Properties: { Name: "/platform/feature-flags/new-checkout", Type: "String", Value: "off" } },
      Observability: { Type: "AWS::CloudFormation::Stack", Properties: { TemplateURL: nestedUrl, Parameters: { Env: { Ref: "Env" } } } },
    },
    Outputs: { VpcId: { Value: { Ref: "Vpc" } }, QueueUrl: { Value: { Ref: "JobsQueue" } } },
  };
}

/** The nested stack: a topic and a queue for observability events. */
const observabilityTemplate = {
  Parameters: { Env: { Type: "String" } },
  Resources: {
    EventsTopic: { Type: "AWS::SNS::Topic" },
    EventsQueue: { Type: "AWS::SQS::Queue" },
  },
};

/** A team's service: a topic, a queue and a log group; updated stacks gain a table. */
function serviceTemplate(withTable: boolean) {
  return {
    Parameters: { Env: { Type: "String", Default: "dev" } },
    Resources: {
      Events: { Type: "AWS::SNS::Topic" },
      Work: { Type: "AWS::SQS::Queue" },
      Logs: { Type: "AWS::Logs::LogGroup", Properties: { RetentionInDays: 14 } },
      ...(withTable
        ? {
            State: {
              Type: "AWS::DynamoDB::Table",
              Properties: {
                AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
                KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
                BillingMode: "PAY_PER_REQUEST",
              },
            },
          }
        : {}),
    },
  };
}

/**
 * Per region: (first region only) the platform stack and its nested stack; service stacks named
 * `<team>-<env>-service-<n>`, every third one updated (UPDATE_COMPLETE); one stack in REVIEW_IN_PROGRESS;
 * and one more stack made and deleted (DELETE_COMPLETE, which DescribeStacks does not list).
 */
export async function seedCloudformation(target: AwsTarget, plan: CloudformationSeedPlan, progress: Progress = () => {}): Promise<SeededCloudformation> {
  const seeded = { stacks: {}, review: {}, deleted: {} } as SeededCloudformation;
  for (const [regionIndex, region] of plan.regions.entries()) {
    const cloudformation = new CloudFormationClient(clientConfig(target, region));
    const listed: SeededStack[] = [];
    const create = async (stackName: string, template: unknown, env: string, team: string): Promise<SeededStack> => {
      const out = await cloudformation.send(
        new CreateStackCommand({
          StackName: stackName,
          TemplateBody: JSON.stringify(template),
          Parameters: [{ ParameterKey: "Env", ParameterValue: env }],
          Capabilities: ["CAPABILITY_IAM"],
          Tags: [
            { Key: "team", Value: team },
            { Key: "env", Value: env },
          ],
        }),
      );
      return { stackName, stackId: out.StackId! };
    };

    if (regionIndex === 0) {
      const s3 = new S3Client({ ...clientConfig(target, region), forcePathStyle: true });
      const bucket = `awsgql-cfn-templates-${region}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: region === "us-east-1" ? undefined : { LocationConstraint: region as BucketLocationConstraint } }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "observability.json", Body: JSON.stringify(observabilityTemplate) }));
      s3.destroy();
      const platform = await create("platform-core", platformTemplate(region, `https://s3.amazonaws.com/${bucket}/observability.json`), "prod", "platform");
      listed.push(platform);
      // the nested stack, as its parent's resource names it
      const nestedPhysical = (await cloudformation.send(new ListStackResourcesCommand({ StackName: platform.stackName }))).StackResourceSummaries!.find(
        (r) => r.ResourceType === "AWS::CloudFormation::Stack",
      )!.PhysicalResourceId!;
      const nested = (await cloudformation.send(new DescribeStacksCommand({ StackName: nestedPhysical }))).Stacks![0]!;
      seeded.nested = { stackName: nested.StackName!, stackId: nested.StackId! };
      listed.push(seeded.nested);
      seeded.platform = { ...platform, region };
    }

    const review = `release-candidate-${region}`;
    const wanted = typeof plan.stacksPerRegion === "number" ? plan.stacksPerRegion : (plan.stacksPerRegion[region] ?? 0);
    const services = Math.max(0, wanted - listed.length - 1);
    for (let n = 0; n < services; n += 1) {
      const team = teams[n % teams.length]!;
      const env = envs[Math.floor(n / teams.length) % envs.length]!;
      const stack = await create(`${team}-${env}-service-${String(n).padStart(2, "0")}`, serviceTemplate(false), env, team);
      if (n % 3 === 2) {
        await cloudformation.send(
          new UpdateStackCommand({ StackName: stack.stackName, TemplateBody: JSON.stringify(serviceTemplate(true)), Parameters: [{ ParameterKey: "Env", UsePreviousValue: true }] }),
        );
      }
      listed.push(stack);
      if (n === Math.floor(services / 2)) {
        // one made and deleted midway: it leaves a gap in DescribeStacks, and answers only by stack id
        const gone = await create(`retired-${team}-service`, serviceTemplate(false), env, team);
        await cloudformation.send(new DeleteStackCommand({ StackName: gone.stackName }));
        seeded.deleted[region] = gone;
      }
    }
    const changeSet = await cloudformation.send(
      new CreateChangeSetCommand({ StackName: review, ChangeSetName: "initial", ChangeSetType: "CREATE", TemplateBody: JSON.stringify(serviceTemplate(true)) }),
    );
    seeded.review[region] = { stackName: review, stackId: changeSet.StackId! };
    listed.push(seeded.review[region]!);
    if (!seeded.deleted[region]) {
      const gone = await create(`retired-service-${region}`, serviceTemplate(false), "dev", "data");
      await cloudformation.send(new DeleteStackCommand({ StackName: gone.stackName }));
      seeded.deleted[region] = gone;
    }
    seeded.stacks[region] = listed;
    progress(`CloudFormation ${region}: ${listed.length} stacks`);
    cloudformation.destroy();
  }
  return seeded;
}
