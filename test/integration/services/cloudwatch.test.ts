// cloudwatchAlarms / cloudwatchAlarm against moto_server, compared with what the SDK's DescribeAlarms says.
import { CloudWatchClient, DescribeAlarmsCommand, paginateDescribeAlarms, type DescribeAlarmsCommandInput, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCloudwatch, type SeededCloudwatch } from "../../../demo/services/cloudwatch.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, checkRandomWalks, dataOf, regionalClients, walkBackward } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGIONS = ["us-east-1", "eu-west-1"];
const ALARMS = 120;

let moto: Moto;
let gateway: TestGateway;
let seeded: SeededCloudwatch;
const cloudwatch = regionalClients((region) => new CloudWatchClient(motoClientConfig(moto.endpoint, region)));

beforeAll(async () => {
  moto = await startMoto();
  seeded = await seedCloudwatch({ endpoint: moto.endpoint }, { regions: REGIONS, alarmsPerRegion: ALARMS });
  gateway = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  cloudwatch.destroy();
  await moto?.stop();
});

/** Every metric alarm DescribeAlarms lists (AWS lists metric alarms only when AlarmTypes is omitted), page after page. */
const sdkAlarms = (region: string, input: DescribeAlarmsCommandInput = {}): Promise<MetricAlarm[]> =>
  all(paginateDescribeAlarms({ client: cloudwatch(region), pageSize: 100 }, input), (page) => page.MetricAlarms ?? []);

const FIELDS = "id region accountId accountName alarmName alarmArn stateValue stateReason metricName namespace threshold comparisonOperator stateUpdatedTimestamp";

/** What the gateway should say for an alarm, from DescribeAlarms' item. */
const expectedAlarm = (alarm: MetricAlarm, region: string) => ({
  region,
  accountId: alarm.AlarmArn!.split(":")[4],
  alarmName: alarm.AlarmName,
  alarmArn: alarm.AlarmArn,
  stateValue: alarm.StateValue,
  stateReason: alarm.StateReason ?? null,
  metricName: alarm.MetricName ?? null,
  namespace: alarm.Namespace ?? null,
  threshold: alarm.Threshold ?? null,
  comparisonOperator: alarm.ComparisonOperator ?? null,
  stateUpdatedTimestamp: alarm.StateUpdatedTimestamp?.getTime() ?? null,
});

