// CloudFormation stacks: DescribeStacks (NextToken; no page size: AWS cuts a page at 1 MB of
// output, moto at 50 stacks), which lists live stacks only. A stack is looked up with one
// DescribeStacks { StackName } (there is no batch call), by name or by stack ARN; a missing stack is
// a ValidationError "Stack with id x does not exist", which the error mapping makes NOT_FOUND: null.
// Parameters, Outputs and the template may hold secrets: none of them is read.
import { afterType } from "../../graphql/kit/arns.js";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { resource } from "../../graphql/kit/resource.js";

/** A stack name (a letter, then letters, digits and dashes, up to 128), or a stack ARN. */
export const STACK_NAME_OR_ID = /^(?:[A-Za-z][A-Za-z0-9-]{0,127}|arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/[A-Za-z][A-Za-z0-9-]{0,127}\/[A-Za-z0-9-]+)$/;

export const CloudformationStack = resource({
  name: "CloudformationStack",
  scope: "regional",
  list: {
    service: "cloudformation",
    command: (input) => namedCommand("cloudformation", "DescribeStacksCommand", input),
    tokens: tokens.field("NextToken"),
    // no page size to ask for; 50 (moto's) bounds the cost estimate from below what AWS's 1 MB pages hold
    pageSize: { min: 1, max: 50 },
    items: (out) => out.Stacks,
  },
  query: { list: "cloudformationStacks", single: "cloudformationStack" },
  id: {
    field: "stackName",
    pattern: STACK_NAME_OR_ID,
    lookup: { each: async (name, send) => (await send(namedCommand("cloudformation", "DescribeStacksCommand", { StackName: name }))).Stacks?.[0] },
  },
  fields: (f) => ({
    stackName: f.requiredString((s) => s.StackName ?? ""),
    stackId: f.requiredString((s) => s.StackId ?? "", "the stack's ARN, unique over time (a name is reused once its stack is deleted)"),
    stackStatus: f.string((s) => s.StackStatus),
    creationTime: f.date((s) => s.CreationTime),
    lastUpdatedTime: f.date((s) => s.LastUpdatedTime),
  }),
  arn: { type: "cloudformation:stack", id: (a) => afterType(a).split("/")[0], of: { field: "stackId" } },
});
