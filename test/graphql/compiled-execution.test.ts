// The gateway executes a query compiled by graphql-jit from its second execution on. These queries go
// through the gateway twice (graphql-js, then compiled) and through graphql-js's own `execute` on the
// same schema and AWS answers: the three answers must be equal (cursors aside, which are random per
// page), errors and nulls included.
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  type DescribeSecurityGroupsCommandInput,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { execute, parse, type ExecutionArgs, type ExecutionResult } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountDirectory } from "../../src/aws/accounts.js";
import { AwsClients } from "../../src/aws/clients.js";
import { requestContext } from "../../src/context.js";
import { compiledExecution } from "../../src/graphql/compiled-execution.js";
import { schema } from "../../src/schema.js";
import { CursorMap } from "../../src/pagination/cursor-records.js";
import { HeldPages } from "../../src/pagination/held-pages.js";
import { MemoryCursorStore } from "../../src/store/memory.js";
import { expectSameAnswer } from "../support/answers.js";
import { startInProcessGateway, type InProcessGateway } from "../support/gateway.js";

const ec2 = mockClient(EC2Client);
const hex = (n: number) => n.toString(16).padStart(17, "0");

beforeAll(() => {
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: Array.from({ length: 12 }, (_, i) => ({
          InstanceId: `i-${hex(i)}`,
          State: { Name: i % 3 === 0 ? "stopped" : "running" },
          InstanceType: "t3.micro",
          VpcId: `vpc-${hex(i % 2)}`,
          Tags: i % 4 === 0 ? [] : [{ Key: "team", Value: `team-${i % 3}` }],
          SecurityGroups: [{ GroupId: `sg-${hex(i % 5)}` }],
          BlockDeviceMappings: [{ Ebs: { VolumeId: `vol-${hex(i)}` } }],
        })),
      },
    ],
  });
  // Looking up VPCs is denied: every `vpc` field fails, and must fail the same way in both.
  ec2.on(DescribeVpcsCommand).rejects(Object.assign(new Error("You are not authorized to perform this operation."), { name: "UnauthorizedOperation", $metadata: { httpStatusCode: 403 } }));
  // A fault of the gateway's own (not an AWS error): the client must only see it masked.
  ec2.on(DescribeVolumesCommand).rejects(new TypeError("volumes is not iterable"));
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input: DescribeSecurityGroupsCommandInput) => ({
    SecurityGroups: (input.Filters?.[0]?.Values ?? []).map((GroupId) => ({ GroupId, GroupName: `name of ${GroupId}` })),
  }));
});
afterAll(() => ec2.restore());

let gateway: InProcessGateway;
beforeAll(async () => {
  gateway = await startInProcessGateway({});
});
afterAll(async () => gateway.close());

/** The same query run by graphql-js's reference executor, with a context like the gateway's. */
async function referenceAnswer(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
  const clients = new AwsClients({ defaultRegion: gateway.config.AWS_REGION, endpoint: "http://127.0.0.1:9", maxAttempts: 1, requestTimeoutMs: 1000, connectTimeoutMs: 1000 });
  const store = new MemoryCursorStore({ maxEntries: 1000, maxBytes: 1 << 20 });
  const context = requestContext(
    {
      config: gateway.config,
      clients,
      accounts: new AccountDirectory([]),
      cursors: new CursorMap(store, { ttlMs: 60_000 }),
      heldPages: new HeldPages(store, { ttlMs: 60_000, maxBytes: 1 << 20 }),
    },
    { requestId: "reference", caller: "anonymous" },
  );
  return execute({ schema, document: parse(query), variableValues: variables, contextValue: context }) as Promise<ExecutionResult>;
}

/** Asks the gateway twice (graphql-js, then compiled): both answer as graphql-js's own `execute` does. */
async function expectAnsweredAsGraphqlJs(query: string, variables?: Record<string, unknown>) {
  const reference = await referenceAnswer(query, variables);
  const interpreted = await gateway.query(query, variables);
  const compiled = await gateway.query(query, variables);
  expectSameAnswer(interpreted, reference, `${query} (first run)`);
  expectSameAnswer(compiled, reference, `${query} (compiled)`);
  return compiled;
}

const INSTANCE_FIELDS = `
  fragment instanceFields on Ec2Instance {
    instanceId
    state @include(if: $withState)
    tags @skip(if: $withoutTags) { key value }
    ... on Ec2Instance { __typename instanceType }
  }`;

