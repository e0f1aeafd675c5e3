// Seeds SNS: topics named by team, environment and purpose (standard and FIFO, tagged), in several
// regions, with subscriptions of every common protocol. One topic has more subscriptions than
// one ListSubscriptionsByTopic page (100, fixed), one has exactly a page's worth, and two HTTPS
// endpoints carry secrets in their URL (basic-auth password, a webhook token) that must never be served.
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { clientConfig, teams, envs, type AwsTarget, type Progress } from "../seed.js";

export interface SnsSeedPlan {
  /** the first region gets `topics`, the others `topicsPerOtherRegion` */
  regions: string[];
  /** topics in the first region: more than 100 for two ListTopics pages */
  topics: number;
  topicsPerOtherRegion: number;
  /** subscriptions of the first region's first topic: more than 100 for two pages */
  bigTopicSubscriptions: number;
  /** subscriptions of its second topic (default 100, exactly one page: moto then answers one more, empty, page) */
  fullPageSubscriptions?: number;
}

export interface SnsSeeded {
  /** topic ARNs by region, in creation order */
  topicArns: Record<string, string[]>;
  /** the first region's topic with `bigTopicSubscriptions` subscriptions */
  bigTopicArn: string;
  /** the topic with exactly `fullPageSubscriptions` */
  fullPageTopicArn: string;
  /** the topic with one subscription of each protocol, the secret-bearing HTTPS ones among them */
  mixedTopicArn: string;
  /** a topic without subscriptions */
  emptyTopicArn: string;
  /** strings inside subscription endpoints that are secrets: the gateway must never serve them */
  secrets: string[];
}


const purposes = ["order-events", "alarms", "deploys", "audit-log", "invoices", "user-signups", "etl-status", "cost-alerts", "incidents"];
const ACCOUNT = "123456789012";

/** Topics and subscriptions; the first region's first three topics are the big, full-page and mixed ones. */
export async function seedSns(target: AwsTarget, plan: SnsSeedPlan, progress: Progress = () => {}): Promise<SnsSeeded> {
  const topicArns: Record<string, string[]> = {};
  const secrets = ["hunter2-sns-basic-auth", "XoXb9f2c1e7d4a6b8c0SECRET"];
  let seeded: Omit<SnsSeeded, "topicArns" | "secrets"> | undefined;
  for (const [r, region] of plan.regions.entries()) {
    const sns = new SNSClient(clientConfig(target, region));
    try {
      const count = r === 0 ? plan.topics : plan.topicsPerOtherRegion;
      const arns: string[] = [];
      for (let t = 0; t < count; t += 1) {
        const team = teams[t % teams.length]!;
        const env = envs[Math.floor(t / teams.length) % envs.length]!;
        const purpose = purposes[Math.floor(t / (teams.length * envs.length)) % purposes.length]!;
        const round = Math.floor(t / (teams.length * envs.length * purposes.length));
        const fifo = t % 11 === 7;
        const name = `${team}-${env}-${purpose}${round ? `-${round}` : ""}${fifo ? ".fifo" : ""}`;
        const topic = await sns.send(
          new CreateTopicCommand({
            Name: name,
            Attributes: {
              DisplayName: `${team} ${purpose}`.slice(0, 100),
              ...(fifo ? { FifoTopic: "true", ContentBasedDeduplication: "true" } : {}),
            },
            Tags: [
              { Key: "team", Value: team },
              { Key: "env", Value: env },
            ],
          }),
        );
        arns.push(topic.TopicArn!);
      }
      topicArns[region] = arns;

      const subscribe = (TopicArn: string, Protocol: string, Endpoint: string) => sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint, ReturnSubscriptionArn: true }));
      const queue = (name: string) => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
      if (r === 0) {
        if (arns.length < 5) throw new Error("seedSns: the first region needs at least 5 topics");
        const [big, full, mixed] = arns as [string, string, string];
        for (let s = 0; s < plan.bigTopicSubscriptions; s += 1) {
          // consumers of the order events: queues of every team, and a few functions
          if (s % 10 === 9) await subscribe(big, "lambda", `arn:aws:lambda:${region}:${ACCOUNT}:function:${teams[s % teams.length]}-order-consumer-${s}`);
          else await subscribe(big, "sqs", queue(`${teams[s % teams.length]}-orders-${String(s).padStart(3, "0")}`));
        }
        for (let s = 0; s < (plan.fullPageSubscriptions ?? 100); s += 1) await subscribe(full, "sqs", queue(`alarm-fanout-${String(s).padStart(3, "0")}`));
        await subscribe(mixed, "email", "oncall-payments@example.com");
        await subscribe(mixed, "email-json", "audit-robot@example.com");
        await subscribe(mixed, "sms", "+15555550123");
        await subscribe(mixed, "sqs", queue("deploy-notifications"));
        await subscribe(mixed, "lambda", `arn:aws:lambda:${region}:${ACCOUNT}:function:deploy-notifier`);
        await subscribe(mixed, "http", "http://status.internal.example.com/hooks/sns");
        await subscribe(mixed, "https", "https://status.example.com/hooks/sns");
        await subscribe(mixed, "https", `https://sns-alerts:${secrets[0]}@alerts.example.com/sns/notify`);
        await subscribe(mixed, "https", `https://hooks.chat.example/services/T0PLATFORM/B0DEPLOYS/${secrets[1]}`);
        await subscribe(mixed, "firehose", `arn:aws:firehose:${region}:${ACCOUNT}:deliverystream/deploy-archive`);
        // a few subscriptions on most other topics, none on some
        for (let t = 4; t < arns.length; t += 1) {
          if (arns[t]!.endsWith(".fifo")) continue;
          for (let s = 0; s < t % 4; s += 1) {
            if (s === 0) await subscribe(arns[t]!, "sqs", queue(`${arns[t]!.split(":").pop()}-queue`));
            else if (s === 1) await subscribe(arns[t]!, "email", `team-${t}@example.com`);
            else await subscribe(arns[t]!, "lambda", `arn:aws:lambda:${region}:${ACCOUNT}:function:handler-${t}`);
          }
        }
        seeded = { bigTopicArn: big, fullPageTopicArn: full, mixedTopicArn: mixed, emptyTopicArn: arns[4]! };
      } else {
        for (const [t, arn] of arns.entries()) if (t % 2 === 0 && !arn.endsWith(".fifo")) await subscribe(arn, "sqs", queue(`replica-${t}`));
      }
      progress(`SNS ${region}: ${arns.length} topics`);
    } finally {
      sns.destroy();
    }
  }
  if (!seeded) throw new Error("seedSns: no region given");
  return { topicArns, secrets, ...seeded };
}
