// SNS as AWS answers it, where moto differs: a subscription that an e-mail or HTTP(S) endpoint has
// not confirmed yet is listed with SubscriptionArn "PendingConfirmation" (moto confirms every
// subscription at once), so that word cannot be what tells subscriptions apart.
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { useMockedGateway } from "../support/services.js";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:deploys";
const subscriptions = [
  { SubscriptionArn: `${TOPIC}:0b6e9c8a-6a8c-4f0e-9d8e-2f1b1c6d7e8f`, Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:123456789012:deploys", TopicArn: TOPIC, Owner: "123456789012" },
  { SubscriptionArn: "PendingConfirmation", Protocol: "email", Endpoint: "oncall@example.com", TopicArn: TOPIC, Owner: "123456789012" },
  { SubscriptionArn: "PendingConfirmation", Protocol: "email", Endpoint: "audit@example.com", TopicArn: TOPIC, Owner: "123456789012" },
  { SubscriptionArn: "PendingConfirmation", Protocol: "https", Endpoint: "https://hook:s3cr3t-pending@alerts.example.com/sns?token=t0k3n", TopicArn: TOPIC, Owner: "123456789012" },
];

const sns = mockClient(SNSClient);
const gateway = useMockedGateway([sns], () => {
  sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: TOPIC, Owner: "123456789012" } });
  sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: subscriptions });
});

describe("SNS subscriptions awaiting confirmation", () => {
  it("are told apart though they share the ARN SNS gives them, serve no secret, and are not asked for alone", async () => {
    const answer = await gateway.query(`query($topic: String!) { snsTopic(topicArn: $topic) { subscriptions(first: 10) { edges { node { id subscriptionKey subscriptionArn protocol endpoint } } } } }`, {
      topic: TOPIC,
    });
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.snsTopic.subscriptions.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.subscriptionArn, n.protocol, n.endpoint])).toEqual([
      [subscriptions[0]!.SubscriptionArn, "sqs", subscriptions[0]!.Endpoint],
      ["PendingConfirmation", "email", "oncall@example.com"],
      ["PendingConfirmation", "email", "audit@example.com"],
      ["PendingConfirmation", "https", "https://alerts.example.com"],
    ]);
    expect(new Set(nodes.map((n: any) => n.id)).size).toBe(4);
    expect(nodes[0].subscriptionKey).toBe(subscriptions[0]!.SubscriptionArn);
    expect(JSON.stringify(answer)).not.toMatch(/s3cr3t|t0k3n/);
    // a pending subscription has no ARN to ask GetSubscriptionAttributes with: null, no call
    const pending = await gateway.query(`query($id: ID!) { node(id: $id) { id } }`, { id: nodes[1].id });
    expect(pending.errors).toBeUndefined();
    expect(pending.data).toEqual({ node: null });
    expect(sns.commandCalls(GetSubscriptionAttributesCommand)).toHaveLength(0);
  });
});
