import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVolumesCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetGroupCommand, GetPolicyCommand, GetUserCommand, IAMClient, ListPoliciesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { HeadBucketCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
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
import { schema } from "../../src/graphql/schema.js";
import { expectSameAnswer } from "../support/answers.js";
import { startGateway, type TestGateway } from "../support/gateway.js";

const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode));

let gateway: TestGateway;
const cursors: string[] = [];
const ids: string[] = [];

beforeAll(async () => {
  const hex = (n: number) => n.toString(16).padStart(17, "0");
  ec2.onAnyCommand().resolves({});
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: Array.from({ length: 7 }, (_, i) => ({ InstanceId: `i-${hex(i)}`, State: { Name: "running" }, InstanceType: "t3.micro", VpcId: `vpc-${hex(1)}`, SubnetId: `subnet-${hex(1)}`, SecurityGroups: [{ GroupId: `sg-${hex(1)}` }], BlockDeviceMappings: [{ Ebs: { VolumeId: `vol-${hex(i)}` } }] })) }],
  });
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: `vpc-${hex(1)}`, CidrBlock: "10.0.0.0/16" }] });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: `subnet-${hex(1)}`, VpcId: `vpc-${hex(1)}` }] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: `sg-${hex(1)}`, GroupName: "web", IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }] });
  ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: `vol-${hex(1)}`, Size: 8, Attachments: [{ InstanceId: `i-${hex(1)}` }] }] });
  s3.onAnyCommand().resolves({});
  s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: "fuzz-bucket", CreationDate: new Date(0), BucketRegion: "us-east-1" }] });
  s3.on(HeadBucketCommand).resolves({ BucketRegion: "us-east-1" });
  s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: "a/b", Size: 3 }], CommonPrefixes: [{ Prefix: "a/" }], IsTruncated: false });
  iam.onAnyCommand().resolves({ IsTruncated: false });
  iam.on(ListUsersCommand).resolves({ Users: [{ UserName: "fuzz", UserId: "U", Arn: "arn:aws:iam::123456789012:user/fuzz", Path: "/", CreateDate: new Date(0) }], IsTruncated: false });
  iam.on(GetUserCommand).resolves({ User: { UserName: "fuzz", UserId: "U", Arn: "arn", Path: "/", CreateDate: new Date(0) } });
  iam.on(GetGroupCommand).resolves({ Group: { GroupName: "g", GroupId: "G", Arn: "arn", Path: "/", CreateDate: new Date(0) }, Users: [], IsTruncated: false });
  iam.on(ListPoliciesCommand).resolves({ Policies: [{ PolicyName: "p", Arn: "arn:aws:iam::123456789012:policy/p", DefaultVersionId: "v1" }], IsTruncated: false });
  iam.on(GetPolicyCommand).resolves({ Policy: { PolicyName: "p", Arn: "arn:aws:iam::123456789012:policy/p" } });
  gateway = await startGateway({});
});
afterAll(async () => {
  await gateway.close();
  ec2.restore();
  s3.restore();
  iam.restore();
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
    const health = await fetch(gateway.url.replace("/graphql", "/healthz"));
    expect(health.status).toBe(200);
  }, 240_000);
});
