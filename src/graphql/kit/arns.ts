// ARNs: which of the gateway's types an ARN names, and its node. Declarations say which ARN
// resource type is theirs and how an ARN's resource part gives their id; `resource(arn:)`, a
// tagged resource's `node` and links by ARN look nodes up through the targets' own loaders, so a
// page of ARNs of one type is one batch.
import { brandWithType } from "@pothos/core";
import { badInput } from "../../errors.js";
import { lookupCost } from "../aws-cost.js";
import { builder } from "../builder.js";
import type { ResourceContext } from "../resource-context.js";
import type { LinkTarget, Placed } from "./resource.js";

/** An ARN's parts: arn:partition:service:region:account:resource. */
export interface ParsedArn {
  /** the ARN as given */
  text: string;
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** everything after the account: "instance/i-0abc", "function:name", "bucket-name" */
  resource: string;
}

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

export function parseArn(arn: string): ParsedArn | undefined {
  const match = ARN.exec(arn);
  if (!match || arn.length > 2048) return undefined;
  const [, partition = "", service = "", region = "", accountId = "", resource = ""] = match;
  return { text: arn, partition, service, region, accountId, resource };
}

/** An ARN's resource type, as the Tagging API names it: "ec2:instance", "lambda:function", "s3" (a bucket's ARN names no type). */
export function arnResourceType(arn: ParsedArn): string {
  const type = /^([A-Za-z0-9-]+)[/:]/.exec(arn.resource)?.[1];
  return type === undefined ? arn.service : `${arn.service}:${type}`;
}

/** What a declaration says of its ARNs. */
export interface ServedArn {
  /** the Tagging API's resource type: "ec2:instance", "s3", "sns" */
  type: string;
  /** the declaration's id for an ARN; undefined where the ARN cannot name one */
  id: (arn: ParsedArn) => string | undefined;
}

const served = new Map<string, { target: () => LinkTarget<unknown>; id: ServedArn["id"] }>();

/** Registers a type's ARNs (declarations call this; the last word on a type wins). */
export function serveArns(spec: ServedArn, target: () => LinkTarget<unknown>): void {
  served.set(spec.type, { target, id: spec.id });
}

/** The part of an ARN's resource after its type: "instance/i-0abc" -> "i-0abc", "role/path/name" -> "path/name". */
export const afterType = (arn: ParsedArn): string => arn.resource.replace(/^[A-Za-z0-9-]+[/:]/, "");

/** The last part of an ARN's resource: "role/path/name" -> "name". */
export const lastPart = (arn: ParsedArn): string | undefined => arn.resource.split(/[/:]/).pop() || undefined;

/** A model as a Node interface's answer: a copy branded with its type (the loader's own is never changed). */
export function asNode<Model>(target: LinkTarget<Model>, model: Model | null): object | null {
  if (model === null || typeof model !== "object") return null;
  const node = { ...model };
  brandWithType(node, target.ref);
  return node;
}

/**
 * The gateway's node for an ARN: null for a type it does not serve, an account it does not reach,
 * or a resource that is gone; BAD_USER_INPUT for what is not an ARN.
 */
export async function nodeOfArn(ctx: ResourceContext, arn: string, listedIn?: string): Promise<object | null> {
  const parsed = parseArn(arn);
  if (!parsed) throw badInput("Not an ARN (arn:partition:service:region:account:resource).", { argument: "arn" });
  const entry = served.get(arnResourceType(parsed)) ?? served.get(parsed.service);
  const id = entry?.id(parsed);
  if (!entry || id === undefined) return null;
  // S3 buckets name no account (looked up in the account that listed them, or the gateway's own);
  // AWS's own policies name "aws", which every account sees.
  const account = parsed.accountId === "" ? (listedIn ?? "default") : parsed.accountId === "aws" ? "default" : await ctx.accounts.withId(parsed.accountId, ctx.aws);
  if (account === undefined) return null;
  const where: Placed = { account, region: parsed.region || undefined };
  if (where.region !== undefined) ctx.aws.region(where.region);
  const target = entry.target();
  return asNode(target, await target.loader(ctx).load(target.keyOf(where, id)));
}

/** Whether the gateway serves the type an ARN names. */
export const servesArn = (arn: string): boolean => {
  const parsed = parseArn(arn);
  return parsed !== undefined && (served.has(arnResourceType(parsed)) || served.has(parsed.service));
};

builder.queryFields((t) => ({
  resource: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: "the gateway's node for an ARN (an Ec2Instance, an S3Bucket, an IamRole, a LambdaFunction ...); null for a type it does not serve, an account it does not reach, or a resource that is gone",
    args: { arn: t.arg.string({ required: true }) },
    extensions: lookupCost(1),
    resolve: (_root, args, ctx) => nodeOfArn(ctx, args.arn),
  }),
}));
