import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import fc from "fast-check";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors.js";
import { schema } from "../../src/schema.js";
import { expectSameAnswer } from "../support/answers.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode));

let moto: Moto;
let gateway: TestGateway;
const cursors: string[] = [];
const ids: string[] = [];

/** A small estate: a VPC with a subnet and an open group, seven instances in them, a volume, a bucket, a user in a group with a policy. */
async function seed(endpoint: string): Promise<void> {
  const ec2 = new EC2Client(motoClientConfig(endpoint));
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" }));
  const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: vpc.Vpc!.VpcId! }));
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: group.GroupId!, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }),
  );
  await ec2.send(
    new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 7, MaxCount: 7, InstanceType: "t3.micro", SubnetId: subnet.Subnet!.SubnetId!, SecurityGroupIds: [group.GroupId!] }),
  );
  await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 8 }));
  ec2.destroy();
  const s3 = new S3Client({ ...motoClientConfig(endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "fuzz-bucket" }));
  await s3.send(new PutObjectCommand({ Bucket: "fuzz-bucket", Key: "a/b", Body: "abc" }));
  s3.destroy();
  const iam = new IAMClient(motoClientConfig(endpoint));
  await iam.send(new CreateUserCommand({ UserName: "fuzz" }));
  await iam.send(new CreateGroupCommand({ GroupName: "g" }));
  await iam.send(new AddUserToGroupCommand({ GroupName: "g", UserName: "fuzz" }));
  const policy = await iam.send(
    new CreatePolicyCommand({ PolicyName: "p", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }) }),
  );
  await iam.send(new AttachUserPolicyCommand({ UserName: "fuzz", PolicyArn: policy.Policy!.Arn! }));
  iam.destroy();
}

beforeAll(async () => {
  moto = await startMoto();
  await seed(moto.endpoint);
  gateway = await startGateway(motoEnv(moto.endpoint));
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  await moto?.stop();
});

/** Mostly the values a client would send for an argument of this name, now and then anything. */
const plausible: Record<string, readonly string[]> = {
  region: ["us-east-1", "eu-west-1"],
  regions: ["us-east-1", "eu-west-1", "eu-*", "*"],
  accounts: ["default", "*"],
  account: ["default"],
  pathPrefix: ["/", "/engineering/"],
  prefix: ["", "a/", "logs/"],
  delimiter: ["/", "-"],
};

/** GraphQL literal text for a value of an input type. */
function inputValue(type: GraphQLInputType, depth: number, name = ""): fc.Arbitrary<string> {
  if (isNonNullType(type)) return inputValue(type.ofType, depth, name);
  const nullable = (arb: fc.Arbitrary<string>) => fc.oneof({ weight: 9, arbitrary: arb }, { weight: 1, arbitrary: fc.constant("null") });
  // A list's items are drawn as values of the list's argument (`regions: ["eu-*"]`).
  if (isListType(type)) return nullable(fc.array(inputValue(type.ofType, depth + 1, name), { maxLength: depth > 2 ? 1 : 4 }).map((items) => `[${items.join(", ")}]`));
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc
      .tuple(...fields.map((f) => fc.option(inputValue(f.type, depth + 1), { nil: undefined, freq: 2 })))
      .map((values) => `{ ${fields.flatMap((f, i) => (values[i] === undefined && !isNonNullType(f.type) ? [] : [`${f.name}: ${values[i] ?? '"x"'}`])).join(", ")} }`);
  }
  const strings = fc.oneof(
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom("us-east-1", "eu-west-1", "mars-1", "", "/", "/engineering/", "i-00000000000000001", "vpc-00000000000000001", "fuzz-bucket", "fuzz", "a/", "arn:aws:iam::123456789012:policy/p"),
    },
    { weight: name === "after" ? 12 : 1, arbitrary: fc.nat({ max: 1000 }).map((n) => cursors[n % Math.max(1, cursors.length)] ?? "none") },
    { weight: plausible[name] ? 24 : 0, arbitrary: fc.constantFrom(...(plausible[name] ?? [""])) },
  );
  switch ((type as GraphQLNamedType).name) {
    case "Int":
      return fc
        .oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 1200 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, 4, 5, 1000, 1001, -2147483648, 2147483647) })
        .map(String);
    case "Float":
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map(String);
    case "Boolean":
      return fc.boolean().map(String);
    case "ID":
      return fc.oneof(strings, fc.nat({ max: 1000 }).map((n) => ids[n % Math.max(1, ids.length)] ?? "none")).map((s) => JSON.stringify(s));
    default:
      return strings.map((s) => JSON.stringify(s));
  }
}

