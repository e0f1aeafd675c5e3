// SQS queues: ListQueues (NextToken, MaxResults 1..1000, always sent: without it AWS answers at most
// 1,000 URLs and never a token) lists bare queue URLs; GetQueueAttributes, one queue a call (SQS has
// no batch describe), only when a selected field needs it, and never for "All": the queue policy is
// not read.
//
// A queue URL from a caller is never called as given. Its shape is checked first (http(s), path
// `/<12-digit account>/<name>`), then it is looked up with ListQueues { QueueNamePrefix: name } in the
// account and region asked, and it is that queue only if AWS lists exactly that URL there. So
// GetQueueAttributes is only ever sent URLs AWS listed in the place asked: a URL naming another
// account (a cross-account queue the gateway's credentials could read), another region or another
// host is null. (The SQS clients are also built with useQueueUrlAsEndpoint: false, in clients.ts.)
import type { QueueAttributeName } from "@aws-sdk/client-sqs";
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import { keyedLookup } from "../../aws/lookups.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { lookupCost } from "../../graphql/aws-cost.js";
import { builder } from "../../graphql/builder.js";
import { contractErrorOf } from "../../graphql/contract-errors.js";
import { resource } from "../../graphql/kit/resource.js";
import type { ResourceContext } from "../../graphql/resource-context.js";

/**
 * A queue URL: http(s), any host (never called: see above), path `/<account>/<name>`; a name is 1..80
 * letters, digits, `-` or `_`, a FIFO queue's ending in `.fifo` (within the 80).
 */
export const QUEUE_URL = /^https?:\/\/[A-Za-z0-9.-]{1,253}(?::\d{1,5})?\/\d{12}\/(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/;

/** The queue's name: the URL's last path segment. */
export const queueNameOf = (queueUrl: string): string => queueUrl.slice(queueUrl.lastIndexOf("/") + 1);

export const SqsQueue = resource({
  name: "SqsQueue",
  scope: "regional",
  list: {
    service: "sqs",
    command: (input) => namedCommand("sqs", "ListQueuesCommand", input),
    tokens: tokens.field("NextToken"),
    pageSize: { member: "MaxResults", min: 1, max: 1000 },
    // absent when there is no queue
    items: (out) => out.QueueUrls,
  },
  query: { list: "sqsQueues", single: "sqsQueue" },
  id: {
    field: "queueUrl",
    pattern: QUEUE_URL,
    // The queues whose names start with this one's, in the account and region asked: found only
    // where AWS lists the very URL asked (the kit matches the listed URL against the id).
    lookup: { input: ([queueUrl]) => ({ QueueNamePrefix: queueNameOf(queueUrl!) }), idsPerCall: 1 },
  },
  fields: (f) => ({
    queueUrl: f.requiredString((url: string) => url),
    queueName: f.requiredString(queueNameOf, "the last part of the URL (`.fifo` included)"),
    // AWS requires `.fifo` on FIFO queues' names, and standard queues' names cannot hold a `.`
    fifo: f.boolean((url) => queueNameOf(url).endsWith(".fifo"), "a FIFO queue (its name ends in `.fifo`)"),
  }),
  arn: { type: "sqs", id: (a) => `https://sqs.${a.region}.amazonaws.com/${a.accountId}/${a.resource}`, of: { build: (q, accountId) => `arn:aws:sqs:${q.region ?? ""}:${accountId}:${q.queueName}` } },
});

// ---- attributes: GetQueueAttributes, one queue a call, for the fields that need it ----

/** What is asked of GetQueueAttributes: never "All", which holds the queue policy. */
const ATTRIBUTE_NAMES: QueueAttributeName[] = ["QueueArn", "ApproximateNumberOfMessages", "VisibilityTimeout"];

type QueueAttributes = {
  queueArn: string | null;
  approximateNumberOfMessages: number | null;
  visibilityTimeout: number | null;
};

const numberOf = (value: string | undefined): number | null => (value === undefined || value === "" || !Number.isFinite(Number(value)) ? null : Number(value));

/**
 * The attributes of queues by loader key, in the account and region each key names; a queue gone
 * since it was listed (QueueDoesNotExist) is null. Only models' keys reach it: URLs AWS listed there.
 */
const attributesLookup = keyedLookup<QueueAttributes>({
  service: "sqs",
  kind: "SqsQueue.attributes",
  scope: "regional",
  valid: (queueUrl) => QUEUE_URL.test(queueUrl),
  idsPerCall: 1,
  read: async (aws, region, [queueUrl]) => {
    const { Attributes: a = {} } = await aws.send("sqs", region, namedCommand("sqs", "GetQueueAttributesCommand", { QueueUrl: queueUrl!, AttributeNames: ATTRIBUTE_NAMES }));
    return [
      {
        id: queueUrl!,
        model: { queueArn: a.QueueArn ?? null, approximateNumberOfMessages: numberOf(a.ApproximateNumberOfMessages), visibilityTimeout: numberOf(a.VisibilityTimeout) },
      },
    ];
  },
});

const attributesLoader = createContextCache(
  (ctx: ResourceContext) =>
    new DataLoader<string, QueueAttributes | null>(async (keys) => (await attributesLookup(keys, ctx)).map((found) => (found instanceof Error ? contractErrorOf(found) : found))),
);

/** A queue's attributes, through the request's loader; null for a queue gone since it was listed. */
const attributesOf = (queue: { account: string; region?: string; queueUrl: string }, ctx: ResourceContext) =>
  attributesLoader(ctx).load(SqsQueue.keyOf(queue, queue.queueUrl));

// Every attribute field of one queue shares one call: the cost walk charges the group once.
const ATTRIBUTE_COST = { ...lookupCost(1), awsCostGroup: "SqsQueue.attributes" };

builder.objectFields(SqsQueue.ref, (t) => ({
  queueArn: t.string({
    nullable: true,
    extensions: ATTRIBUTE_COST,
    resolve: async (queue, _args, ctx) => (await attributesOf(queue, ctx))?.queueArn ?? null,
  }),
  approximateNumberOfMessages: t.int({
    nullable: true,
    description: "messages available for retrieval; approximate, and eventually consistent on AWS",
    extensions: ATTRIBUTE_COST,
    resolve: async (queue, _args, ctx) => (await attributesOf(queue, ctx))?.approximateNumberOfMessages ?? null,
  }),
  visibilityTimeout: t.int({
    nullable: true,
    description: "seconds",
    extensions: ATTRIBUTE_COST,
    resolve: async (queue, _args, ctx) => (await attributesOf(queue, ctx))?.visibilityTimeout ?? null,
  }),
}));
