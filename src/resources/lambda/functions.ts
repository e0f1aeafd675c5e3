// Lambda functions: ListFunctions (Marker -> NextMarker, MaxItems 1..50), GetFunction per name for
// what the listing leaves out.
// Environment variable values are secrets: src/aws/secrets.ts takes them out of every answer.
import { afterType } from "../../graphql/kit/arns.js";
import { namedCommand } from "../../aws/service-modules.js";
import { tokens } from "../../aws/list-operation.js";
import { arnName, links, resource } from "../../graphql/kit/resource.js";
import { Ec2SecurityGroup, Ec2Subnet, Ec2Vpc } from "../ec2/index.js";
import { IamRole } from "../iam/roles.js";

export const LambdaFunction = resource({
  name: "LambdaFunction",
  scope: "regional",
  list: {
    service: "lambda",
    command: (input) => namedCommand("lambda", "ListFunctionsCommand", input),
    tokens: tokens.field("Marker", "NextMarker"),
    pageSize: { member: "MaxItems", min: 1, max: 50 },
    items: (out) => out.Functions,
  },
  query: { list: "lambdaFunctions", single: "lambdaFunction" },
  id: { field: "functionName", pattern: /^[a-zA-Z0-9-_]{1,64}$/ },
  fields: (f) => ({
    functionName: f.requiredString((fn) => fn.FunctionName ?? ""),
    functionArn: f.string((fn) => fn.FunctionArn),
    runtime: f.string((fn) => fn.Runtime),
    handler: f.string((fn) => fn.Handler),
    memorySize: f.int((fn) => fn.MemorySize, "MB"),
    timeout: f.int((fn) => fn.Timeout, "seconds"),
    codeSize: f.float((fn) => fn.CodeSize, "bytes"),
    lastModified: f.string((fn) => fn.LastModified),
    packageType: f.string((fn) => fn.PackageType),
    architectures: f.strings((fn) => fn.Architectures),
    environmentVariableNames: f.strings((fn) => Object.keys(fn.Environment?.Variables ?? {}), "the names of its environment variables; their values are never served"),
    roleArn: f.string((fn) => fn.Role),
    vpcId: f.string((fn) => fn.VpcConfig?.VpcId || undefined),
    subnetIds: f.strings((fn) => fn.VpcConfig?.SubnetIds),
    securityGroupIds: f.strings((fn) => fn.VpcConfig?.SecurityGroupIds),
  }),
  // ListFunctions leaves the state out (moto includes it): GetFunction tells it, one call a function.
  detail: {
    idsPerCall: 1,
    describe: async ([name], send) => {
      const configuration = (await send(namedCommand("lambda", "GetFunctionCommand", { FunctionName: name }))).Configuration;
      return configuration && [configuration];
    },
    id: (fn) => fn.FunctionName,
    item: (fn) => fn,
    fields: (f) => ({
      state: f.string((fn) => fn.State, "Pending, Active, Inactive or Failed (from GetFunction)"),
      lastUpdateStatus: f.string((fn) => fn.LastUpdateStatus, "Successful, Failed or InProgress (from GetFunction)"),
    }),
  },
  arn: { type: "lambda:function", id: (a) => afterType(a).split(":")[0], of: { field: "functionArn" } },
});

links(LambdaFunction, (l) => ({
  role: l.one(() => IamRole, (fn) => arnName(fn.roleArn ?? undefined), "the execution role"),
  vpc: l.one(() => Ec2Vpc, (fn) => fn.vpcId ?? undefined),
  subnets: l.many(() => Ec2Subnet, (fn) => fn.subnetIds),
  securityGroups: l.many(() => Ec2SecurityGroup, (fn) => fn.securityGroupIds),
}));
