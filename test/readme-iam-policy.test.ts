// README's "For a platform team" section, held to the code: its read-only IAM policy allows exactly
// the AWS commands the gateway sends under src/, reads only, and the gateway's own policy exactly
// what reading the organization and assuming the reader role take.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

const ROOT = new URL("../", import.meta.url).pathname;
const SECTION_HEADING = "## For a platform team: one gateway for the whole organization";
const READ_ONLY_SID = "AwsgqlReadOnly";
const ORGANIZATION_SID = "AwsgqlOrganization";
const ASSUME_READER_SID = "AwsgqlAssumeReader";

/** The service each SDK client package is, as `namedCommand` names it. */
const SERVICE_OF_PACKAGE: Record<string, string> = {
  "@aws-sdk/client-ec2": "ec2",
  "@aws-sdk/client-s3": "s3",
  "@aws-sdk/client-iam": "iam",
  "@aws-sdk/client-sts": "sts",
  "@aws-sdk/client-lambda": "lambda",
  "@aws-sdk/client-rds": "rds",
  "@aws-sdk/client-dynamodb": "dynamodb",
  "@aws-sdk/client-ecs": "ecs",
  "@aws-sdk/client-eks": "eks",
  "@aws-sdk/client-ecr": "ecr",
  "@aws-sdk/client-route-53": "route53",
  "@aws-sdk/client-cloudwatch": "cloudwatch",
  "@aws-sdk/client-cloudformation": "cloudformation",
  "@aws-sdk/client-kms": "kms",
  "@aws-sdk/client-sns": "sns",
  "@aws-sdk/client-sqs": "sqs",
  "@aws-sdk/client-resource-groups-tagging-api": "tagging",
  "@aws-sdk/client-organizations": "organizations",
};

/** The IAM action prefix of each service. */
const IAM_PREFIX: Record<string, string> = {
  ec2: "ec2", s3: "s3", iam: "iam", sts: "sts", lambda: "lambda", rds: "rds", dynamodb: "dynamodb", ecs: "ecs", eks: "eks",
  ecr: "ecr", route53: "route53", cloudwatch: "cloudwatch", cloudformation: "cloudformation", kms: "kms", sns: "sns", sqs: "sqs",
  tagging: "tag", organizations: "organizations",
};

/** Operations whose IAM action is not `prefix:Operation`; an empty list needs no permission. */
const ACTIONS_OF_OPERATION: Record<string, string[]> = {
  "s3:ListBuckets": ["s3:ListAllMyBuckets"],
  "s3:ListObjectsV2": ["s3:ListBucket"],
  "s3:HeadBucket": ["s3:ListBucket"],
  "s3:HeadObject": ["s3:GetObject"],
  "sts:GetCallerIdentity": [],
};

/** What the contract says the organization's tree is read with. */
const ORGANIZATION_READS = ["organizations:ListAccounts", "organizations:ListRoots", "organizations:ListOrganizationalUnitsForParent", "organizations:ListAccountsForParent"];

const READ_ACTION = /^[a-z0-9-]+:(Describe|List|Get|BatchGet)[A-Za-z0-9]*$/;

