// Seeds Lambda functions (with their IAM roles and, for some, a VPC's subnets and security groups) into an AWS
// account (an emulator's): varied runtimes, package types, sizes, architectures, tags and environment variables,
// some of whose values are secrets the gateway must never serve.
import { randomUUID } from "node:crypto";
import { crc32 } from "node:zlib";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient, type Architecture, type CreateFunctionCommandInput, type Runtime } from "@aws-sdk/client-lambda";
import { clientConfig, teams, envs, type AwsTarget, type Progress } from "../seed.js";

export interface LambdaSeedPlan {
  /** functions per region, in the order given */
  functions: Record<string, number>;
  /** every `vpcEvery`-th function runs in the region's VPC (0: none) */
  vpcEvery?: number;
}

export interface LambdaRegionSeed {
  functionNames: string[];
  /** the VPC the seed made for the functions that run in one, its subnets and groups */
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
}

export interface LambdaSeed {
  regions: Record<string, LambdaRegionSeed>;
  /** the execution roles (IAM is global), by name */
  roles: { roleName: string; arn: string }[];
  /** environment variable values that are secrets: no answer of the gateway may contain them */
  secretValues: string[];
}


const purposes = ["api", "webhook", "resize-images", "nightly-report", "stream-consumer", "authorizer", "etl", "notifier"];

/** Runtimes as accounts have them, each with its handler and a file that looks like its code. */
const flavours: { runtime?: Runtime; handler?: string; file: string; source: string; image?: boolean }[] = [
  { runtime: "python3.12", handler: "app.handler", file: "app.py", source: "def handler(event, context):\n    return {'statusCode': 200}\n" },
  { runtime: "nodejs20.x", handler: "index.handler", file: "index.mjs", source: "export const handler = async () => ({ statusCode: 200 });\n" },
  { runtime: "nodejs22.x", handler: "dist/main.handler", file: "dist/main.js", source: "exports.handler = async (event) => { console.log(event); return 'ok'; };\n" },
  { runtime: "java21", handler: "com.example.Handler::handleRequest", file: "com/example/Handler.class", source: "\u00ca\u00fe\u00ba\u00be fake class bytes ".repeat(40) },
  { runtime: "provided.al2023", handler: "bootstrap", file: "bootstrap", source: "#!/bin/sh\nexec ./server\n".repeat(12) },
  { runtime: "ruby3.3", handler: "function.handler", file: "function.rb", source: "def handler(event:, context:)\n  { statusCode: 200 }\nend\n" },
  { runtime: "python3.11", handler: "lambda_function.lambda_handler", file: "lambda_function.py", source: "import json\n\ndef lambda_handler(event, context):\n    return json.dumps(event)\n".repeat(3) },
  { image: true, file: "", source: "" },
];
const memorySizes = [128, 256, 512, 1024, 1769, 3008];
const timeouts = [3, 10, 30, 60, 300, 900];

/** A .zip holding one stored (uncompressed) file: what CreateFunction takes as code. */
export function zipOf(name: string, contents: string): Uint8Array {
  const nameBytes = Buffer.from(name, "utf8");
  const data = Buffer.from(contents, "utf8");
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt32LE(0, 10); // time, date
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x031e, 4); // made by: Unix
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt32LE(0, 12);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE((0o100755 << 16) >>> 0, 38); // external attributes: an executable file
  central.writeUInt32LE(0, 42); // offset of the local header
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(local.length + nameBytes.length + data.length, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, data, central, nameBytes, end]));
}

const lambdaTrust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });

/**
 * Functions in each region of the plan, named `<team>-<purpose>-<env>-<nn>`, run by a few execution roles under
 * several IAM paths; every `vpcEvery`-th one in one or two subnets and groups of a VPC made for them.
 */
