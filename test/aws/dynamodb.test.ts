// DynamoDB as AWS runs it, where moto does not: ListTables refuses a Limit above 100 (moto takes
// any), lists names in order and treats the start key as a position, so a walk resumes after a
// table deleted since (moto ends silently there); DescribeTable leaves BillingModeSummary out for
// provisioned tables made before billing modes existed.
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, type ListTablesCommandInput } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { awsError, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

let names: string[] = [];
const TABLES = `query($first: Int, $after: String) { dynamodbTables(first: $first, after: $after) { edges { cursor node { tableName } } pageInfo { hasNextPage endCursor } } }`;

const ddb = mockClient(DynamoDBClient);
const gateway = useMockedGateway([ddb], () => {
  names = Array.from({ length: 250 }, (_, i) => `table-${String(i).padStart(3, "0")}`);
  ddb.on(ListTablesCommand).callsFake((input: ListTablesCommandInput) => {
    const limit = input.Limit ?? 100;
    if (limit < 1 || limit > 100) throw awsError("ValidationException");
    const after = input.ExclusiveStartTableName;
    const rest = after === undefined ? names : names.filter((name) => name > after);
    const TableNames = rest.slice(0, limit);
    return { TableNames, LastEvaluatedTableName: rest.length > limit ? TableNames.at(-1) : undefined };
  });
});

describe("DynamoDB as AWS lists it (Limit ≤ 100, positional start keys)", () => {
  it("walks every table once whatever the page size, never asking for more than 100 names", async () => {
    for (const first of [1, 45, 100, 150]) {
      ddb.resetHistory();
      const walk = await walkConnection(gateway, TABLES, ["dynamodbTables"], { firsts: [first], resumeAt: (count) => Math.floor(count / 2) });
      expect(walk.nodes.map((t: any) => t.tableName), `first: ${first}`).toEqual(names);
      expect(ddb.commandCalls(ListTablesCommand).every((c) => c.args[0].input.Limit! <= 100)).toBe(true);
      expect(ddb.commandCalls(DescribeTableCommand)).toHaveLength(0);
    }
  });

  it("resumes after a table deleted since its page was read", async () => {
    const first = await gateway.query(TABLES, { first: 10 });
    const endCursor = first.data!.dynamodbTables.pageInfo.endCursor;
    names = names.filter((name) => name !== "table-009" && name !== "table-010");
    const resumed = await gateway.query(TABLES, { first: 3, after: endCursor });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data!.dynamodbTables.edges.map((e: any) => e.node.tableName)).toEqual(["table-011", "table-012", "table-013"]);
  });

  it("says PROVISIONED for a table whose description has no BillingModeSummary", async () => {
    ddb.on(DescribeTableCommand).resolves({ Table: { TableName: "table-000", TableStatus: "ACTIVE", ItemCount: 3_000_000_000, CreationDateTime: new Date(0) } });
    const answer = await gateway.query(`{ dynamodbTable(tableName: "table-000") { tableName tableStatus billingMode itemCount creationDateTime } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.dynamodbTable).toEqual({ tableName: "table-000", tableStatus: "ACTIVE", billingMode: "PROVISIONED", itemCount: 3_000_000_000, creationDateTime: "1970-01-01T00:00:00.000Z" });
  });
});
