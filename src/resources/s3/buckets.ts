// S3 buckets: ListBuckets (ContinuationToken, MaxBuckets), HeadBucket per name, and each bucket's
// region (GetBucketLocation, where neither the listing nor HeadBucket said it).
import { GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { createContextCache } from "@pothos/core";
import { tokens } from "../../aws/list-operation.js";
import { builder } from "../../graphql/builder.js";
import { resource } from "../../graphql/kit/resource.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import { readAll } from "../../pagination/engine.js";

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** GetBucketLocation's answer as a region name: empty means us-east-1, "EU" the old name of eu-west-1. */
export const locationToRegion = (location: string | undefined) => (!location ? "us-east-1" : location === "EU" ? "eu-west-1" : location);

/**
 * ListBuckets always asks for the largest page. moto honours MaxBuckets but drops the continuation
 * token (its listing ends silently after one page), and a bucket list fits one page for nearly
 * every account; beyond 10,000 buckets AWS's continuation token takes over.
 */
const BUCKETS_PER_CALL = 10_000;

export const S3Bucket = resource({
  name: "S3Bucket",
  scope: "global",
  list: {
    service: "s3",
    command: (input) => new ListBucketsCommand(input),
    tokens: tokens.field("ContinuationToken"),
    pageSize: { member: "MaxBuckets", min: BUCKETS_PER_CALL, max: BUCKETS_PER_CALL },
    items: (out) => out.Buckets,
  },
  query: { list: "s3Buckets", single: "s3Bucket" },
  id: {
    field: "name",
    pattern: BUCKET_NAME,
    // One HeadBucket a name, which also tells the region; null when absent.
    lookup: {
      each: async (name, send) => {
        const head = await send(new HeadBucketCommand({ Bucket: name }));
        return { Name: name, BucketRegion: head.BucketRegion };
      },
    },
  },
  fields: (f) => ({
    name: f.requiredString((b) => b.Name ?? ""),
    listedCreationDate: f.kept((b) => b.CreationDate?.toISOString()),
  }),
  detail: {
    idsPerCall: 1,
    describe: async ([name], send) => [{ name: name!, location: (await send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint ?? "" }],
    id: (bucket) => bucket.name,
    item: (bucket) => ({ Name: bucket.name }),
    known: (b) => (b.BucketRegion ? { name: b.Name ?? "", location: b.BucketRegion } : undefined),
    fields: (f) => ({ region: f.string((bucket) => locationToRegion(bucket.location)) }),
  },
  arn: { type: "s3", id: (a) => (a.resource.includes("/") ? undefined : a.resource), of: { build: (b) => `arn:aws:s3:::${b.name}` } },
});

export type S3BucketModel = ReturnType<ReturnType<typeof S3Bucket.toModel>>;

/**
 * The region of a bucket: as its listing or HeadBucket told it, else asked of S3 once per bucket
 * and request (a bucket that is gone is listed in the default region, where S3 says so).
 */
export async function bucketRegion(ctx: ResourceContext, bucket: { account: string; name: string }): Promise<string> {
  return (await S3Bucket.detailOf(ctx, { listedCreationDate: undefined, ...bucket }))?.region ?? ctx.aws.defaultRegion;
}

/** An account's own buckets, listed once per request and account when a bucket found by name needs its creation date. */
const ownedBuckets = createContextCache((ctx: ResourceContext) => {
  const byAccount = new Map<string, Promise<Map<string, string | undefined>>>();
  return (account: string) => {
    let buckets = byAccount.get(account);
    if (!buckets) {
      const aws = ctx.aws.forAccount(account);
      buckets = readAll(S3Bucket.source(aws, aws.defaultRegion, {}), ctx.paging.maxAwsCallsPerPage).then((all) => new Map(all.map((b) => [b.name, b.listedCreationDate])));
      byAccount.set(account, buckets);
    }
    return buckets;
  };
});

builder.objectFields(S3Bucket.ref, (t) => ({
  creationDate: t.string({
    nullable: true,
    resolve: async (b, _args, ctx) => b.listedCreationDate ?? (await ownedBuckets(ctx)(b.account)).get(b.name),
  }),
}));
