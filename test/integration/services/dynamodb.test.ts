// DynamoDB ("More services (added)") against moto_server: dynamodbTables walked both ways with random
// page sizes and resume points over ListTables' start keys, counted, looked up one by one; ListTables
// alone for names, one DescribeTable per table only when a selected field needs it.
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, paginateListTables, type TableDescription } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDynamodb } from "../../../demo/services/dynamodb.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, awsCallsBesidesSts, awsOperations, checkRandomWalks, dataOf, regionalClients } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

/** more than 100 tables in the first region, so one ListTables page (Limit 100, AWS's most) is not all of them */
const TABLES = { "us-east-1": 130, "eu-west-1": 12 } as const;
const REGIONS = Object.keys(TABLES) as (keyof typeof TABLES)[];
/** moto's account */
const ACCOUNT_ID = "123456789012";

let moto: Moto;
let gateway: TestGateway;
let seeded: Record<string, string[]> = {};
const ddb = regionalClients((region) => new DynamoDBClient(motoClientConfig(moto.endpoint, region)));

beforeAll(async () => {
  moto = await startMoto();
  for (const region of REGIONS) seeded = { ...seeded, ...(await seedDynamodb({ endpoint: moto.endpoint }, { regions: [region], tablesPerRegion: TABLES[region], itemsPerTable: 20 })) };
  gateway = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  ddb.destroy();
  await moto?.stop();
});

/** ListTables, page after page at AWS's largest page, as the SDK's paginator walks it. */
const sdkTables = (region: string): Promise<string[]> => all(paginateListTables({ client: ddb(region), pageSize: 100 }, {}), (page) => page.TableNames);

const FIELDS = "tableName tableArn tableStatus itemCount tableSizeBytes billingMode creationDateTime";

/** The contract's fields as DescribeTable says them (a table made before billing modes existed has no summary: provisioned). */
const tableFields = (t: TableDescription) => ({
  tableName: t.TableName,
  tableArn: t.TableArn,
  tableStatus: t.TableStatus,
  itemCount: t.ItemCount,
  tableSizeBytes: t.TableSizeBytes,
  billingMode: t.BillingModeSummary?.BillingMode ?? "PROVISIONED",
  creationDateTime: t.CreationDateTime!.getTime(),
});
/** A node's fields, its time read back as a time (ISO-8601 in the answer). */
const nodeFields = (node: any) => ({ ...node, creationDateTime: Date.parse(node.creationDateTime) });

const PAGING_ARGS = "$first: Int, $after: String, $last: Int, $before: String, $region: String";
const PAGING = "first: $first, after: $after, last: $last, before: $before, region: $region";

