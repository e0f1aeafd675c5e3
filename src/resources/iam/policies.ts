// Managed policies: ListPolicies (scope, attached only), GetPolicy, and the default version's document.
import { GetPolicyCommand, GetPolicyVersionCommand, ListPoliciesCommand, type Policy } from "@aws-sdk/client-iam";
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import type { GatewayContext } from "../../context.js";
import { lookupEach } from "../../aws/lookups.js";
import { builder } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { AWS_CALL_PER_PARENT } from "../../graphql/query-limits.js";
import { iamListSource, iso, pathPrefix, policyDocument } from "./common.js";

/** A policy as a listing returns it, or only its ARN and name where an attachment names it. */
export interface IamPolicyModel {
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
}

const toModel = (p: Policy): IamPolicyModel => ({
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

const POLICY_ARN = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/[\x21-\x7e]{1,1024}$/;

const loadPolicies = lookupEach(
  (arn) => POLICY_ARN.test(arn),
  async (arn, ctx) => {
    const out = await ctx.aws.send("iam", ctx.aws.defaultRegion, new GetPolicyCommand({ PolicyArn: arn }));
    return out.Policy && toModel(out.Policy);
  },
);

/** One GetPolicy per ARN and request, shared by node loading and attachments' details. */
const policiesByArn = createContextCache(
  (ctx: GatewayContext) => new DataLoader<string, IamPolicyModel | null>((arns) => loadPolicies(arns, ctx)),
);

/** A policy with every field, asking GetPolicy when it came from an attachment. */
async function detail(p: IamPolicyModel, ctx: GatewayContext): Promise<IamPolicyModel> {
  return p.complete ? p : ((await policiesByArn(ctx).load(p.arn)) ?? p);
}

export const IamPolicy = builder.loadableNode("IamPolicy", {
  id: { resolve: (p: IamPolicyModel) => p.arn },
  load: ((arns: string[], ctx: GatewayContext) => policiesByArn(ctx).loadMany(arns)) as unknown as (
    arns: string[],
    ctx: GatewayContext,
  ) => Promise<(IamPolicyModel | Error)[]>,
  fields: (t) => {
    return {
      arn: t.exposeString("arn"),
      policyName: t.exposeString("policyName"),
      path: t.string({ nullable: true, resolve: async (p, _a, ctx) => (await detail(p, ctx)).path }),
      policyId: t.string({ nullable: true, resolve: async (p, _a, ctx) => (await detail(p, ctx)).policyId }),
      attachmentCount: t.int({ nullable: true, resolve: async (p, _a, ctx) => (await detail(p, ctx)).attachmentCount }),
      description: t.string({ nullable: true, resolve: async (p, _a, ctx) => (await detail(p, ctx)).description }),
      createDate: t.string({ nullable: true, resolve: async (p, _a, ctx) => (await detail(p, ctx)).createDate }),
      updateDate: t.string({ nullable: true, resolve: async (p, _a, ctx) => (await detail(p, ctx)).updateDate }),
      defaultVersion: t.field({
        type: IamPolicyVersion,
        nullable: true,
        description: "the version in force, with its JSON document",
        extensions: AWS_CALL_PER_PARENT,
        resolve: async (p, _a, ctx) => {
          const full = await detail(p, ctx);
          return full.defaultVersionId ? policyVersions(ctx).load(`${full.arn} ${full.defaultVersionId}`) : null;
        },
      }),
    };
  },
});

interface IamPolicyVersionModel {
  versionId: string;
  document?: string;
  createDate?: string;
}

const policyVersions = createContextCache(
  (ctx: GatewayContext) =>
    new DataLoader<string, IamPolicyVersionModel>((keys) =>
      Promise.all(
        keys.map(async (key) => {
          const [arn, versionId] = key.split(" ") as [string, string];
          try {
            const out = await ctx.aws.send("iam", ctx.aws.defaultRegion, new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }));
            return { versionId, document: policyDocument(out.PolicyVersion?.Document), createDate: iso(out.PolicyVersion?.CreateDate) };
          } catch (error) {
            return error as Error;
          }
        }),
      ),
    ),
);

const IamPolicyVersion = builder.objectRef<IamPolicyVersionModel>("IamPolicyVersion").implement({
  fields: (t) => ({
    versionId: t.exposeString("versionId"),
    document: t.exposeString("document", { nullable: true, description: "the policy document, JSON" }),
    createDate: t.exposeString("createDate", { nullable: true }),
  }),
});

export const IamPolicyConnection = builder.connectionObject({ type: IamPolicy, name: "IamPolicyConnection" });

const IamPolicyScope = builder.enumType("IamPolicyScope", {
  values: { ALL: { value: "All" }, AWS: { value: "AWS" }, LOCAL: { value: "Local" } } as const,
});

builder.queryFields((t) => ({
  iamPolicies: t.field({
    type: IamPolicyConnection,
    args: {
      scope: t.arg({ type: IamPolicyScope, defaultValue: "Local" }),
      onlyAttached: t.arg.boolean({ defaultValue: false }),
      pathPrefix: t.arg.string(),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) => {
      const scope = args.scope ?? "Local";
      const onlyAttached = args.onlyAttached ?? false;
      const prefix = pathPrefix(args.pathPrefix);
      return resolveConnection(ctx, { field: "Query.iamPolicies", args: { scope, onlyAttached, prefix } }, args, () =>
        iamListSource(
          ctx,
          (marker, maxItems) => new ListPoliciesCommand({ Scope: scope, OnlyAttached: onlyAttached, PathPrefix: prefix, Marker: marker, MaxItems: maxItems }),
          (out) => (out.Policies ?? []).map(toModel),
        ),
      );
    },
  }),
  iamPolicy: t.field({
    type: IamPolicy,
    nullable: true,
    args: { arn: t.arg.string({ required: true }) },
    resolve: (_root, args) => args.arn,
  }),
}));

interface AttachedPoliciesPage {
  AttachedPolicies?: { PolicyName?: string; PolicyArn?: string }[];
  IsTruncated?: boolean;
  Marker?: string;
  $metadata: object;
}

/** The managed policies attached to a user, role or group, as a connection of its own. */
export function resolveAttachedPolicies<Output extends AttachedPoliciesPage>(
  ctx: GatewayContext,
  listing: { field: string; parentId: string },
  args: { first?: number | null; after?: string | null },
  command: (marker: string | undefined, maxItems: number) => import("../../aws/clients.js").AwsCommand<Output>,
) {
  return resolveConnection(ctx, { ...listing, args: {} }, args, () =>
    iamListSource(ctx, command, (out) =>
      (out.AttachedPolicies ?? []).map((a): IamPolicyModel => ({ arn: a.PolicyArn ?? "", policyName: a.PolicyName ?? "", complete: false })),
    ),
  );
}
