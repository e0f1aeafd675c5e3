// SNS topics: ListTopics (NextToken; 100 a page, which no member asks for: the page size is SNS's).
// A topic is looked up alone with GetTopicAttributes (SNS has no batch get), in the region the
// single-item field is asked in (`region`, else the default): NotFound is null.
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { resource } from "../../graphql/kit/resource.js";

/** `arn:<partition>:sns:<region>:<account>:<name>`, a FIFO topic's name ending in `.fifo`. */
export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

/** ListTopics' and ListSubscriptionsByTopic's page: 100, fixed by SNS. */
export const SNS_PAGE = { min: 100, max: 100 };

export const SnsTopic = resource({
  name: "SnsTopic",
  scope: "regional",
  list: {
    service: "sns",
    command: (input) => namedCommand("sns", "ListTopicsCommand", input),
    tokens: tokens.field("NextToken"),
    pageSize: SNS_PAGE,
    items: (out) => out.Topics,
  },
  query: { list: "snsTopics", single: "snsTopic" },
  id: {
    field: "topicArn",
    pattern: TOPIC_ARN,
    // arn:aws:sns:<region>:<account>:<name>
    region: (arn) => arn.split(":")[3],
    lookup: {
      each: async (topicArn, send) => {
        const { Attributes } = await send(namedCommand("sns", "GetTopicAttributesCommand", { TopicArn: topicArn }));
        return { TopicArn: Attributes?.TopicArn ?? topicArn };
      },
    },
  },
  fields: (f) => ({
    topicArn: f.requiredString((t) => t.TopicArn ?? ""),
    name: f.requiredString((t) => (t.TopicArn ?? "").split(":")[5] ?? "", "the last part of the ARN (`.fifo` included)"),
  }),
  arn: { type: "sns", id: (a) => (a.resource.includes(":") ? undefined : a.text), of: { field: "topicArn" } },
});
