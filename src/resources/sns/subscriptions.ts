// SNS subscriptions, listed only under their topic: ListSubscriptionsByTopic { TopicArn } (NextToken;
// 100 a page, fixed by SNS). A confirmed subscription is looked up alone by its ARN with
// GetSubscriptionAttributes.
//
// Secrets: an HTTP(S) endpoint may carry credentials (`https://user:password@host/...`, documented
// by SNS for basic auth) or a token in its path or query (chat and paging webhooks). Of such an
// endpoint only the origin (scheme, host, port) is read into the model, so no answer, cursor, held
// page or cache entry ever holds the rest.
import type { Subscription } from "@aws-sdk/client-sns";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { links, resource } from "../../graphql/kit/resource.js";
import { SNS_PAGE, SnsTopic } from "./topics.js";

/** `<topic ARN>:<uuid>`: SNS says `PendingConfirmation` (or `Deleted`) in its place until there is one. */
const SUBSCRIPTION_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?:[0-9a-f-]{36}$/;

const URL_ENDPOINT = /^https?:\/\//i;

/** An endpoint as the gateway serves it: a URL's origin alone, anything else (ARNs, addresses, numbers) as SNS says. */
export function servedEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined || !URL_ENDPOINT.test(endpoint)) return endpoint;
  try {
    const { origin } = new URL(endpoint);
    return origin === "null" ? undefined : origin;
  } catch {
    // not a URL after all: nothing of it is served
    return undefined;
  }
}

/**
 * What tells a subscription apart: its ARN, or, for one that has none yet, its topic, SNS's word
 * for it, its protocol and its served endpoint (two unconfirmed HTTP(S) subscriptions of one topic
 * to one origin share it; the rest of their URLs is secret).
 */
const subscriptionKey = (s: Subscription) =>
  s.SubscriptionArn && SUBSCRIPTION_ARN.test(s.SubscriptionArn) ? s.SubscriptionArn : `${s.TopicArn ?? ""} ${s.SubscriptionArn ?? ""} ${s.Protocol ?? ""} ${servedEndpoint(s.Endpoint) ?? ""}`;

export const SnsSubscription = resource({
  name: "SnsSubscription",
  scope: "regional",
  list: {
    service: "sns",
    command: (input) => namedCommand("sns", "ListSubscriptionsByTopicCommand", { ...input, TopicArn: input.TopicArn }),
    tokens: tokens.field("NextToken"),
    pageSize: SNS_PAGE,
    items: (out) => out.Subscriptions,
  },
  id: {
    field: "subscriptionKey",
    // only a confirmed subscription, which has an ARN, can be asked for alone
    pattern: SUBSCRIPTION_ARN,
    lookup: {
      each: async (arn, send): Promise<Subscription> => {
        const { Attributes: a } = await send(namedCommand("sns", "GetSubscriptionAttributesCommand", { SubscriptionArn: arn }));
        return { SubscriptionArn: a?.SubscriptionArn ?? arn, TopicArn: a?.TopicArn, Protocol: a?.Protocol, Endpoint: a?.Endpoint, Owner: a?.Owner };
      },
    },
  },
  fields: (f) => ({
    subscriptionKey: f.requiredString(subscriptionKey, "the subscription's ARN; for one not confirmed yet, its topic ARN, `PendingConfirmation`, protocol and endpoint"),
    subscriptionArn: f.requiredString((s) => s.SubscriptionArn ?? "", "the subscription's ARN, or `PendingConfirmation` while an e-mail or HTTP(S) endpoint has not confirmed it"),
    topicArn: f.requiredString((s) => s.TopicArn ?? ""),
    protocol: f.string((s) => s.Protocol, "http, https, email, email-json, sms, sqs, lambda, firehose or application"),
    endpoint: f.string(
      (s) => servedEndpoint(s.Endpoint),
      "where notifications go: an ARN, an e-mail address or a phone number as SNS says; of an HTTP(S) URL only its origin (scheme, host and port), as the rest may hold credentials",
    ),
  }),
  // its ARN reads as its topic's with an id after: found by topic and key, not by ARN (one awaiting confirmation has none)
  arn: { type: "sns:subscription", id: () => undefined, of: { field: "subscriptionArn" } },
});

links(SnsTopic, (l) => ({
  subscriptions: l.children(() => SnsSubscription, (topic) => ({ TopicArn: topic.topicArn }), "the topic's subscriptions, as ListSubscriptionsByTopic lists them"),
}));

links(SnsSubscription, (l) => ({
  topic: l.one(() => SnsTopic, (s) => s.topicArn),
}));
