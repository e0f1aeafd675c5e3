// Seeds DynamoDB in an AWS account (an emulator's): tables named as teams name them, on-demand and
// provisioned, some with a sort key, indexes, streams or the infrequent-access class, tags, and a
// few items in some. Tables are made one after another in name order, so the emulator lists them in
// the order AWS does (by name). Returns the table names it made, per region.
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { clientConfig, teams, envs, type AwsTarget, type Progress } from "../seed.js";

export interface DynamodbSeedPlan {
  regions: string[];
  /** tables per region (more than 100 shows a page of ListTables answering 100 names) */
  tablesPerRegion: number;
  /** at most this many items in every fifth table (the f-th of them gets 7f mod (itemsPerTable + 1)) */
  itemsPerTable: number;
}

/** region -> table names made, in name order */
export type DynamodbSeedResult = Record<string, string[]>;


const things = ["orders", "sessions", "users", "audit-log", "cart_items", "events", "Inventory.v2", "feature-flags"];

/** Distinct table names for `count` tables: env-team-thing, then numbered once those run out. */
export function tableNames(count: number): string[] {
  const names: string[] = [];
  for (let n = 0; names.length < count; n += 1) {
    const round = Math.floor(n / (envs.length * teams.length * things.length));
    const base = `${envs[n % envs.length]}-${teams[Math.floor(n / envs.length) % teams.length]}-${things[Math.floor(n / (envs.length * teams.length)) % things.length]}`;
    names.push(round === 0 ? base : `${base}-${round}`);
  }
  // DynamoDB lists tables by name (UTF-8 bytes); made in that order, moto (which lists in creation order) agrees
  return names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function tableInput(name: string, n: number): CreateTableCommandInput {
  const onDemand = n % 3 !== 0;
  const sortKey = n % 2 === 0;
  const withIndex = n % 4 === 1;
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      ...(sortKey ? [{ AttributeName: "sk", AttributeType: "S" as const }] : []),
      ...(withIndex ? [{ AttributeName: "gsi1pk", AttributeType: "S" as const }] : []),
    ],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, ...(sortKey ? [{ AttributeName: "sk", KeyType: "RANGE" as const }] : [])],
    ...(onDemand ? { BillingMode: "PAY_PER_REQUEST" as const } : { BillingMode: "PROVISIONED" as const, ProvisionedThroughput: { ReadCapacityUnits: 5 * (1 + (n % 4)), WriteCapacityUnits: 5 } }),
    ...(withIndex
      ? {
          GlobalSecondaryIndexes: [
            {
              IndexName: "gsi1",
              KeySchema: [{ AttributeName: "gsi1pk", KeyType: "HASH" }],
              Projection: { ProjectionType: "ALL" },
              ...(onDemand ? {} : { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
            },
          ],
        }
      : {}),
    ...(n % 5 === 2 ? { StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" as const } } : {}),
    ...(n % 7 === 3 ? { TableClass: "STANDARD_INFREQUENT_ACCESS" as const } : {}),
    ...(n % 6 === 0 ? { DeletionProtectionEnabled: true } : {}),
    Tags: [
      { Key: "team", Value: name.split("-")[1]! },
      { Key: "env", Value: name.split("-")[0]! },
    ],
  };
}

/** Tables in each region, made in name order, with a few items in every fifth one. */
export async function seedDynamodb(target: AwsTarget, plan: DynamodbSeedPlan, progress: Progress = () => {}): Promise<DynamodbSeedResult> {
  const result: DynamodbSeedResult = {};
  for (const region of plan.regions) {
    const ddb = new DynamoDBClient(clientConfig(target, region));
    const names = tableNames(plan.tablesPerRegion);
    for (const [n, name] of names.entries()) {
      await ddb.send(new CreateTableCommand(tableInput(name, n)));
    }
    const filled = names.filter((_, n) => n % 5 === 0);
    await Promise.all(
      filled.map(async (name, f) => {
        const n = names.indexOf(name);
        const count = (f * 7) % (plan.itemsPerTable + 1);
        for (let start = 0; start < count; start += 25) {
          const items = Array.from({ length: Math.min(25, count - start) }, (_, i) => ({
            PutRequest: {
              Item: {
                pk: { S: `item-${start + i}` },
                ...(n % 2 === 0 ? { sk: { S: `v${i % 3}` } } : {}),
                payload: { S: "x".repeat(20 + ((start + i) * 13) % 200) },
                count: { N: String(start + i) },
              },
            },
          }));
          await ddb.send(new BatchWriteItemCommand({ RequestItems: { [name]: items } }));
        }
      }),
    );
    result[region] = names;
    progress(`DynamoDB ${region}: ${names.length} tables, items in ${filled.length} of them`);
    ddb.destroy();
  }
  return result;
}