describe("compiled execution answers as graphql-js does", () => {
  it("with a fragment spread twice, @include and @skip from variables, aliases and pageInfo", async () => {
    const query = `query Inventory($withState: Boolean!, $withoutTags: Boolean = false, $few: Int = 3) {
      firstFew: ec2Instances(first: $few) { edges { cursor node { ...instanceFields } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
      all: ec2Instances(first: 50) { edges { node { ...instanceFields securityGroups { groupId groupName } } } pageInfo { hasNextPage } }
    } ${INSTANCE_FIELDS}`;
    for (const variables of [{ withState: true }, { withState: false, withoutTags: true }, { withState: true, few: 0 }]) {
      const served = await expectAnsweredAsGraphqlJs(query, variables);
      expect(served.errors).toBeUndefined();
    }
  });

  it("with a filter given as a variable, and a page resumed from a cursor", async () => {
    const first = await gateway.query(`{ ec2Instances(first: 4) { pageInfo { endCursor } } }`);
    const after = first.data!.ec2Instances.pageInfo.endCursor;
    const served = await gateway.query(`query($after: String) { ec2Instances(first: 4, after: $after) { edges { node { instanceId } } } }`, { after });
    expect(served.data!.ec2Instances.edges.map((e: any) => e.node.instanceId)).toEqual([4, 5, 6, 7].map((i) => `i-${hex(i)}`));
    await expectAnsweredAsGraphqlJs(`query($filter: Ec2InstanceFilter) { ec2Instances(first: 20, filter: $filter) { edges { node { instanceId state } } } }`, {
      filter: { states: ["running"], tags: [{ key: "team", values: ["team-1"] }] },
    });
  });

  it("when a nullable field fails inside each edge: the same nulls, the same errors with their paths and codes", async () => {
    const served = await expectAnsweredAsGraphqlJs(`{ ec2Instances(first: 5) { edges { node { instanceId vpc { vpcId } } } } }`);
    expect(served.errors?.length).toBeGreaterThan(0);
    expect(served.errors?.[0]?.extensions?.code).toBe("AWS_ACCESS_DENIED");
  });

  it("when the gateway itself fails: the fault masked as INTERNAL_SERVER_ERROR, in place", async () => {
    const served = await expectAnsweredAsGraphqlJs(`{ ec2Instances(first: 2) { edges { node { instanceId volumes { volumeId } } } } }`);
    console.log("SERVED", JSON.stringify(served));
    expect(served.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ["Unexpected error.", "INTERNAL_SERVER_ERROR"],
      ["Unexpected error.", "INTERNAL_SERVER_ERROR"],
    ]);
  });

  it("when a cursor is refused: data null and one CURSOR_INVALID error", async () => {
    const served = await expectAnsweredAsGraphqlJs(`{ ec2Instances(first: 5, after: "not a cursor") { edges { node { instanceId } } } }`);
    expect(served.data).toBeNull();
    expect(served.errors?.[0]?.extensions?.code).toBe("CURSOR_INVALID");
  });
});

describe("which documents are compiled", () => {
  const document = parse(`query Instances { ec2Instances(first: 1) { edges { cursor } } } query Users { iamUsers(first: 1) { edges { cursor } } }`);
  /** the execute function the plugin chose for one execution, or undefined when it left graphql-js's */
  function chosenExecute(plugin: ReturnType<typeof compiledExecution>, operationName: string) {
    let chosen: unknown;
    const args = { schema, document, operationName } as ExecutionArgs;
    (plugin.onExecute as (payload: unknown) => void)({ args, executeFn: execute, setExecuteFn: (fn: unknown) => (chosen = fn) });
    return chosen;
  }

  it("graphql-js runs a document the first time; its compiled form runs from the second on, one per operation", () => {
    const failures: unknown[] = [];
    const plugin = compiledExecution((errors) => failures.push(errors));
    expect(chosenExecute(plugin, "Instances")).toBeUndefined();
    const compiled = chosenExecute(plugin, "Instances");
    expect(compiled).toBeTypeOf("function");
    expect(chosenExecute(plugin, "Users")).toBeTypeOf("function");
    expect(failures).toEqual([]);
  });

  it("a document graphql-jit cannot compile stays with graphql-js, and the failure is reported once", () => {
    const failures: unknown[] = [];
    const plugin = compiledExecution((errors) => failures.push(errors));
    for (let i = 0; i < 3; i += 1) expect(chosenExecute(plugin, "NoSuchOperation")).toBeUndefined();
    expect(failures).toHaveLength(1);
  });
});
