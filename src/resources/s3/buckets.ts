// S3 buckets: ListBuckets (ContinuationToken, MaxBuckets), HeadBucket, and each bucket's region.
import { GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import { listSource, tokens } from "../../aws/list-operation.js";
import { listCost, lookupCost, perParentCost } from "../../graphql/aws-cost.js";
import { builder, pagingArgs } from "../../graphql/builder.js";
import { accountsListing } from "../../aws/sources.js";
import { accountsArgs, resolveConnection } from "../../graphql/connection.js";
import { exposed } from "../../graphql/kit/fields.js";
import { accountKey } from "../../aws/accounts.js";
import { lookupEach } from "../../aws/lookups.js";
import { defineNode, loadOne } from "../../graphql/kit/node.js";
import { pathToArray } from "graphql/jsutils/Path.js";
import type { RequestAws } from "../../aws/clients.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import { readAll } from "../../pagination/engine.js";

export type S3BucketModel = {
  account: string;
  name: string;
  creationDate?: string;
  region?: string;
};

const BUCKETS_PER_CALL = 10_000;

/**
 * ListBuckets always asks for the largest page. moto honours MaxBuckets but drops the continuation
 * token (its listing ends silently after one page), and a bucket list fits one page for nearly
 * every account; beyond 10,000 buckets AWS's continuation token takes over.
 */
const s3BucketsSource = (aws: RequestAws) =>
  listSource(
    aws,
    aws.defaultRegion,
    {
      service: "s3",
      command: (input) => new ListBucketsCommand(input),
      tokens: tokens.field("ContinuationToken"),
      pageSize: { member: "MaxBuckets", min: BUCKETS_PER_CALL, max: BUCKETS_PER_CALL },
      items: (out) => out.Buckets,
    },
    (b): S3BucketModel => ({ account: aws.account, name: b.Name ?? "", creationDate: b.CreationDate?.toISOString(), region: b.BucketRegion || undefined }),
  );

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** GetBucketLocation's answer as a region name: empty means us-east-1, "EU" the old name of eu-west-1. */
export const locationToRegion = (location: string | undefined) => (!location ? "us-east-1" : location === "EU" ? "eu-west-1" : location);

/** Bucket regions by `account bucket`. */
const bucketRegions = createContextCache(
  (ctx: ResourceContext) =>
    new DataLoader<string, string>((keys) =>
      Promise.all(
        keys.map(async (key) => {
          const [account, name] = key.split(" ") as [string, string];
          try {
            const aws = ctx.aws.forAccount(account);
            const out = await aws.send("s3", aws.defaultRegion, new GetBucketLocationCommand({ Bucket: name }));
            return locationToRegion(out.LocationConstraint);
          } catch (error) {
            return error as Error;
          }
        }),
      ),
    ),
);

/** The region of a bucket, asked of S3 at most once per bucket and request. */
export async function bucketRegion(ctx: ResourceContext, bucket: Pick<S3BucketModel, "account" | "name" | "region">): Promise<string> {
  return bucket.region ?? bucketRegions(ctx).load(`${bucket.account} ${bucket.name}`);
}

/** An account's own buckets, listed once per request and account when a bucket fetched by name needs its creation date. */
const ownedBuckets = createContextCache((ctx: ResourceContext) => {
  const byAccount = new Map<string, Promise<Map<string, S3BucketModel>>>();
  return (account: string) => {
    let buckets = byAccount.get(account);
    if (!buckets) {
      buckets = readAll(s3BucketsSource(ctx.aws.forAccount(account)), ctx.paging.maxAwsCallsPerPage).then((all) => new Map(all.map((b) => [b.name, b])));
      byAccount.set(account, buckets);
    }
    return buckets;
  };
});

export const S3Bucket = defineNode<S3BucketModel>({
  name: "S3Bucket",
  key: (b) => accountKey(b.account, b.name),
  // Buckets by name, one HeadBucket each, which also tells the region; null when absent.
  lookup: lookupEach(
    (name) => BUCKET_NAME.test(name),
    async (name, ctx, account): Promise<S3BucketModel> => {
      const aws = ctx.aws.forAccount(account);
      const head = await aws.send("s3", aws.defaultRegion, new HeadBucketCommand({ Bucket: name }));
      return { account, name, region: head.BucketRegion || undefined };
    },
  ),
  fields: { name: exposed("String") },
  resolvedFields: (t) => ({
    creationDate: t.string({
      nullable: true,
      resolve: async (b, _args, ctx) => b.creationDate ?? (await ownedBuckets(ctx)(b.account)).get(b.name)?.creationDate,
    }),
    region: t.string({ nullable: true, extensions: perParentCost(), resolve: (b, _args, ctx) => bucketRegion(ctx, b) }),
  }),
});

builder.queryFields((t) => ({
  s3Buckets: t.field({
    type: S3Bucket.connection,
    args: { accounts: t.arg.stringList(), ...pagingArgs(t.arg) },
    extensions: listCost(BUCKETS_PER_CALL),
    resolve: (_root, args, ctx, info) => {
      const accounts = ctx.accounts.named(args.accounts);
      const listing = { field: "Query.s3Buckets", args: accountsArgs(accounts, {}, args.accounts != null), path: pathToArray(info.path) };
      return resolveConnection(ctx, listing, args, () => accountsListing(ctx, accounts, s3BucketsSource));
    },
  }),
  s3Bucket: t.field({
    type: S3Bucket.ref,
    nullable: true,
    args: { name: t.arg.string({ required: true }), account: t.arg.string() },
    extensions: lookupCost(1),
    resolve: (_root, args, ctx) => loadOne(S3Bucket, ctx, accountKey(ctx.accounts.one(args.account), args.name)),
  }),
}));