const asCompared = (node: any) => {
  const { id, accountName, ...rest } = node;
  expect(typeof id).toBe("string");
  expect(accountName).toBe("default");
  if (rest.stateUpdatedTimestamp !== null) {
    expect(rest.stateUpdatedTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    rest.stateUpdatedTimestamp = new Date(rest.stateUpdatedTimestamp).getTime();
  }
  return rest;
};

const listQuery = (selection: string, filter = "") => `query($first: Int, $after: String, $region: String) {
  cloudwatchAlarms(first: $first, after: $after, region: $region${filter ? `, filter: ${filter}` : ""}) { edges { cursor node { ${selection} } } pageInfo { hasNextPage endCursor } } }`;

describe("CloudWatch alarms against moto_server", () => {
  it("the seed made alarms in every state, in an order that is not their names' order", async () => {
    for (const region of REGIONS) {
      const alarms = await sdkAlarms(region);
      expect(alarms).toHaveLength(ALARMS);
      expect(alarms.map((a) => a.AlarmName)).toEqual(seeded.alarms[region]!.map((a) => a.alarmName));
      expect(new Set(alarms.map((a) => a.StateValue))).toEqual(new Set(["OK", "ALARM", "INSUFFICIENT_DATA"]));
      expect(alarms.map((a) => a.AlarmName)).not.toEqual(alarms.map((a) => a.AlarmName!).sort());
    }
  });

  it("cloudwatchAlarms: walks with random page sizes, resumed after random edges, equal DescribeAlarms in every region", async () => {
    const query = listQuery("id region alarmName");
    for (const region of REGIONS) {
      const expected = (await sdkAlarms(region)).map((a) => a.AlarmName!);
      await checkRandomWalks(gateway, query, ["cloudwatchAlarms"], { maxFirst: 45, runs: 3, variables: { region } }, (walk) => {
        expect(walk.nodes.map((n: any) => n.alarmName)).toEqual(expected);
        expect(walk.nodes.every((n: any) => n.region === region)).toBe(true);
        expect(new Set(walk.nodes.map((n: any) => n.id)).size).toBe(expected.length);
      });
    }
  });

  it("is honest about moto: DescribeAlarms ignores MaxRecords and never pages, so a walk of small pages makes one call", async () => {
    // AWS honours MaxRecords (1..100) and pages with NextToken; moto answers every alarm at once, without a token
    const whole = await cloudwatch("us-east-1").send(new DescribeAlarmsCommand({ MaxRecords: 5 }));
    expect(whole.MetricAlarms).toHaveLength(ALARMS);
    expect(whole.NextToken).toBeUndefined();
    const walk = await walkConnection(gateway, listQuery("alarmName"), ["cloudwatchAlarms"], { firsts: [7], variables: { region: "us-east-1" } });
    expect(walk.nodes).toHaveLength(ALARMS);
    expect(walk.operations.DescribeAlarms).toBe(1);
  });

  it("cloudwatchAlarms: a walk backward from the last edge equals the forward listing", async () => {
    const query = `query($last: Int, $before: String, $region: String) {
      cloudwatchAlarms(last: $last, before: $before, region: $region) { edges { cursor node { alarmName } } pageInfo { hasPreviousPage startCursor } } }`;
    for (const region of REGIONS) {
      const forward = dataOf(await gateway.query(`query($region: String) { cloudwatchAlarms(first: 500, region: $region) { edges { cursor node { alarmName } } pageInfo { hasNextPage } } }`, { region }))
        .cloudwatchAlarms;
      expect(forward.pageInfo.hasNextPage).toBe(false);
      const names = forward.edges.map((e: any) => e.node.alarmName);
      expect(names).toEqual((await sdkAlarms(region)).map((a) => a.AlarmName));
      const backward = await walkBackward(gateway, query, ["cloudwatchAlarms"], { lasts: [9, 25, 4], before: forward.edges.at(-1).cursor, variables: { region } });
      expect([...backward.map((n: any) => n.alarmName), names.at(-1)]).toEqual(names);
    }
  });

  it("cloudwatchAlarms: totalCount equals DescribeAlarms' count, with and without a filter", async () => {
    for (const region of REGIONS) {
      const answer = dataOf(
        await gateway.query(
          `query($region: String) { all: cloudwatchAlarms(region: $region) { totalCount } alarm: cloudwatchAlarms(region: $region, filter: { stateValue: "ALARM" }) { totalCount } }`,
          { region },
        ),
      );
      expect(answer.all.totalCount).toBe((await sdkAlarms(region)).length);
      expect(answer.alarm.totalCount).toBe((await sdkAlarms(region, { StateValue: "ALARM" })).length);
    }
  });

  it("cloudwatchAlarms: every field of every alarm equals DescribeAlarms' item at the same position", async () => {
    for (const region of REGIONS) {
      const answer = dataOf(await gateway.query(`query($region: String) { cloudwatchAlarms(first: 500, region: $region) { edges { node { ${FIELDS} } } } }`, { region }));
      const nodes = answer.cloudwatchAlarms.edges.map((e: any) => asCompared(e.node));
      expect(nodes).toEqual((await sdkAlarms(region)).map((a) => expectedAlarm(a, region)));
    }
  });

  const filters: { name: string; literal: string; input: DescribeAlarmsCommandInput }[] = [
    { name: "stateValue ALARM", literal: `{ stateValue: "ALARM" }`, input: { StateValue: "ALARM" } },
    { name: "stateValue INSUFFICIENT_DATA", literal: `{ stateValue: "INSUFFICIENT_DATA" }`, input: { StateValue: "INSUFFICIENT_DATA" } },
    { name: "stateValue OK", literal: `{ stateValue: "OK" }`, input: { StateValue: "OK" } },
    { name: "alarmNamePrefix payments-", literal: `{ alarmNamePrefix: "payments-" }`, input: { AlarmNamePrefix: "payments-" } },
    { name: "alarmNamePrefix search-prod-", literal: `{ alarmNamePrefix: "search-prod-" }`, input: { AlarmNamePrefix: "search-prod-" } },
    // moto applies only one of the two (AlarmNamePrefix wins and StateValue is ignored); AWS applies both.
    // Either way the gateway passes both down and serves what DescribeAlarms answers, filtering nothing itself.
    { name: "both", literal: `{ stateValue: "ALARM", alarmNamePrefix: "payments-" }`, input: { StateValue: "ALARM", AlarmNamePrefix: "payments-" } },
  ];
  for (const filter of filters) {
    it(`cloudwatchAlarms: filter ${filter.name} is pushed down: the walk equals DescribeAlarms with the same parameters`, async () => {
      const region = "us-east-1";
      const expected = await sdkAlarms(region, filter.input);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length, "a filter that keeps everything proves nothing").toBeLessThan(ALARMS);
      const walk = await walkConnection(gateway, listQuery("alarmName stateValue", filter.literal), ["cloudwatchAlarms"], { firsts: [4, 9], variables: { region } });
      expect(walk.nodes.map((n: any) => n.alarmName)).toEqual(expected.map((a) => a.AlarmName));
      expect(walk.nodes.map((n: any) => n.stateValue)).toEqual(expected.map((a) => a.StateValue));
    });
  }

  it("cloudwatchAlarms: a stateValue AWS does not know is BAD_USER_INPUT before any call (moto would answer an empty list)", async () => {
    const answer = await gateway.query(listQuery("alarmName", `{ stateValue: "BOGUS" }`), { first: 5 });
    expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(answer.errors?.[0]?.message).toMatch(/OK, ALARM, INSUFFICIENT_DATA/);
    expect((answer.extensions?.aws?.operations as Record<string, number> | undefined)?.DescribeAlarms ?? 0).toBe(0);
  });

  it("is honest about moto: with both filters it ignores StateValue", async () => {
    const both = await sdkAlarms("us-east-1", { StateValue: "ALARM", AlarmNamePrefix: "payments-" });
    expect(new Set(both.map((a) => a.StateValue)).size).toBeGreaterThan(1);
  });

  it("cloudwatchAlarm finds an alarm in each state as DescribeAlarms(AlarmNames) says, and answers null for a missing one", async () => {
    for (const region of REGIONS) {
      const alarms = await sdkAlarms(region);
      const picks = ["OK", "ALARM", "INSUFFICIENT_DATA"].map((state) => alarms.find((a) => a.StateValue === state)!);
      for (const pick of picks) {
        const answer = dataOf(await gateway.query(`query($name: String!, $region: String) { cloudwatchAlarm(alarmName: $name, region: $region) { ${FIELDS} } }`, { name: pick.AlarmName, region }));
        const [described] = (await cloudwatch(region).send(new DescribeAlarmsCommand({ AlarmNames: [pick.AlarmName!] }))).MetricAlarms!;
        expect(asCompared(answer.cloudwatchAlarm)).toEqual(expectedAlarm(described!, region));
      }
    }
    const missing = await gateway.query(`{ a: cloudwatchAlarm(alarmName: "no-such-alarm") { alarmName } b: cloudwatchAlarm(alarmName: "no-such-alarm", region: "eu-west-1") { alarmName } }`);
    expect(dataOf(missing)).toEqual({ a: null, b: null });
  });

  it("an alarm's node id refetches it with node(id:), and the same name in two regions is two nodes", async () => {
    const name = seeded.alarms["us-east-1"]![0]!.alarmName;
    const answer = dataOf(
      await gateway.query(`query($name: String!) {
        east: cloudwatchAlarm(alarmName: $name, region: "us-east-1") { __typename id alarmArn }
        west: cloudwatchAlarm(alarmName: $name, region: "eu-west-1") { __typename id alarmArn } }`, { name }),
    );
    expect(answer.east.id).not.toBe(answer.west.id);
    for (const alarm of [answer.east, answer.west]) {
      const node = dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { __typename id } }`, { id: alarm.id })).node;
      expect(node).toEqual({ __typename: alarm.__typename, id: alarm.id });
    }
  });
});