interface SentCommand {
  service: string;
  operation: string;
  file: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

/**
 * Every command the gateway sends, read from src/: `new X(...)` of a class imported from an
 * `@aws-sdk/client-*` package, and `namedCommand("service", "XCommand", ...)`. Also what it does
 * not send as a command of its own: AssumeRole, through `fromTemporaryCredentials`.
 */
function commandsSent(): { commands: SentCommand[]; assumesRoles: boolean; problems: string[] } {
  const commands: SentCommand[] = [];
  const problems: string[] = [];
  let assumesRoles = false;
  for (const path of sourceFiles(join(ROOT, "src"))) {
    const file = path.slice(ROOT.length);
    const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
    const imported = new Map<string, { service: string | undefined; module: string; name: string }>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const module = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      if (!module.startsWith("@aws-sdk/client-") || statement.importClause?.isTypeOnly || !bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) {
        if (!element.isTypeOnly) imported.set(element.name.text, { service: SERVICE_OF_PACKAGE[module], module, name: (element.propertyName ?? element.name).text });
      }
    }
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text.endsWith("Command")) {
        const from = imported.get(node.expression.text);
        if (!from) problems.push(`${file}: new ${node.expression.text}(...) of a class not imported from an @aws-sdk/client-* package`);
        else if (!from.service) problems.push(`${file}: ${from.module} is not in this test's SERVICE_OF_PACKAGE`);
        else commands.push({ service: from.service, operation: from.name.replace(/Command$/, ""), file });
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "namedCommand") {
        const [service, className] = node.arguments;
        if (service && className && ts.isStringLiteral(service) && ts.isStringLiteral(className)) {
          commands.push({ service: service.text, operation: className.text.replace(/Command$/, ""), file });
        } else {
          problems.push(`${file}: namedCommand(...) whose service and class are not string literals`);
        }
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "fromTemporaryCredentials") assumesRoles = true;
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { commands, assumesRoles, problems };
}

function actionsOf(command: SentCommand): string[] {
  const exception = ACTIONS_OF_OPERATION[`${command.service}:${command.operation}`];
  if (exception) return exception;
  const prefix = IAM_PREFIX[command.service];
  if (!prefix) throw new Error(`${command.file}: no IAM prefix for service "${command.service}": add it to IAM_PREFIX`);
  return [`${prefix}:${command.operation}`];
}

function readmeSection(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`\n${SECTION_HEADING}\n`);
  if (start < 0) throw new Error(`README.md has no "${SECTION_HEADING}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The section's JSON code blocks that parse. */
function jsonBlocks(section: string): unknown[] {
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].flatMap(([, text]) => {
    try {
      return [JSON.parse(text!) as unknown];
    } catch {
      return [];
    }
  });
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  [member: string]: unknown;
}
interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

function policyWithSid(section: string, sid: string): PolicyDocument {
  const found = jsonBlocks(section).filter(
    (block): block is PolicyDocument => Array.isArray((block as PolicyDocument)?.Statement) && (block as PolicyDocument).Statement.some((s) => s.Sid === sid),
  );
  if (found.length !== 1) throw new Error(`README's section should have one JSON policy with a statement "Sid": "${sid}"; it has ${found.length}`);
  return found[0]!;
}

const list = (value: string | string[] | undefined) => (value === undefined ? [] : typeof value === "string" ? [value] : value);
const actionsGranted = (policy: PolicyDocument) => new Set(policy.Statement.flatMap((s) => list(s.Action)));
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Why a statement is not a plain grant of named actions: a NotAction allows everything else, a wildcard any verb. */
function grantProblems(statement: Statement): string[] {
  const problems = Object.keys(statement)
    .filter((member) => !["Sid", "Effect", "Action", "Resource"].includes(member))
    .map((member) => `${statement.Sid ?? "a statement"} has ${member}`);
  if (statement.Effect !== "Allow") problems.push(`${statement.Sid ?? "a statement"} is not "Effect": "Allow"`);
  if (list(statement.Action).length === 0) problems.push(`${statement.Sid ?? "a statement"} has no Action`);
  return problems;
}

const { commands, assumesRoles, problems } = commandsSent();
const section = readmeSection();

