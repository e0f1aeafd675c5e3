// ARNs: `arn` on every type whose AWS resource has one, and `resource(arn:)` back to the node, for
// an instance, a bucket, a role and a Lambda function, in the account and region the ARN names.
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zipOf } from "../../demo/services/lambda.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { dataOf } from "../support/services.js";

const ACCOUNT = "123456789012";
let moto: Moto;
let gateway: TestGateway;
let instanceId: string;
let roleArn: string;
let functionArn: string;

beforeAll(async () => {
  moto = await startMoto();
  const ec2 = new EC2Client(motoClientConfig(moto.endpoint, "eu-west-1"));
  instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
  await new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: "arn-bucket" }));
  roleArn = (await new IAMClient(motoClientConfig(moto.endpoint)).send(new CreateRoleCommand({ RoleName: "arn-role", Path: "/team/", AssumeRolePolicyDocument: "{}" }))).Role!.Arn!;
  const lambda = new LambdaClient(motoClientConfig(moto.endpoint, "eu-west-1"));
  functionArn = (await lambda.send(new CreateFunctionCommand({ FunctionName: "arn-fn", Runtime: "nodejs20.x", Role: roleArn, Handler: "index.handler", Code: { ZipFile: zipOf("index.js", "exports.handler = async () => 1;") } }))).FunctionArn!;
  gateway = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await moto?.stop();
});

describe("ARNs", () => {
  it("gives every such type its ARN, built the documented way where AWS does not list it", async () => {
    const data = dataOf(
      await gateway.query(`{ ec2Instances(region: "eu-west-1", first: 1) { edges { node { instanceId arn } } }
        s3Bucket(name: "arn-bucket") { arn } iamRole(roleName: "arn-role") { arn }
        lambdaFunction(functionName: "arn-fn", region: "eu-west-1") { arn functionArn } }`),
    );
    expect(data.ec2Instances.edges[0].node).toEqual({ instanceId, arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/${instanceId}` });
    expect(data.s3Bucket.arn).toBe("arn:aws:s3:::arn-bucket");
    expect(data.iamRole.arn).toBe(roleArn);
    expect(data.lambdaFunction).toEqual({ arn: functionArn, functionArn });
  });

  it("resolves resource(arn:) to the gateway's node for an instance, a bucket, a role and a Lambda function", async () => {
    const query = `query($arn: String!) { resource(arn: $arn) { __typename id ... on Ec2Instance { instanceId region } ... on S3Bucket { name } ... on IamRole { roleName } ... on LambdaFunction { functionName region } } }`;
    const resolve = async (arn: string) => dataOf(await gateway.query(query, { arn })).resource;
    expect(await resolve(`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/${instanceId}`)).toMatchObject({ __typename: "Ec2Instance", instanceId, region: "eu-west-1" });
    expect(await resolve("arn:aws:s3:::arn-bucket")).toMatchObject({ __typename: "S3Bucket", name: "arn-bucket" });
    expect(await resolve(roleArn)).toMatchObject({ __typename: "IamRole", roleName: "arn-role" });
    expect(await resolve(functionArn)).toMatchObject({ __typename: "LambdaFunction", functionName: "arn-fn", region: "eu-west-1" });
    // the same node as its own field gives
    const byField = dataOf(await gateway.query(`{ lambdaFunction(functionName: "arn-fn", region: "eu-west-1") { id } }`)).lambdaFunction.id;
    expect((await resolve(functionArn)).id).toBe(byField);
  });

  it("answers null for a resource that is gone, an account the gateway does not reach and a type it does not serve; BAD_USER_INPUT for what is not an ARN", async () => {
    const query = `query($arn: String!) { resource(arn: $arn) { id } }`;
    for (const arn of [
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`,
      `arn:aws:ec2:eu-west-1:999999999999:instance/${instanceId}`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/arn-fn`,
    ]) {
      const answer = await gateway.query(query, { arn });
      expect(answer.errors, arn).toBeUndefined();
      expect(answer.data, arn).toEqual({ resource: null });
    }
    const bad = await gateway.query(query, { arn: "not-an-arn" });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "arn" });
  });
});
