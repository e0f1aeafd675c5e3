// Seeds CloudWatch metric alarms, in mixed states, over the metrics an estate's dashboards watch.
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand, type ComparisonOperator, type StateValue, type Statistic } from "@aws-sdk/client-cloudwatch";
import { clientConfig, teams, envs, type AwsTarget, type Progress } from "../seed.js";

export interface CloudwatchSeedPlan {
  regions: string[];
  /** metric alarms in each region */
  alarmsPerRegion: number;
}

export interface SeededAlarm {
  alarmName: string;
  /** the state the seed left it in */
  stateValue: StateValue;
}

export interface SeededCloudwatch {
  /** region -> the alarms made there, in the order they were made (not their names' order) */
  alarms: Record<string, SeededAlarm[]>;
}



/** What is watched: the metric, its namespace, a dimension, and a threshold that makes sense for it. */
const watches: {
  slug: string;
  namespace: string;
  metricName: string;
  dimension: string;
  statistic: Statistic;
  threshold: number;
  comparison: ComparisonOperator;
  period: number;
}[] = [
  { slug: "cpu-high", namespace: "AWS/EC2", metricName: "CPUUtilization", dimension: "InstanceId", statistic: "Average", threshold: 80, comparison: "GreaterThanThreshold", period: 300 },
  { slug: "status-check", namespace: "AWS/EC2", metricName: "StatusCheckFailed", dimension: "InstanceId", statistic: "Maximum", threshold: 1, comparison: "GreaterThanOrEqualToThreshold", period: 60 },
  { slug: "db-free-storage", namespace: "AWS/RDS", metricName: "FreeStorageSpace", dimension: "DBInstanceIdentifier", statistic: "Minimum", threshold: 5_368_709_120, comparison: "LessThanThreshold", period: 300 },
  { slug: "lambda-errors", namespace: "AWS/Lambda", metricName: "Errors", dimension: "FunctionName", statistic: "Sum", threshold: 5, comparison: "GreaterThanThreshold", period: 60 },
  { slug: "queue-age", namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimension: "QueueName", statistic: "Maximum", threshold: 900, comparison: "GreaterThanThreshold", period: 60 },
  { slug: "alb-5xx", namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimension: "LoadBalancer", statistic: "Sum", threshold: 25, comparison: "GreaterThanThreshold", period: 60 },
  { slug: "ddb-throttles", namespace: "AWS/DynamoDB", metricName: "ThrottledRequests", dimension: "TableName", statistic: "Sum", threshold: 0, comparison: "GreaterThanThreshold", period: 60 },
  { slug: "latency-p99", namespace: "Custom/Checkout", metricName: "Latency", dimension: "Service", statistic: "Average", threshold: 0.75, comparison: "GreaterThanThreshold", period: 60 },
];

/** The state each alarm is set to, so that all three states and their reasons are present. */
function stateOf(n: number): { value: StateValue; reason: string } | undefined {
  if (n % 5 === 1) return { value: "ALARM", reason: "Threshold Crossed: 3 datapoints were greater than the threshold" };
  if (n % 7 === 3) return { value: "INSUFFICIENT_DATA", reason: "Insufficient Data: 1 datapoint was unknown" };
  if (n % 4 === 2) return { value: "OK", reason: "Threshold Crossed: 5 datapoints were not greater than the threshold" };
  return undefined; // as created
}

/**
 * Metric alarms named `<team>-<env>-<what>-<n>` (so name prefixes select teams), created in an order
 * that is not their names' order, some with actions and tags, then set to ALARM / INSUFFICIENT_DATA / OK.
 * moto creates every alarm in OK (AWS in INSUFFICIENT_DATA) and honours SetAlarmState.
 */
export async function seedCloudwatch(target: AwsTarget, plan: CloudwatchSeedPlan, progress: Progress = () => {}): Promise<SeededCloudwatch> {
  const seeded: SeededCloudwatch = { alarms: {} };
  for (const [regionIndex, region] of plan.regions.entries()) {
    const cloudwatch = new CloudWatchClient(clientConfig(target, region));
    const made: SeededAlarm[] = [];
    // a stride coprime with the count walks every index once, out of order
    const stride = strideFor(plan.alarmsPerRegion);
    for (let i = 0; i < plan.alarmsPerRegion; i += 1) {
      const n = (i * stride + regionIndex) % plan.alarmsPerRegion;
      const watch = watches[n % watches.length]!;
      const team = teams[n % teams.length]!;
      const env = envs[Math.floor(n / teams.length) % envs.length]!;
      const alarmName = `${team}-${env}-${watch.slug}-${String(n).padStart(3, "0")}`;
      const topic = `arn:aws:sns:${region}:123456789012:${team}-${env}-oncall`;
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: alarmName,
          AlarmDescription: n % 3 === 0 ? `${watch.metricName} of ${team} in ${env}` : undefined,
          Namespace: watch.namespace,
          MetricName: watch.metricName,
          Dimensions: [{ Name: watch.dimension, Value: `${team}-${env}-${n % 4}` }],
          Statistic: watch.statistic,
          Period: watch.period,
          EvaluationPeriods: 1 + (n % 3),
          DatapointsToAlarm: 1 + (n % 3),
          Threshold: watch.threshold + (n % 3) * (watch.threshold >= 10 ? 5 : 0.25),
          ComparisonOperator: watch.comparison,
          TreatMissingData: n % 2 ? "missing" : "notBreaching",
          AlarmActions: env === "prod" ? [topic] : [],
          OKActions: env === "prod" && n % 2 === 0 ? [topic] : [],
          Tags: [
            { Key: "team", Value: team },
            { Key: "env", Value: env },
          ],
        }),
      );
      const state = stateOf(n);
      if (state) {
        await cloudwatch.send(
          new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: state.value, StateReason: state.reason, StateReasonData: JSON.stringify({ version: "1.0", seed: n }) }),
        );
      }
      made.push({ alarmName, stateValue: state?.value ?? "OK" });
    }
    seeded.alarms[region] = made;
    progress(`CloudWatch ${region}: ${made.length} alarms (${made.filter((a) => a.stateValue === "ALARM").length} in ALARM)`);
    cloudwatch.destroy();
  }
  return seeded;
}

function strideFor(count: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  for (const stride of [37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]) if (gcd(stride, count) === 1) return stride;
  return 1;
}
