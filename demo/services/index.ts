// The services beyond EC2, S3 and IAM, seeded for the demo: some of each, in the demo's regions.
import type { AwsTarget, Progress } from "../seed.js";
import { seedCloudformation } from "./cloudformation.js";
import { seedCloudwatch } from "./cloudwatch.js";
import { seedDynamodb } from "./dynamodb.js";
import { seedEcr } from "./ecr.js";
import { seedEcs } from "./ecs.js";
import { seedEks } from "./eks.js";
import { seedKms } from "./kms.js";
import { seedLambda } from "./lambda.js";
import { seedRds } from "./rds.js";
import { seedRoute53 } from "./route53.js";
import { seedSns } from "./sns.js";
import { seedSqs } from "./sqs.js";

export async function seedServices(target: AwsTarget, count: (n: number) => number, progress: Progress): Promise<void> {
  const regions = ["us-east-1", "eu-west-1"];
  await seedLambda(target, { functions: { "us-east-1": count(30), "eu-west-1": count(8) }, vpcEvery: 3 }, progress);
  await seedRds(target, { regions, instancesPerRegion: count(6), clustersPerRegion: 2, instancesPerCluster: 2 }, progress);
  await seedDynamodb(target, { regions, tablesPerRegion: count(40), itemsPerTable: 5 }, progress);
  await seedEcs(target, { clusters: count(8), servicesInBigCluster: count(12) }, progress);
  await seedEks(target, { clusters: count(4), nodegroupsInBigCluster: 3 }, progress);
  await seedEcr(target, { regions, repositories: count(8), imagesPerRepository: count(12) }, progress);
  await seedRoute53(target, { recordSets: Math.max(60, count(80)), publicZones: 3, privateZones: 2 }, progress);
  await seedCloudwatch(target, { regions, alarmsPerRegion: count(40) }, progress);
  await seedCloudformation(target, { regions, stacksPerRegion: Math.max(3, count(8)) }, progress);
  await seedKms(target, { regions, keys: count(12) }, progress);
  await seedSns(target, { regions, topics: Math.max(5, count(20)), topicsPerOtherRegion: count(5), bigTopicSubscriptions: count(12), fullPageSubscriptions: count(10) }, progress);
  await seedSqs(target, { queues: { "us-east-1": count(15), "eu-west-1": count(5) }, fifoQueues: { "us-east-1": 3 } }, progress);
}
