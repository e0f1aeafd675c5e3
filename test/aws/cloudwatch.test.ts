// CloudWatch as AWS runs it, where moto does not: DescribeAlarms honours MaxRecords (1-100) and pages
// with an opaque NextToken (moto answers every alarm at once); a lookup by AlarmNames takes at most 100.
import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandInput } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { startInProcessGateway } from "../support/gateway.js";
import { awsError, opaquePage, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const invalid = (message: string) => awsError("ValidationError", message);
const names = Array.from({ length: 230 }, (_, i) => `alarm-${String(i).padStart(3, "0")}`);
const alarm = (AlarmName: string) => ({ AlarmName, AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${AlarmName}`, StateValue: "OK" as const, Threshold: 1 });

const cloudwatch = mockClient(CloudWatchClient);
const gateway = useMockedGateway([cloudwatch], () => {
  cloudwatch.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => {
    const size = input.MaxRecords ?? 50;
    if (size < 1 || size > 100) throw invalid("MaxRecords must be between 1 and 100");
    if (input.AlarmNames) {
      if (input.AlarmNames.length > 100) throw invalid("AlarmNames: at most 100");
      return { MetricAlarms: names.filter((n) => input.AlarmNames!.includes(n)).map(alarm) };
    }
    const page = opaquePage(names, input.NextToken, size);
    return { MetricAlarms: page.items.map(alarm), CompositeAlarms: [], NextToken: page.next };
  });
});

const ALARMS = `query($first: Int, $after: String) { cloudwatchAlarms(first: $first, after: $after) { edges { cursor node { alarmName } } pageInfo { hasNextPage endCursor } } }`;

describe("CloudWatch as AWS pages it (MaxRecords honoured, opaque NextToken)", () => {
  it("walks every alarm once whatever the page size, never asking for more than 100", async () => {
    for (const first of [7, 100, 230]) {
      cloudwatch.resetHistory();
      const walk = await walkConnection(gateway, ALARMS, ["cloudwatchAlarms"], { firsts: [first], resumeAt: (count) => Math.floor(count / 2) });
      expect(walk.nodes.map((a: any) => a.alarmName), `first: ${first}`).toEqual(names);
      expect(cloudwatch.commandCalls(DescribeAlarmsCommand).every((c) => c.args[0].input.MaxRecords! >= 1 && c.args[0].input.MaxRecords! <= 100)).toBe(true);
    }
  });

  it("looks up 150 alarms by name in two DescribeAlarms calls of at most 100 names, null for a missing one", async () => {
    const asked = [...names.slice(0, 150), "no-such-alarm"];
    const query = `{ ${asked.map((n, i) => `a${i}: cloudwatchAlarm(alarmName: "${n}") { alarmName }`).join(" ")} }`;
    const answer = await startInProcessGateway({ MAX_QUERY_ALIASES: "200" }).then(async (wide) => {
      try {
        return await wide.query(query);
      } finally {
        await wide.close();
      }
    });
    expect(answer.errors).toBeUndefined();
    expect(asked.map((_, i) => answer.data![`a${i}`]?.alarmName ?? null)).toEqual([...names.slice(0, 150), null]);
    const calls = cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames!.length);
    expect(calls.sort((a, b) => a - b)).toEqual([51, 100]);
  });
});
