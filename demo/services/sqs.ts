// Seeds SQS queues into an AWS account (an emulator's): standard and FIFO queues, dead-letter queues with their
// redrive policies, varied visibility timeouts and delays, tags, and a few messages waiting in some of them.
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchRequestEntry,
} from "@aws-sdk/client-sqs";
import { clientConfig, teams, envs, type AwsTarget, type Progress } from "../seed.js";

export interface SqsSeedPlan {
  /** standard queues per region (a dead-letter queue each counts among them) */
  queues: Record<string, number>;
  /** FIFO queues per region, beside the standard ones */
  fifoQueues: Record<string, number>;
}

export interface SqsRegionSeed {
  /** every queue made, in creation order, as CreateQueue answered */
  queueUrls: string[];
  fifoQueueUrls: string[];
  /** messages sent to each queue that has some */
  messages: Record<string, number>;
}

export type SqsSeed = Record<string, SqsRegionSeed>;


const purposes = ["events", "jobs", "emails", "thumbnails", "audit", "webhooks", "ingest"];
const visibilityTimeouts = [30, 60, 120, 300, 900, 43200];

async function sendMessages(sqs: SQSClient, queueUrl: string, count: number, fifo: boolean): Promise<void> {
  for (let start = 0; start < count; start += 10) {
    const entries: SendMessageBatchRequestEntry[] = [];
    for (let m = start; m < Math.min(count, start + 10); m += 1) {
      entries.push({
        Id: `m${m}`,
        MessageBody: JSON.stringify({ orderId: `o-${1000 + m}`, amount: m * 3.5 }),
        ...(fifo ? { MessageGroupId: `group-${m % 3}`, MessageDeduplicationId: `dedup-${m}` } : {}),
      });
    }
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    if (out.Failed?.length) throw new Error(`SQS refused messages for ${queueUrl}: ${JSON.stringify(out.Failed)}`);
  }
}

/**
 * In each region: standard queues named `<team>-<purpose>-<env>`, every fourth with a `-dlq` dead-letter queue
 * made just before it and named in its redrive policy; FIFO queues `<team>-orders-<n>.fifo`; messages in some.
 */
export async function seedSqs(target: AwsTarget, plan: SqsSeedPlan, progress: Progress = () => {}): Promise<SqsSeed> {
  const seed: SqsSeed = {};
  for (const region of new Set([...Object.keys(plan.queues), ...Object.keys(plan.fifoQueues)])) {
    const sqs = new SQSClient(clientConfig(target, region));
    const queueUrls: string[] = [];
    const fifoQueueUrls: string[] = [];
    const messages: Record<string, number> = {};
    const standard = plan.queues[region] ?? 0;
    for (let n = 0; queueUrls.length < standard; n += 1) {
      const team = teams[n % teams.length]!;
      const env = envs[Math.floor(n / teams.length) % envs.length]!;
      const name = `${team}-${purposes[n % purposes.length]}-${env}-${String(n).padStart(2, "0")}`;
      const tags = { team, env };
      let redrive: Record<string, string> = {};
      if (n % 4 === 0 && queueUrls.length + 1 < standard) {
        const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: "1209600" }, tags }));
        queueUrls.push(dlq.QueueUrl!);
        const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
        redrive = { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 + (n % 5) }) };
        if (n % 8 === 0) {
          await sendMessages(sqs, dlq.QueueUrl!, 2, false);
          messages[dlq.QueueUrl!] = 2;
        }
      }
      const out = await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: {
            VisibilityTimeout: String(visibilityTimeouts[n % visibilityTimeouts.length]),
            ...(n % 6 === 5 ? { DelaySeconds: "0", ReceiveMessageWaitTimeSeconds: "20" } : {}),
            ...(n % 7 === 3 ? { MaximumMessageSize: "65536" } : {}),
            ...redrive,
          },
          tags,
        }),
      );
      queueUrls.push(out.QueueUrl!);
      const waiting = (n * 7) % 5 === 0 ? 0 : (n * 7) % 23;
      if (waiting > 0) {
        await sendMessages(sqs, out.QueueUrl!, waiting, false);
        messages[out.QueueUrl!] = waiting;
      }
    }
    for (let f = 0; f < (plan.fifoQueues[region] ?? 0); f += 1) {
      const team = teams[f % teams.length]!;
      const out = await sqs.send(
        new CreateQueueCommand({
          QueueName: `${team}-orders-${f}.fifo`,
          Attributes: {
            FifoQueue: "true",
            ContentBasedDeduplication: f % 2 ? "true" : "false",
            VisibilityTimeout: String(visibilityTimeouts[(f + 2) % visibilityTimeouts.length]),
            ...(f % 3 === 2 ? { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" } : {}),
          },
          tags: { team, env: "prod", ordering: "strict" },
        }),
      );
      queueUrls.push(out.QueueUrl!);
      fifoQueueUrls.push(out.QueueUrl!);
      if (f % 2 === 0) {
        await sendMessages(sqs, out.QueueUrl!, 4 + f, true);
        messages[out.QueueUrl!] = 4 + f;
      }
    }
    sqs.destroy();
    seed[region] = { queueUrls, fifoQueueUrls, messages };
    progress(`SQS ${region}: ${queueUrls.length} queues (${fifoQueueUrls.length} FIFO), ${Object.values(messages).reduce((a, b) => a + b, 0)} messages waiting`);
  }
  return seed;
}
