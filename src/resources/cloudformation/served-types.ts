// The CloudFormation resource types the gateway serves as nodes of its own: a stack resource's
// `node` is the target's node for its physical id (AWS's `Ref` value), looked up through the
// target's loader, so a page of resources makes one batch per target type. Dispatch is by resource
// type alone: physical ids of different types look alike (moto gives a VPCGatewayAttachment the
// VPC's id, a SubnetRouteTableAssociation the route table's), so a type not listed here is null.
import type { LinkTarget } from "../../graphql/kit/resource.js";
import { CloudwatchAlarm } from "../cloudwatch/alarms.js";
import {
  Ec2Instance,
  Ec2InternetGateway,
  Ec2KeyPair,
  Ec2LaunchTemplate,
  Ec2NatGateway,
  Ec2NetworkInterface,
  Ec2RouteTable,
  Ec2SecurityGroup,
  Ec2Subnet,
  Ec2Volume,
  Ec2Vpc,
} from "../ec2/index.js";
import { DynamodbTable } from "../dynamodb/tables.js";
import { EcrRepository } from "../ecr/repositories.js";
import { EcsCluster } from "../ecs/clusters.js";
import { EcsService } from "../ecs/services.js";
import { EksCluster } from "../eks/clusters.js";
import { EksNodegroup } from "../eks/nodegroups.js";
import { IamGroup } from "../iam/groups.js";
import { IamPolicy } from "../iam/policies.js";
import { IamRole } from "../iam/roles.js";
import { IamUser } from "../iam/users.js";
import { KmsKey } from "../kms/keys.js";
import { LambdaFunction } from "../lambda/functions.js";
import { RdsDbCluster } from "../rds/clusters.js";
import { RdsDbInstance } from "../rds/instances.js";
import { Route53HostedZone } from "../route53/hosted-zones.js";
import { S3Bucket } from "../s3/buckets.js";
import { SnsSubscription } from "../sns/subscriptions.js";
import { SnsTopic } from "../sns/topics.js";
import { SqsQueue } from "../sqs/queues.js";
import { CloudformationStack } from "./stacks.js";

export interface ServedType {
  /** the gateway's resource; a thunk, read when a `node` is resolved */
  target: () => LinkTarget<unknown>;
  /** the target's id for a physical id, when it is not the physical id itself */
  id?: (physicalId: string) => string | undefined;
}

const served = (target: () => LinkTarget<unknown>, id?: ServedType["id"]): ServedType => ({ target, id });

/** An ECS service's ARN in the long format, `arn:...:service/<cluster>/<service>`, as EcsService's id `<cluster>/<service>`. */
const ecsServiceId = (arn: string) => /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/([^/]+\/[^/]+)$/.exec(arn)?.[1];

/**
 * CloudFormation resource type -> the gateway's resource, for the types whose `Ref` (the physical
 * id ListStackResources gives) is the target's id, or is made into it by `id`. Left out on purpose:
 * AWS::EC2::EIP (its Ref is the public IP; Ec2Address is keyed by allocation id),
 * AWS::Route53::RecordSet (its Ref is the record's name, which does not tell one set from another),
 * AWS::EC2::VPCGatewayAttachment, Route, SubnetRouteTableAssociation, SecurityGroupIngress/Egress
 * (no node of their own), and every type of a service the gateway does not serve
 * (AWS::IAM::InstanceProfile, AWS::Logs::LogGroup, AWS::SSM::Parameter ...).
 */
export const SERVED_TYPES: Readonly<Record<string, ServedType>> = {
  "AWS::EC2::VPC": served(() => Ec2Vpc),
  "AWS::EC2::Subnet": served(() => Ec2Subnet),
  "AWS::EC2::SecurityGroup": served(() => Ec2SecurityGroup),
  "AWS::EC2::InternetGateway": served(() => Ec2InternetGateway),
  "AWS::EC2::RouteTable": served(() => Ec2RouteTable),
  "AWS::EC2::Instance": served(() => Ec2Instance),
  "AWS::EC2::Volume": served(() => Ec2Volume),
  "AWS::EC2::NatGateway": served(() => Ec2NatGateway),
  "AWS::EC2::NetworkInterface": served(() => Ec2NetworkInterface),
  "AWS::EC2::LaunchTemplate": served(() => Ec2LaunchTemplate),
  "AWS::EC2::KeyPair": served(() => Ec2KeyPair),
  "AWS::S3::Bucket": served(() => S3Bucket),
  "AWS::IAM::Role": served(() => IamRole),
  "AWS::IAM::User": served(() => IamUser),
  "AWS::IAM::Group": served(() => IamGroup),
  "AWS::IAM::ManagedPolicy": served(() => IamPolicy),
  "AWS::Lambda::Function": served(() => LambdaFunction),
  // Ref is the queue's URL; SqsQueue finds a queue only by the URL ListQueues lists (see sqs/queues.ts)
  "AWS::SQS::Queue": served(() => SqsQueue),
  "AWS::SNS::Topic": served(() => SnsTopic),
  "AWS::SNS::Subscription": served(() => SnsSubscription),
  "AWS::DynamoDB::Table": served(() => DynamodbTable),
  "AWS::KMS::Key": served(() => KmsKey),
  "AWS::ECS::Cluster": served(() => EcsCluster),
  // Ref is the service's ARN; only the long format (service/<cluster>/<service>) names its cluster
  "AWS::ECS::Service": served(() => EcsService, ecsServiceId),
  "AWS::ECR::Repository": served(() => EcrRepository),
  "AWS::EKS::Cluster": served(() => EksCluster),
  // Ref is "<cluster>/<nodegroup>", the node group's id here too
  "AWS::EKS::Nodegroup": served(() => EksNodegroup),
  "AWS::RDS::DBInstance": served(() => RdsDbInstance),
  "AWS::RDS::DBCluster": served(() => RdsDbCluster),
  "AWS::Route53::HostedZone": served(() => Route53HostedZone),
  "AWS::CloudWatch::Alarm": served(() => CloudwatchAlarm),
  // AWS's Ref is the nested stack's ARN, moto's its name: DescribeStacks takes either
  "AWS::CloudFormation::Stack": served(() => CloudformationStack),
};

/** The served type of a resource type, if the gateway serves it. */
export const servedType = (resourceType: string | null | undefined): ServedType | undefined =>
  resourceType && Object.hasOwn(SERVED_TYPES, resourceType) ? SERVED_TYPES[resourceType] : undefined;
