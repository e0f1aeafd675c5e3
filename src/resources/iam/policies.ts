// Managed policies: ListPolicies (scope, attached only, path prefix), GetPolicy, the default
// version's document, and the policies attached to users, roles and groups. An attachment names
// only ARN and name: the rest of such a policy is asked of GetPolicy when a query selects it,
// while ListPolicies gives it all at once.
import { GetPolicyCommand, GetPolicyVersionCommand, ListPoliciesCommand, type AttachedPolicy, type PolicyVersion } from "@aws-sdk/client-iam";
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import type { InAccount } from "../../aws/accounts.js";
import type { AwsCommand } from "../../aws/clients.js";
import { IAM_PAGING } from "../../aws/list-operation.js";
import { perParentCost } from "../../graphql/aws-cost.js";
import { builder, type SchemaTypes } from "../../graphql/builder.js";
import { valueType, type FieldKit } from "../../graphql/kit/fields.js";
import { listedFor, pathPrefix, type IamPage, type IamPageInput } from "../../graphql/kit/iam.js";
import { resource, stringArgument } from "../../graphql/kit/resource.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import { policyDocument } from "./common.js";

const POLICY_ARN = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/[\x21-\x7e]{1,1024}$/;

const IamPolicyScope = builder.enumType("IamPolicyScope", {
  values: { ALL: { value: "All" }, AWS: { value: "AWS" }, LOCAL: { value: "Local" } } as const,
});

export const IamPolicy = resource({
  name: "IamPolicy",
  scope: "global",
  list: { service: "iam", command: (input) => new ListPoliciesCommand(input), items: (out) => out.Policies, ...IAM_PAGING },
  query: { list: "iamPolicies", single: "iamPolicy" },
  id: { field: "arn", pattern: POLICY_ARN },
  fields: (f) => ({
    arn: f.requiredString((p) => p.Arn ?? ""),
    policyName: f.requiredString((p) => p.PolicyName ?? ""),
  }),
  detail: {
    idsPerCall: 1,
    describe: async ([arn], send) => {
      const policy = (await send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
      return policy && [policy];
    },
    id: (p) => p.Arn,
    item: (p) => p,
    known: (p) => p,
    fields: (f) => ({
      path: f.string((p) => p.Path),
      policyId: f.string((p) => p.PolicyId),
      description: f.string((p) => p.Description),
      createDate: f.date((p) => p.CreateDate),
      updateDate: f.date((p) => p.UpdateDate),
      attachmentCount: f.int((p) => p.AttachmentCount),
      defaultVersionId: f.string((p) => p.DefaultVersionId, "the version in force"),
    }),
  },
  arn: { type: "iam:policy", id: (arn) => arn.text, of: { field: "arn" } },
  filters: {
    arguments: (t) => ({
      scope: t.field({ type: IamPolicyScope, defaultValue: "Local" }),
      onlyAttached: t.boolean({ defaultValue: false }),
      pathPrefix: t.string(),
    }),
    input: ({ args }) => ({ Scope: args?.scope ?? "Local", OnlyAttached: args?.onlyAttached ?? false, PathPrefix: pathPrefix(stringArgument(args?.pathPrefix)) }),
  },
});

const IamPolicyVersion = valueType("IamPolicyVersion", (f: FieldKit<PolicyVersion>) => ({
  versionId: f.requiredString((v) => v.VersionId ?? ""),
  document: f.string((v) => policyDocument(v.Document), "the policy document, JSON"),
  createDate: f.date((v) => v.CreateDate),
}));
type IamPolicyVersionModel = ReturnType<typeof IamPolicyVersion.model>;

/** Policy versions by `account arn versionId`. */
const policyVersions = createContextCache(
  (ctx: ResourceContext) =>
    new DataLoader<string, IamPolicyVersionModel>((keys) =>
      Promise.all(
        keys.map(async (key) => {
          const [account = "", arn = "", versionId = ""] = key.split(" ");
          try {
            const aws = ctx.aws.forAccount(account);
            const out = await aws.send("iam", aws.defaultRegion, new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }));
            return IamPolicyVersion.model({ VersionId: versionId, ...out.PolicyVersion });
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      ),
    ),
);

builder.objectFields(IamPolicy.ref, (t) => ({
  defaultVersion: t.field({
    type: IamPolicyVersion.ref,
    nullable: true,
    description: "the version in force, with its JSON document",
    extensions: perParentCost(),
    resolve: async (p, _a, ctx) => {
      const versionId = (await IamPolicy.detailOf(ctx, p))?.defaultVersionId;
      return versionId ? policyVersions(ctx).load(`${p.account} ${p.arn} ${versionId}`) : null;
    },
  }),
}));

const fromAttachment = ({ account }: InAccount) => (a: AttachedPolicy) => ({ account, arn: a.PolicyArn ?? "", policyName: a.PolicyName ?? "" });

/** The managed policies attached to a user, role or group, as a connection of its own. */
export function attachedPolicies<Parent extends InAccount, Output extends IamPage & { AttachedPolicies?: AttachedPolicy[] }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Parent>,
  typeName: string,
  parentId: (parent: Parent) => string,
  request: (parent: Parent, page: IamPageInput) => AwsCommand<Output>,
) {
  return listedFor(t, { typeName, fieldName: "attachedPolicies" }, {
    target: IamPolicy,
    parentId,
    request,
    items: (out) => out.AttachedPolicies,
    toModel: fromAttachment,
  });
}