describe("DynamoDB against moto_server", () => {
  it("is honest about moto: ListTables honours Limit, takes more than AWS's 100, lists in creation order, and always says TableSizeBytes 0", async () => {
    const small = await ddb("us-east-1").send(new ListTablesCommand({ Limit: 5 }));
    expect(small.TableNames).toHaveLength(5);
    expect(small.LastEvaluatedTableName).toBe(small.TableNames![4]);
    const next = await ddb("us-east-1").send(new ListTablesCommand({ Limit: 5, ExclusiveStartTableName: small.LastEvaluatedTableName }));
    expect(next.TableNames).toEqual(seeded["us-east-1"]!.slice(5, 10));
    // AWS refuses Limit above 100 (ValidationException); moto answers them all: the gateway must ask for 100 at most
    expect((await ddb("us-east-1").send(new ListTablesCommand({ Limit: 1000 }))).TableNames).toHaveLength(TABLES["us-east-1"]);
    // without Limit, 100 names and a start key, as AWS does
    const unbounded = await ddb("us-east-1").send(new ListTablesCommand({}));
    expect([unbounded.TableNames!.length, unbounded.LastEvaluatedTableName]).toEqual([100, seeded["us-east-1"]![99]]);
    // moto lists in creation order; the seed creates tables in name order, the order AWS lists them in
    expect(await sdkTables("us-east-1")).toEqual(seeded["us-east-1"]);
    const withItems = (await ddb("us-east-1").send(new DescribeTableCommand({ TableName: seeded["us-east-1"]![5] }))).Table!;
    expect(withItems.ItemCount).toBeGreaterThan(0); // moto counts items as they are; AWS updates ItemCount about every six hours
    expect(withItems.TableSizeBytes).toBe(0); // moto's constant
  });

  it("dynamodbTables: walks with random page sizes, resumed after random edges, equal ListTables' listing in each region", async () => {
    const query = `query($first: Int, $after: String, $region: String) { dynamodbTables(first: $first, after: $after, region: $region) {
      edges { cursor node { id accountId accountName region tableName } } pageInfo { hasNextPage endCursor } } }`;
    for (const region of REGIONS) {
      const expected = await sdkTables(region);
      expect(expected).toEqual(seeded[region]);
      await checkRandomWalks(gateway, query, ["dynamodbTables"], { maxFirst: 70, runs: 3, variables: { region } }, (walk) => {
        expect(walk.nodes.map((n: any) => n.tableName)).toEqual(expected);
        expect(walk.nodes.every((n: any) => n.region === region && n.accountId === ACCOUNT_ID && n.accountName === "default")).toBe(true);
        expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
        // names only: ListTables and nothing else, and never more than one call per ListTables page a client's page needs
        expect(Object.keys(awsOperations(walk.operations))).toEqual(["ListTables"]);
      });
    }
  });

  it("dynamodbTables: a walk backward from the last edge, with last/before, is the forward listing reversed", async () => {
    const region = "us-east-1";
    const expected = await sdkTables(region);
    const forwardQuery = `query(${PAGING_ARGS}) { dynamodbTables(${PAGING}) { edges { cursor node { tableName } } pageInfo { hasNextPage endCursor } } }`;
    const forward: { cursor: string; name: string }[] = [];
    for (let after: string | undefined, page = 0; page < 100; page += 1) {
      const connection = dataOf(await gateway.query(forwardQuery, { first: 45, after, region }), "forward").dynamodbTables;
      forward.push(...connection.edges.map((e: any) => ({ cursor: e.cursor, name: e.node.tableName })));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(forward.map((e) => e.name)).toEqual(expected);
    const backwardQuery = `query(${PAGING_ARGS}) { dynamodbTables(${PAGING}) { edges { cursor node { tableName } } pageInfo { hasPreviousPage hasNextPage startCursor } } }`;
    const backward = [forward.at(-1)!.name];
    let before = forward.at(-1)!.cursor;
    for (const last of [1, 30, 7, 60, 13, 99, 50]) {
      const page = dataOf(await gateway.query(backwardQuery, { last, before, region }), "backward").dynamodbTables;
      expect(page.edges.length).toBeLessThanOrEqual(last);
      backward.push(...page.edges.map((e: any) => e.node.tableName).reverse());
      expect(page.pageInfo.hasNextPage).toBe(true);
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual([...expected].reverse());
  });

  it("dynamodbTables: totalCount is ListTables' count, read 100 names a call, with no DescribeTable", async () => {
    for (const region of REGIONS) {
      const answer = await gateway.query(`query($region: String) { dynamodbTables(region: $region, first: 1) { totalCount fetchedAt failedSources { region code } } }`, { region });
      const connection = dataOf(answer, "totalCount").dynamodbTables;
      expect(connection.totalCount).toBe((await sdkTables(region)).length);
      expect(Number.isNaN(Date.parse(connection.fetchedAt))).toBe(false);
      expect(connection.failedSources).toEqual([]);
      const operations = awsOperations(answer.extensions!.aws.operations);
      expect(operations.DescribeTable).toBeUndefined();
      // 130 tables at Limit 100 are two ListTables calls (one more may be the page's own)
      const countCalls = Math.ceil(TABLES[region] / 100);
      expect(operations.ListTables).toBeGreaterThanOrEqual(countCalls);
      expect(operations.ListTables).toBeLessThanOrEqual(countCalls + 1);
    }
    const both = dataOf(await gateway.query(`{ dynamodbTables(regions: ["us-east-1", "eu-west-1"], first: 1) { totalCount } }`), "totalCount").dynamodbTables;
    expect(both.totalCount).toBe(TABLES["us-east-1"] + TABLES["eu-west-1"]);
  });

  it("lists a page of 100 table names with one ListTables call and no DescribeTable", async () => {
    const answer = await gateway.query(`{ dynamodbTables(first: 100) { edges { cursor node { tableName } } pageInfo { hasNextPage } } }`);
    const connection = dataOf(answer, "names").dynamodbTables;
    expect(connection.edges.map((e: any) => e.node.tableName)).toEqual(seeded["us-east-1"]!.slice(0, 100));
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(awsOperations(answer.extensions!.aws.operations)).toEqual({ ListTables: 1 });
    expect(awsCallsBesidesSts(answer)).toBe(1);
  });

  it("refuses before any call a page whose describe calls would pass MAX_AWS_CALLS_PER_PAGE, however many fields need them", async () => {
    const answer = await gateway.query(`{ dynamodbTables(first: 100) { edges { node { tableName itemCount tableStatus billingMode } } } }`);
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", limit: "awsCallsPerPage", max: 50, value: 100 });
    expect(answer.extensions?.aws?.calls ?? 0).toBe(0);
    // three describe fields share one DescribeTable a table: a page of 50 fits
    const fits = await gateway.query(`{ dynamodbTables(first: 50) { edges { node { tableName itemCount tableStatus billingMode } } } }`);
    expect(fits.errors).toBeUndefined();
    expect(awsOperations(fits.extensions!.aws.operations)).toEqual({ ListTables: 1, DescribeTable: 50 });
  });

  it("describes each table of a page once, and only when a selected field needs DescribeTable", async () => {
    const answer = await gateway.query(`{ dynamodbTables(first: 20) { edges { node { tableName itemCount } } } }`);
    const nodes = dataOf(answer, "describe").dynamodbTables.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.tableName)).toEqual(seeded["us-east-1"]!.slice(0, 20));
    expect(awsOperations(answer.extensions!.aws.operations)).toEqual({ ListTables: 1, DescribeTable: 20 });
    for (const node of nodes) expect(node.itemCount).toBe((await ddb("us-east-1").send(new DescribeTableCommand({ TableName: node.tableName }))).Table!.ItemCount);
  });

  it("gives every table's fields as DescribeTable does, page after page", async () => {
    for (const region of REGIONS) {
      const query = `query($first: Int, $after: String, $region: String) { dynamodbTables(first: $first, after: $after, region: $region) {
        edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
      // pages of 20: each one's DescribeTable calls stay under MAX_AWS_CALLS_PER_PAGE (50 by default)
      const walk = await walkConnection(gateway, query, ["dynamodbTables"], { firsts: [20], variables: { region } });
      const names = await sdkTables(region);
      expect(walk.nodes.map((n: any) => n.tableName)).toEqual(names);
      expect(walk.operations.DescribeTable).toBe(names.length);
      for (const [index, node] of walk.nodes.entries()) {
        const described = (await ddb(region).send(new DescribeTableCommand({ TableName: names[index] }))).Table!;
        expect(nodeFields(node)).toEqual(tableFields(described));
      }
      const modes = new Set(walk.nodes.map((n: any) => n.billingMode));
      expect(modes).toEqual(new Set(["PAY_PER_REQUEST", "PROVISIONED"]));
      expect(walk.nodes.some((n: any) => n.itemCount > 0)).toBe(true);
    }
  });

  it("dynamodbTable: finds a table by name with every field as DescribeTable says, refetches it by node id, and answers null for a missing one", async () => {
    for (const region of REGIONS) {
      const names = seeded[region]!;
      for (const tableName of [names[0]!, names.find((n) => n.includes(".")) ?? names[Math.floor(names.length / 2)]!, names.at(-1)!]) {
        const answer = await gateway.query(`query($name: String!, $region: String) { dynamodbTable(tableName: $name, region: $region) { id __typename region accountId accountName ${FIELDS} } }`, { name: tableName, region });
        const { id, __typename, region: itsRegion, accountId, accountName, ...fields } = dataOf(answer, "dynamodbTable").dynamodbTable;
        expect([itsRegion, accountId, accountName]).toEqual([region, ACCOUNT_ID, "default"]);
        expect(nodeFields(fields)).toEqual(tableFields((await ddb(region).send(new DescribeTableCommand({ TableName: tableName }))).Table!));
        expect(awsOperations(answer.extensions!.aws.operations)).toEqual({ DescribeTable: 1 });
        const refetched = dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { id __typename } }`, { id }), "node").node;
        expect(refetched).toEqual({ id, __typename });
      }
    }
    // DynamoDB answers ResourceNotFoundException (HTTP 400) for these
    const missing = await gateway.query(`{ a: dynamodbTable(tableName: "no-such-table") { tableName } b: dynamodbTable(tableName: "no-such-table", region: "eu-west-1") { tableName tableArn } }`);
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ a: null, b: null });
  });

  it("serves no field through which DynamoDB could return a secret", async () => {
    const listed = dataOf(await gateway.query(`{ dynamodbTables(first: 1) { edges { node { __typename } } } }`), "typename");
    const type = dataOf(await gateway.query(`query($name: String!) { __type(name: $name) { fields { name } } }`, { name: listed.dynamodbTables.edges[0].node.__typename }), "__type");
    expect(type.__type.fields.map((f: any) => f.name).filter((name: string) => /password|secret/i.test(name))).toEqual([]);
  });
});
