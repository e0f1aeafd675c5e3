// DynamoDB tables: ListTables (ExclusiveStartTableName -> LastEvaluatedTableName, Limit 1..100)
// lists bare names; DescribeTable, one table a call (DynamoDB has no batch describe), only when a
// selected field needs it. A single table is looked up by its DescribeTable alone.
import type { TableDescription } from "@aws-sdk/client-dynamodb";
import { afterType } from "../../graphql/kit/arns.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { resource } from "../../graphql/kit/resource.js";

/** A table name: 3..255 letters, digits, `_`, `-` or `.` (AWS refuses anything else with a ValidationException). */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export const DynamodbTable = resource({
  name: "DynamodbTable",
  scope: "regional",
  list: {
    service: "dynamodb",
    command: (input) => namedCommand("dynamodb", "ListTablesCommand", input),
    // the start key is the last name seen, a plain string
    tokens: tokens.field("ExclusiveStartTableName", "LastEvaluatedTableName"),
    pageSize: { member: "Limit", min: 1, max: 100 },
    items: (out) => out.TableNames,
  },
  query: { list: "dynamodbTables", single: "dynamodbTable" },
  id: { field: "tableName", pattern: TABLE_NAME },
  fields: (f) => ({
    tableName: f.requiredString((name: string) => name),
  }),
  detail: {
    idsPerCall: 1,
    // ResourceNotFoundException (a missing table) is NOT_FOUND: null
    describe: async ([tableName], send): Promise<TableDescription[]> => {
      const table = (await send(namedCommand("dynamodb", "DescribeTableCommand", { TableName: tableName }))).Table;
      return table ? [table] : [];
    },
    id: (table) => table.TableName,
    item: (table) => table.TableName ?? "",
    fields: (f) => ({
      tableArn: f.string((t) => t.TableArn),
      tableStatus: f.string((t) => t.TableStatus, "CREATING, UPDATING, DELETING, ACTIVE, INACCESSIBLE_ENCRYPTION_CREDENTIALS, ARCHIVING or ARCHIVED"),
      itemCount: f.float((t) => t.ItemCount, "as DynamoDB last counted them (about every six hours; a Float: counts pass 2^31)"),
      tableSizeBytes: f.float((t) => t.TableSizeBytes, "bytes, as DynamoDB last measured them (about every six hours)"),
      // AWS leaves the summary out for provisioned tables made before billing modes existed
      billingMode: f.string((t) => t.BillingModeSummary?.BillingMode ?? "PROVISIONED", "PROVISIONED or PAY_PER_REQUEST"),
      creationDateTime: f.date((t) => t.CreationDateTime),
      tableClass: f.string((t) => t.TableClassSummary?.TableClass ?? "STANDARD", "STANDARD or STANDARD_INFREQUENT_ACCESS"),
      deletionProtectionEnabled: f.boolean((t) => t.DeletionProtectionEnabled),
      streamEnabled: f.boolean((t) => t.StreamSpecification?.StreamEnabled ?? false),
    }),
  },
  arn: { type: "dynamodb:table", id: afterType, of: { build: (t, accountId) => `arn:aws:dynamodb:${t.region ?? ""}:${accountId}:table/${t.tableName}` } },
});
