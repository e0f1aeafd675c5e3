import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedEc2, seedIam, seedS3 } from "../../demo/seed.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { startMoto, type Moto } from "../support/moto.js";
import { roundRobin } from "../support/process.js";
import { requireSharedRedis, SHARED_REDIS_URL } from "../support/redis.js";
import { walkConnection } from "../support/walk.js";

let moto: Moto;
let replicas: TestGateway[] = [];

beforeAll(async () => {
  await requireSharedRedis();
  moto = await startMoto();
  const target = { endpoint: moto.endpoint };
  await seedEc2(target, { regions: ["us-east-1"], vpcsPerRegion: 2, subnetsPerVpc: 3, groupsPerVpc: 3, instancesPerRegion: 60, volumesPerRegion: 12 });
  await seedS3(target, { buckets: { "replica-big": "us-east-1", "replica-a": "eu-west-1", "replica-b": "us-east-1" }, bigBucket: "replica-big", bigBucketKeys: 400, keysPerBucket: 3 });
  await seedIam(target, { users: 60, roles: 25, groups: 5, policies: 6 });
  const env = { ...motoEnv(moto.endpoint), CURSOR_STORE: SHARED_REDIS_URL };
  replicas = await Promise.all([startGateway(env), startGateway(env)]);
}, 240_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await moto?.stop();
});

const page = "pageInfo { hasNextPage endCursor }";
const families: [string, string, string[], Record<string, unknown>?][] = [
  ["ec2Instances", `query($first: Int, $after: String) { ec2Instances(first: $first, after: $after) { edges { cursor node { instanceId } } ${page} } }`, ["ec2Instances"]],
  ["ec2Volumes", `query($first: Int, $after: String) { ec2Volumes(first: $first, after: $after) { edges { cursor node { volumeId } } ${page} } }`, ["ec2Volumes"]],
  ["ec2SecurityGroups", `query($first: Int, $after: String) { ec2SecurityGroups(first: $first, after: $after) { edges { cursor node { groupId } } ${page} } }`, ["ec2SecurityGroups"]],
  ["ec2Vpcs", `query($first: Int, $after: String) { ec2Vpcs(first: $first, after: $after) { edges { cursor node { vpcId } } ${page} } }`, ["ec2Vpcs"]],
  ["ec2Subnets", `query($first: Int, $after: String) { ec2Subnets(first: $first, after: $after) { edges { cursor node { subnetId } } ${page} } }`, ["ec2Subnets"]],
  ["s3Buckets", `query($first: Int, $after: String) { s3Buckets(first: $first, after: $after) { edges { cursor node { name } } ${page} } }`, ["s3Buckets"]],
  ["S3Bucket.objects", `query($first: Int, $after: String) { s3Bucket(name: "replica-big") { objects(first: $first, after: $after) { edges { cursor node { key } } ${page} } } }`, ["s3Bucket", "objects"]],
  ["S3Bucket.folder", `query($first: Int, $after: String) { s3Bucket(name: "replica-big") { folder(prefix: "logs/", first: $first, after: $after) { edges { cursor node { ... on S3Object { key } ... on S3CommonPrefix { prefix } } } ${page} } } }`, ["s3Bucket", "folder"]],
  ["iamUsers", `query($first: Int, $after: String) { iamUsers(first: $first, after: $after) { edges { cursor node { userName } } ${page} } }`, ["iamUsers"]],
  ["iamRoles", `query($first: Int, $after: String) { iamRoles(first: $first, after: $after) { edges { cursor node { roleName } } ${page} } }`, ["iamRoles"]],
  ["iamGroups", `query($first: Int, $after: String) { iamGroups(first: $first, after: $after) { edges { cursor node { groupName } } ${page} } }`, ["iamGroups"]],
  ["iamPolicies", `query($first: Int, $after: String) { iamPolicies(first: $first, after: $after) { edges { cursor node { arn } } ${page} } }`, ["iamPolicies"]],
  ["IamGroup.users", `query($first: Int, $after: String) { iamGroup(groupName: "payments-0") { users(first: $first, after: $after) { edges { cursor node { userName } } ${page} } } }`, ["iamGroup", "users"]],
];

describe("two gateway processes sharing one Redis cursor map", () => {
  for (const [family, query, path] of families) {
    it(`${family}: pages begun on one replica resume on the other, exactly`, async () => {
      const alone = await walkConnection(replicas[0]!, query, path, { firsts: [1000] });
      expect(alone.nodes.length, family).toBeGreaterThan(0);
      const alternating = await walkConnection(roundRobin(replicas), query, path, { firsts: [3, 2], resumeAt: (count, n) => (n % 3 === 2 ? 0 : count - 1) });
      expect(alternating.nodes).toEqual(alone.nodes);
    });
  }
});
