// CloudWatch metric alarms: DescribeAlarms (NextToken, MaxRecords 1..100), which answers every field;
// looked up by name with DescribeAlarms { AlarmNames } (100 names a call; a missing name is left out).
// Only MetricAlarms are read: AWS lists composite alarms only when AlarmTypes asks for them (moto
// answers them regardless, in CompositeAlarms), and the fields are metric alarms' fields.
import { afterType } from "../../graphql/kit/arns.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { resource } from "../../graphql/kit/resource.js";

const ALARM_STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"] as const;

export const CloudwatchAlarm = resource({
  name: "CloudwatchAlarm",
  scope: "regional",
  list: {
    service: "cloudwatch",
    command: (input) => namedCommand("cloudwatch", "DescribeAlarmsCommand", input),
    tokens: tokens.field("NextToken"),
    pageSize: { member: "MaxRecords", min: 1, max: 100 },
    items: (out) => out.MetricAlarms,
  },
  query: { list: "cloudwatchAlarms", single: "cloudwatchAlarm" },
  id: {
    field: "alarmName",
    pattern: /^[^\u0000-\u001f]{1,255}$/,
    lookup: { input: (names) => ({ AlarmNames: names }), idsPerCall: 100 },
  },
  fields: (f) => ({
    alarmName: f.requiredString((a) => a.AlarmName ?? ""),
    alarmArn: f.string((a) => a.AlarmArn),
    stateValue: f.string((a) => a.StateValue, ALARM_STATES.join(", ")),
    stateReason: f.string((a) => a.StateReason),
    metricName: f.string((a) => a.MetricName, "null for a metric-math alarm"),
    namespace: f.string((a) => a.Namespace, "null for a metric-math alarm"),
    threshold: f.float((a) => a.Threshold, "null for an anomaly-detection alarm"),
    comparisonOperator: f.string((a) => a.ComparisonOperator),
    stateUpdatedTimestamp: f.date((a) => a.StateUpdatedTimestamp),
  }),
  filter: {
    stateValue: { type: "String", description: ALARM_STATES.join(", "), oneOf: ALARM_STATES, input: (value) => ({ StateValue: value }) },
    alarmNamePrefix: { type: "String", description: "alarms whose name starts with this", input: (value) => ({ AlarmNamePrefix: value }) },
  },
  arn: { type: "cloudwatch:alarm", id: afterType, of: { field: "alarmArn" } },
});