describe("README's IAM policies for an organization", () => {
  it("are checked against every command the gateway sends", () => {
    expect(problems).toEqual([]);
    const operations = commands.map((c) => `${c.service}:${c.operation}`);
    expect(operations).toEqual(expect.arrayContaining(["ec2:DescribeInstances", "s3:ListObjectsV2", "iam:ListUsers", "lambda:ListFunctions", "tagging:GetResources"]));
    expect(assumesRoles).toBe(true);
  });

  it("tells the read verbs from the write ones", () => {
    for (const read of ["ec2:DescribeInstances", "s3:ListBucket", "tag:GetResources", "dynamodb:BatchGetItem"]) expect(read).toMatch(READ_ACTION);
    for (const write of ["ec2:RunInstances", "s3:PutObject", "iam:CreateUser", "s3:*", "ec2:Describe*", "*", "sts:AssumeRole", "kms:Decrypt"]) expect(write).not.toMatch(READ_ACTION);
  });

  describe("the read-only policy of the role in each member account", () => {
    const policy = policyWithSid(section, READ_ONLY_SID);
    const needed = sorted(commands.filter((c) => c.service !== "organizations").flatMap(actionsOf));

    it("allows every command the gateway sends to a member account", () => {
      const granted = actionsGranted(policy);
      const missing = commands.filter((c) => c.service !== "organizations" && actionsOf(c).some((action) => !granted.has(action)));
      expect(missing.map((c) => `${c.service} ${c.operation} (${c.file}) needs ${actionsOf(c).join(", ")}`)).toEqual([]);
    });

    it("allows nothing the gateway does not call", () => {
      expect(sorted(actionsGranted(policy)).filter((action) => !needed.includes(action))).toEqual([]);
    });

    it("grants reads only, of named actions, on any resource", () => {
      expect(policy.Version).toBe("2012-10-17");
      expect(policy.Statement.flatMap(grantProblems)).toEqual([]);
      expect(sorted(actionsGranted(policy)).filter((action) => !READ_ACTION.test(action))).toEqual([]);
      expect(policy.Statement.map((s) => s.Resource)).toEqual(policy.Statement.map(() => "*"));
    });
  });

  describe("the policy of the gateway's own account", () => {
    const policy = policyWithSid(section, ORGANIZATION_SID);
    const role = /AWS_ORGANIZATION_ROLE=([\w+=,.@-]+)/.exec(section)?.[1];

    it("reads the organization's tree with the calls the gateway sends, and nothing else", () => {
      const organization = policy.Statement.find((s) => s.Sid === ORGANIZATION_SID)!;
      const sent = commands.filter((c) => c.service === "organizations").flatMap(actionsOf);
      expect(sorted(list(organization.Action))).toEqual(sorted([...ORGANIZATION_READS, ...sent]));
      expect(grantProblems(organization)).toEqual([]);
      expect(list(organization.Action).filter((action) => !READ_ACTION.test(action))).toEqual([]);
    });

    it("assumes the role AWS_ORGANIZATION_ROLE names, in any account, and no other", () => {
      expect(role, "the section names AWS_ORGANIZATION_ROLE=<role>").toBeDefined();
      expect(loadConfig({ AWS_ORGANIZATION_ROLE: role }).AWS_ORGANIZATION_ROLE).toEqual({ roleName: role, externalId: undefined });
      const assume = policy.Statement.find((s) => s.Sid === ASSUME_READER_SID);
      expect(assume, `a statement "Sid": "${ASSUME_READER_SID}"`).toBeDefined();
      expect(grantProblems(assume!)).toEqual([]);
      expect(assume!.Action).toBe("sts:AssumeRole");
      expect(assume!.Resource).toBe(`arn:aws:iam::*:role/${role}`);
      expect(policy.Statement.map((s) => s.Sid).sort()).toEqual([ASSUME_READER_SID, ORGANIZATION_SID]);
    });

    it("is the only policy that reads the organization or assumes roles", () => {
      const readOnly = actionsGranted(policyWithSid(section, READ_ONLY_SID));
      expect([...readOnly].filter((action) => action.startsWith("organizations:") || action.startsWith("sts:"))).toEqual([]);
    });
  });

  it("has a three-team policy file the gateway starts with", () => {
    const file = jsonBlocks(section).filter((block) => typeof block === "object" && block !== null && "groups" in block);
    expect(file).toHaveLength(1);
    const dir = mkdtempSync(join(tmpdir(), "awsgql-readme-policy-"));
    try {
      const path = join(dir, "policy.json");
      writeFileSync(path, JSON.stringify(file[0]));
      // as the section starts it: with the organization, whose OU the file names
      const groups = loadConfig({ GATEWAY_POLICY_FILE: path, AWS_ORGANIZATION_ROLE: "AwsgqlReader" }).GATEWAY_POLICY_FILE!.groups;
      expect(Object.keys(groups)).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