/** A selection set for an output type: some of its fields, their arguments, nested a few levels. */
function selection(type: GraphQLOutputType, depth: number): fc.Arbitrary<string> {
  const named = getNamedType(type);
  if (isScalarType(named) || isEnumType(named)) return fc.constant("");
  if (isUnionType(named)) {
    return fc
      .tuple(...named.getTypes().map((t) => selection(t, depth + 1)))
      .map((parts) => `{ __typename ${named.getTypes().map((t, i) => `... on ${t.name} ${parts[i]}`).join(" ")} }`);
  }
  if (!isObjectType(named) && !isInterfaceType(named)) return fc.constant("");
  const fields = Object.values(named.getFields()).filter((f) => depth < 4 || isScalarType(getNamedType(f.type)) || isEnumType(getNamedType(f.type)));
  if (fields.length === 0) return fc.constant("{ __typename }");
  return fc.subarray(fields, { minLength: 1, maxLength: Math.min(4, fields.length) }).chain((chosen) =>
    fc
      .tuple(
        ...chosen.map((field) =>
          fc.tuple(
            fc.tuple(...field.args.map((arg) => (isNonNullType(arg.type) ? inputValue(arg.type, 0, arg.name).map((v) => `${arg.name}: ${v}`) : fc.option(inputValue(arg.type, 0, arg.name).map((v) => `${arg.name}: ${v}`), { nil: undefined })))),
            selection(field.type, depth + 1),
          ),
        ),
      )
      .map((parts) => `{ ${isInterfaceType(named) ? "__typename " : ""}${chosen.map((field, i) => {
        const [args, sub] = parts[i]!;
        const present = args.filter(Boolean);
        return `${field.name}${present.length ? `(${present.join(", ")})` : ""} ${sub}`;
      }).join(" ")} }`),
  );
}

const queries = selection(schema.getQueryType()!, 0);

function harvest(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(harvest);
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if ((key === "cursor" || key === "endCursor") && typeof inner === "string") cursors.push(inner);
      else if (key === "id" && typeof inner === "string") ids.push(inner);
      else harvest(inner);
    }
  }
}

describe("fuzzing the schema", () => {
  it("answers thousands of generated queries with data or contract-coded errors, never a 500, the same when run compiled", async () => {
    const outcomes = new Map<string, number>();
    const tally = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 19, arbitrary: queries }, { weight: 1, arbitrary: fc.string({ maxLength: 60 }) }), async (query) => {
        const answer = await gateway.query(query);
        expect(answer.status, query).not.toBe(500);
        expect(answer.status, query).toBeLessThan(500);
        for (const error of answer.errors ?? []) {
          expect(CONTRACT_CODES.has(error.extensions?.code), `${query}\n${JSON.stringify(error)}`).toBe(true);
        }
        if (!answer.errors) expect(answer.data, query).toBeTruthy();
        // asked again, the query runs compiled by graphql-jit, and must answer the same
        const again = await gateway.query(query);
        expect(again.status, query).toBe(answer.status);
        expectSameAnswer(again, answer, query);
        tally(answer.errors ? String(answer.errors[0]!.extensions?.code) : "data");
        harvest(answer.data);
      }),
      { numRuns: 2500 },
    );
    // the generator reaches resolvers, not just the validator: plenty of answers carry data
    expect(outcomes.get("data") ?? 0, JSON.stringify([...outcomes])).toBeGreaterThan(250);
    expect([...outcomes.keys()], JSON.stringify([...outcomes])).toEqual(expect.arrayContaining(["BAD_USER_INPUT", "CURSOR_INVALID"]));
    const health = await fetch(`${gateway.base}/healthz`);
    expect(health.status).toBe(200);
  }, 240_000);
});