export async function seedLambda(target: AwsTarget, plan: LambdaSeedPlan, progress: Progress = () => {}): Promise<LambdaSeed> {
  const iam = new IAMClient(clientConfig(target, "us-east-1"));
  const roles: { roleName: string; arn: string }[] = [];
  for (const [r, path] of ["/service-role/", "/", "/lambda/payments/"].entries()) {
    const roleName = `lambda-exec-${teams[r]}`;
    const out = await iam.send(new CreateRoleCommand({ RoleName: roleName, Path: path, AssumeRolePolicyDocument: lambdaTrust, Description: `runs the ${teams[r]} functions` }));
    roles.push({ roleName, arn: out.Role!.Arn! });
  }
  iam.destroy();

  const secretValues: string[] = [];
  const regions: Record<string, LambdaRegionSeed> = {};
  const vpcEvery = plan.vpcEvery ?? 3;
  for (const [regionIndex, [region, count]] of Object.entries(plan.functions).entries()) {
    const ec2 = new EC2Client(clientConfig(target, region));
    const vpc = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: `10.${200 + regionIndex}.0.0/16`,
        TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "lambda-vpc" }] }],
      }),
    );
    const vpcId = vpc.Vpc!.VpcId!;
    const subnetIds: string[] = [];
    for (let s = 0; s < 3; s += 1) {
      const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${200 + regionIndex}.${s}.0/24`, AvailabilityZone: `${region}${"abc"[s]}` }));
      subnetIds.push(subnet.Subnet!.SubnetId!);
    }
    const securityGroupIds: string[] = [];
    for (const name of ["lambda-egress", "lambda-db-access"]) {
      const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} for functions`, VpcId: vpcId }));
      securityGroupIds.push(group.GroupId!);
    }
    ec2.destroy();

    const lambda = new LambdaClient(clientConfig(target, region));
    const functionNames: string[] = [];
    for (let n = 0; n < count; n += 1) {
      const team = teams[n % teams.length]!;
      const env = envs[Math.floor(n / teams.length) % envs.length]!;
      const flavour = flavours[n % flavours.length]!;
      const functionName = `${team}-${purposes[n % purposes.length]}-${env}-${String(n).padStart(2, "0")}`;
      const variables: Record<string, string> = {};
      if (n % 4 !== 3) {
        variables.STAGE = env;
        variables.LOG_LEVEL = n % 2 ? "info" : "debug";
        if (n % 2 === 0) {
          const password = `s3cr3t-${randomUUID()}`;
          variables.DB_HOST = `${team}-db.${env}.internal`;
          variables.DB_PASSWORD = password;
          secretValues.push(password);
        }
        if (n % 3 === 0) {
          const token = `tok_${randomUUID().replaceAll("-", "")}`;
          variables.API_TOKEN = token;
          secretValues.push(token);
        }
      }
      const input: CreateFunctionCommandInput = {
        FunctionName: functionName,
        Role: roles[n % roles.length]!.arn,
        Description: `${purposes[n % purposes.length]} for ${team} (${env})`,
        MemorySize: memorySizes[n % memorySizes.length],
        Timeout: timeouts[(n * 5) % timeouts.length],
        Architectures: [(n % 3 === 1 ? "arm64" : "x86_64") as Architecture],
        Environment: Object.keys(variables).length ? { Variables: variables } : undefined,
        Tags: { team, env, ...(n % 5 === 0 ? { "cost-center": `cc-${100 + n}` } : {}) },
        ...(flavour.image
          ? { PackageType: "Image", Code: { ImageUri: `123456789012.dkr.ecr.${region}.amazonaws.com/${team}-worker:v${1 + (n % 4)}` } }
          : {
              PackageType: "Zip",
              Runtime: flavour.runtime,
              Handler: flavour.handler,
              Code: { ZipFile: zipOf(flavour.file, `${flavour.source}# ${functionName}\n${"#".repeat(n * 13)}`) },
            }),
      };
      if (vpcEvery > 0 && n % vpcEvery === 0) {
        const subnets = n % 2 ? subnetIds.slice(0, 1) : subnetIds.slice(1);
        input.VpcConfig = { SubnetIds: subnets, SecurityGroupIds: securityGroupIds.slice(0, 1 + ((n / vpcEvery) % 2)) };
      } else if (n % 10 === 7) {
        // a function taken out of its VPC: AWS keeps an empty VpcConfig
        input.VpcConfig = { SubnetIds: [], SecurityGroupIds: [] };
      }
      await lambda.send(new CreateFunctionCommand(input));
      functionNames.push(functionName);
    }
    lambda.destroy();
    regions[region] = { functionNames, vpcId, subnetIds, securityGroupIds };
    progress(`Lambda ${region}: ${count} functions, ${roles.length} execution roles`);
  }
  return { regions, roles, secretValues };
}
