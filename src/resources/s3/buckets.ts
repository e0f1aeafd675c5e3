// S3 buckets: ListBuckets (ContinuationToken, MaxBuckets), HeadBucket, and each bucket's region.
import { GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import { awsListSource } from "../../aws/list-source.js";
import { listCost, lookupCost, perParentCost } from "../../graphql/aws-cost.js";
import { builder } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { exposed } from "../../graphql/kit/fields.js";
import { defineNode, loadOne, lookupEach } from "../../graphql/kit/node.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import { readAll } from "../../pagination/engine.js";

export type S3BucketModel = {
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
const s3BucketsSource = (ctx: ResourceContext) =>
  awsListSource(ctx.aws, {
    service: "s3",
    region: ctx.aws.defaultRegion,
    minPageSize: BUCKETS_PER_CALL,
    maxPageSize: BUCKETS_PER_CALL,
    command: (token, pageSize) => new ListBucketsCommand({ MaxBuckets: pageSize, ContinuationToken: token }),
    items: (out) =>
      (out.Buckets ?? []).map((b): S3BucketModel => ({ name: b.Name ?? "", creationDate: b.CreationDate?.toISOString(), region: b.BucketRegion || undefined })),
    nextToken: (out) => out.ContinuationToken,
  });

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** GetBucketLocation's answer as a region name: empty means us-east-1, "EU" the old name of eu-west-1. */
export const locationToRegion = (location: string | undefined) => (!location ? "us-east-1" : location === "EU" ? "eu-west-1" : location);

const bucketRegions = createContextCache(
  (ctx: ResourceContext) =>
    new DataLoader<string, string>((names) =>
      Promise.all(
        names.map(async (name) => {
          try {
            const out = await ctx.aws.send("s3", ctx.aws.defaultRegion, new GetBucketLocationCommand({ Bucket: name }));
            return locationToRegion(out.LocationConstraint);
          } catch (error) {
            return error as Error;
          }
        }),
      ),
    ),
);

/** The region of a bucket, asked of S3 at most once per bucket and request. */
export async function bucketRegion(ctx: ResourceContext, bucket: S3BucketModel): Promise<string> {
  return bucket.region ?? bucketRegions(ctx).load(bucket.name);
}

/** The account's own buckets, listed once per request when a bucket fetched by name needs its creation date. */
const ownedBuckets = createContextCache(
  (ctx: ResourceContext) => readAll(s3BucketsSource(ctx), ctx.paging.maxAwsCallsPerPage).then((all) => new Map(all.map((b) => [b.name, b]))),
);

export const S3Bucket = defineNode<S3BucketModel>({
  name: "S3Bucket",
  key: (b) => b.name,
  // Buckets by name, one HeadBucket each, which also tells the region; null when absent.
  lookup: lookupEach(
    (name) => BUCKET_NAME.test(name),
    async (name, ctx): Promise<S3BucketModel> => {
      const head = await ctx.aws.send("s3", ctx.aws.defaultRegion, new HeadBucketCommand({ Bucket: name }));
      return { name, region: head.BucketRegion || undefined };
    },
  ),
  fields: { name: exposed("String") },
  resolvedFields: (t) => ({
    creationDate: t.string({
      nullable: true,
      resolve: async (b, _args, ctx) => b.creationDate ?? (await ownedBuckets(ctx)).get(b.name)?.creationDate,
    }),
    region: t.string({ nullable: true, extensions: perParentCost(), resolve: (b, _args, ctx) => bucketRegion(ctx, b) }),
  }),
});

builder.queryFields((t) => ({
  s3Buckets: t.field({
    type: S3Bucket.connection,
    args: { first: t.arg.int(), after: t.arg.string() },
    extensions: listCost(BUCKETS_PER_CALL),
    resolve: (_root, args, ctx) => resolveConnection(ctx, { field: "Query.s3Buckets", args: {} }, args, () => s3BucketsSource(ctx)),
  }),
  s3Bucket: t.field({
    type: S3Bucket.ref,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    extensions: lookupCost(1),
    resolve: (_root, args, ctx) => loadOne(S3Bucket, ctx, args.name),
  }),
}));
