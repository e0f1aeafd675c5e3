// Managed policies: ListPolicies (scope, attached only), GetPolicy, the default version's document,
// and the policies attached to users, roles and groups (which name only ARN and name: the rest of
// a policy is asked of GetPolicy when a query selects it).
import { GetPolicyCommand, GetPolicyVersionCommand, ListPoliciesCommand, type AttachedPolicy, type Policy, type PolicyVersion } from "@aws-sdk/client-iam";
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import type { AwsCommand } from "../../aws/clients.js";
import { listCost, lookupCost, perParentCost } from "../../graphql/aws-cost.js";
import { builder, pagingArgs, type SchemaTypes } from "../../graphql/builder.js";
import { accountsListing } from "../../aws/sources.js";
import { accountsArgs, resolveConnection } from "../../graphql/connection.js";
import { iamListSource } from "../../aws/list-operation.js";
import { IAM_MAX_ITEMS, listedFor, pathPrefix, type IamPage, type IamPageInput } from "../../graphql/kit/iam.js";
import { exposed, valueType, type FieldKit } from "../../graphql/kit/fields.js";
import { accountKey, type InAccount } from "../../aws/accounts.js";
import { lookupEach } from "../../aws/lookups.js";
import { defineNode, loadOne, type NodeResource } from "../../graphql/kit/node.js";
import { pathToArray } from "graphql/jsutils/Path.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import { iso, policyDocument } from "./common.js";

/** A policy as a listing returns it, or only its ARN and name where an attachment names it. */
type IamPolicyModel = {
  account: string;
  arn: string;
  policyName: string;
  path?: string;
  policyId?: string;
  attachmentCount?: number;
  defaultVersionId?: string;
  createDate?: string;
  updateDate?: string;
  description?: string;
  /** true once every field above is known, false for an attachment's ARN and name */
  complete: boolean;
};

const toModel = (account: string) => (p: Policy): IamPolicyModel => ({
  account,
  arn: p.Arn ?? "",
  policyName: p.PolicyName ?? "",
  path: p.Path,
  policyId: p.PolicyId,
  attachmentCount: p.AttachmentCount,
  defaultVersionId: p.DefaultVersionId,
  createDate: iso(p.CreateDate),
  updateDate: iso(p.UpdateDate),
  description: p.Description,
  complete: true,
});

const fromAttachment = (account: string) => (a: AttachedPolicy): IamPolicyModel => ({ account, arn: a.PolicyArn ?? "", policyName: a.PolicyName ?? "", complete: false });

const POLICY_ARN = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/[\x21-\x7e]{1,1024}$/;

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
          const [account, arn, versionId] = key.split(" ") as [string, string, string];
          try {
            const aws = ctx.aws.forAccount(account);
            const out = await aws.send("iam", aws.defaultRegion, new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }));
            return IamPolicyVersion.model({ VersionId: versionId, ...out.PolicyVersion });
          } catch (error) {
            return error as Error;
          }
        }),
      ),
    ),
);

export const IamPolicy: NodeResource<IamPolicyModel> = defineNode<IamPolicyModel>({
  name: "IamPolicy",
  key: (p) => accountKey(p.account, p.arn),
  lookup: lookupEach(
    (arn) => POLICY_ARN.test(arn),
    async (arn, ctx, account) => {
      const aws = ctx.aws.forAccount(account);
      const out = await aws.send("iam", aws.defaultRegion, new GetPolicyCommand({ PolicyArn: arn }));
      return out.Policy && toModel(account)(out.Policy);
    },
  ),
  fields: {
    arn: exposed("String"),
    policyName: exposed("String"),
  },
  resolvedFields: (t) => {
    /** A policy with every field: one GetPolicy per ARN and request when it came from an attachment. */
    const detail = async (p: IamPolicyModel, ctx: ResourceContext) => (p.complete ? p : ((await IamPolicy.loader(ctx).load(accountKey(p.account, p.arn))) ?? p));
    const detailString = (pick: (p: IamPolicyModel) => string | undefined) =>
      t.string({ nullable: true, resolve: async (p, _a, ctx) => pick(await detail(p, ctx)) });
    return {
      path: detailString((p) => p.path),
      policyId: detailString((p) => p.policyId),
      description: detailString((p) => p.description),
      createDate: detailString((p) => p.createDate),
      updateDate: detailString((p) => p.updateDate),
      attachmentCount: t.int({ nullable: true, resolve: async (p, _a, ctx) => (await detail(p, ctx)).attachmentCount }),
      defaultVersion: t.field({
        type: IamPolicyVersion.ref,
        nullable: true,
        description: "the version in force, with its JSON document",
        extensions: perParentCost(),
        resolve: async (p, _a, ctx) => {
          const full = await detail(p, ctx);
          return full.defaultVersionId ? policyVersions(ctx).load(`${full.account} ${full.arn} ${full.defaultVersionId}`) : null;
        },
      }),
    };
  },
});

const IamPolicyScope = builder.enumType("IamPolicyScope", {
  values: { ALL: { value: "All" }, AWS: { value: "AWS" }, LOCAL: { value: "Local" } } as const,
});

builder.queryFields((t) => ({
  iamPolicies: t.field({
    type: IamPolicy.connection,
    args: {
      scope: t.arg({ type: IamPolicyScope, defaultValue: "Local" }),
      onlyAttached: t.arg.boolean({ defaultValue: false }),
      pathPrefix: t.arg.string(),
      accounts: t.arg.stringList(),
      ...pagingArgs(t.arg),
    },
    extensions: listCost(IAM_MAX_ITEMS),
    resolve: (_root, args, ctx, info) => {
      const scope = args.scope ?? "Local";
      const onlyAttached = args.onlyAttached ?? false;
      const prefix = pathPrefix(args.pathPrefix);
      const accounts = ctx.accounts.named(args.accounts);
      const listing = { field: "Query.iamPolicies", args: accountsArgs(accounts, { scope, onlyAttached, prefix }, args.accounts != null), path: pathToArray(info.path) };
      return resolveConnection(ctx, listing, args, () =>
        accountsListing(ctx, accounts, (aws) =>
          iamListSource(
            aws,
            (page) => new ListPoliciesCommand({ Scope: scope, OnlyAttached: onlyAttached, PathPrefix: prefix, ...page }),
            (out) => out.Policies,
            toModel(aws.account),
          ),
        ),
      );
    },
  }),
  iamPolicy: t.field({
    type: IamPolicy.ref,
    nullable: true,
    args: { arn: t.arg.string({ required: true }), account: t.arg.string() },
    extensions: lookupCost(1),
    resolve: (_root, args, ctx) => loadOne(IamPolicy, ctx, accountKey(ctx.accounts.one(args.account), args.arn)),
  }),
}));

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
