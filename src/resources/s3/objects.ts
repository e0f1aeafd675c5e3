// A bucket's objects, flat (ListObjectsV2 by prefix) or as a folder (with a delimiter), in S3 order.
import { HeadObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type _Object } from "@aws-sdk/client-s3";
import { badInput } from "../../errors.js";
import { listSource, tokens, type ListOperation } from "../../aws/list-operation.js";
import { listCost } from "../../graphql/aws-cost.js";
import { builder, pagingArgs } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { exposed } from "../../graphql/kit/fields.js";
import { accountKey } from "../../aws/accounts.js";
import { lookupEach } from "../../aws/lookups.js";
import { connectionType, defineNode } from "../../graphql/kit/node.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import type { JsonSafe, PagedSource } from "../../pagination/source.js";
import { BUCKET_NAME, bucketRegion, S3Bucket, type S3BucketModel } from "./buckets.js";

const KEYS_PER_CALL = 1000;

type S3ObjectModel = {
  kind: "object";
  account: string;
  bucketName: string;
  key: string;
  size: number;
  lastModified?: string;
  eTag?: string;
  storageClass?: string;
};
type S3CommonPrefixModel = {
  kind: "prefix";
  prefix: string;
};
type S3FolderEntryModel = S3ObjectModel | S3CommonPrefixModel;

const toObject = (bucket: S3BucketModel) => (o: _Object): S3ObjectModel => ({
  kind: "object",
  account: bucket.account,
  bucketName: bucket.name,
  key: o.Key ?? "",
  size: o.Size ?? 0,
  lastModified: o.LastModified?.toISOString(),
  eTag: o.ETag,
  storageClass: o.StorageClass,
});

/** An object's node key: its bucket and its key, which S3 names nothing else by. */
const OBJECT_KEY = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/s;

// S3 lists in UTF-8 byte order, which JavaScript's UTF-16 comparison does not always follow.
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
// Sorts after every key under a prefix, so StartAfter skips a whole folder rolled up into that prefix.
const AFTER_EVERYTHING_UNDER = "\u{10FFFF}";

/**
 * ListObjectsV2 as a PagedSource, in the bucket's region (asked once per request). S3 lists by
 * key, so a position outlives its token: `tokens.keyed` asks again with StartAfter the last key.
 */
function s3ListingSource<Item extends JsonSafe>(
  ctx: ResourceContext,
  bucket: S3BucketModel,
  request: { prefix?: string; delimiter?: string },
  listing: { items(out: ListObjectsV2CommandOutput): Item[]; lastKey(out: ListObjectsV2CommandOutput): string | undefined },
): PagedSource<Item> {
  const operation: ListOperation<ListObjectsV2CommandOutput, Item> = {
    service: "s3",
    command: (input) => new ListObjectsV2Command({ Bucket: bucket.name, Prefix: request.prefix || undefined, Delimiter: request.delimiter || undefined, ...input }),
    tokens: tokens.keyed((out) => listing.lastKey(out as ListObjectsV2CommandOutput)),
    pageSize: { member: "MaxKeys", min: 1, max: KEYS_PER_CALL },
    items: listing.items,
  };
  return {
    minPageSize: 1,
    maxPageSize: KEYS_PER_CALL,
    async fetchPage(token, pageSize) {
      const region = await bucketRegion(ctx, bucket);
      return listSource(ctx.aws.forAccount(bucket.account), region, operation, (item) => item).fetchPage(token, pageSize);
    },
  };
}

function checkPrefix(prefix: string | null | undefined, delimiter?: string | null) {
  if (prefix && Buffer.byteLength(prefix) > 1024) throw badInput("`prefix` is longer than S3's 1,024-byte keys.", { argument: "prefix" });
  if (delimiter !== undefined && delimiter !== null && (delimiter.length === 0 || delimiter.length > 32)) {
    throw badInput("`delimiter` takes 1 to 32 characters.", { argument: "delimiter" });
  }
}

/** Objects are nodes: refetched with HeadObject in the bucket's region, null once they are gone. */
const S3Object = defineNode<S3ObjectModel>({
  name: "S3Object",
  key: (o) => accountKey(o.account, `${o.bucketName}/${o.key}`),
  lookup: lookupEach(
    (id) => {
      const [, bucket, key] = OBJECT_KEY.exec(id) ?? [];
      return bucket !== undefined && BUCKET_NAME.test(bucket) && key !== undefined && Buffer.byteLength(key) <= 1024;
    },
    async (id, ctx, account): Promise<S3ObjectModel> => {
      const [, bucketName, key] = OBJECT_KEY.exec(id) as unknown as [string, string, string];
      const region = await bucketRegion(ctx, { account, name: bucketName });
      const head = await ctx.aws.forAccount(account).send("s3", region, new HeadObjectCommand({ Bucket: bucketName, Key: key }));
      return {
        kind: "object",
        account,
        bucketName,
        key,
        size: head.ContentLength ?? 0,
        lastModified: head.LastModified?.toISOString(),
        eTag: head.ETag,
        // HeadObject leaves the class out for STANDARD objects, which listings name.
        storageClass: head.StorageClass ?? "STANDARD",
      };
    },
  ),
  fields: {
    bucketName: exposed("String"),
    key: exposed("String"),
    size: exposed("Float", { description: "bytes; a Float because objects exceed 2^31 bytes" }),
    lastModified: exposed("String", { nullable: true }),
    eTag: exposed("String", { nullable: true }),
    storageClass: exposed("String", { nullable: true }),
  },
});

const S3CommonPrefix = builder.objectRef<S3CommonPrefixModel>("S3CommonPrefix").implement({
  isTypeOf: (entry) => (entry as S3FolderEntryModel).kind === "prefix",
  fields: (t) => ({ prefix: t.exposeString("prefix") }),
});

const S3FolderEntry = builder.unionType("S3FolderEntry", {
  types: [S3Object.ref, S3CommonPrefix],
  resolveType: (entry) => (entry.kind === "prefix" ? "S3CommonPrefix" : "S3Object"),
});

const S3FolderConnection = connectionType(S3FolderEntry, "S3FolderConnection");

builder.objectFields(S3Bucket.ref, (t) => ({
  objects: t.field({
    type: S3Object.connection,
    description: "every key under prefix, in S3 order",
    extensions: listCost(KEYS_PER_CALL),
    args: { prefix: t.arg.string(), ...pagingArgs(t.arg) },
    resolve: (bucket, args, ctx) => {
      checkPrefix(args.prefix);
      const prefix = args.prefix ?? "";
      return resolveConnection(ctx, { field: "S3Bucket.objects", parentId: accountKey(bucket.account, bucket.name), args: { prefix } }, args, () =>
        s3ListingSource(ctx, bucket, { prefix }, { items: (out) => (out.Contents ?? []).map(toObject(bucket)), lastKey: (out) => out.Contents?.at(-1)?.Key }),
      );
    },
  }),
  folder: t.field({
    type: S3FolderConnection,
    description: "the objects and common prefixes directly under prefix, in S3 order",
    extensions: listCost(KEYS_PER_CALL),
    args: { prefix: t.arg.string(), delimiter: t.arg.string({ defaultValue: "/" }), ...pagingArgs(t.arg) },
    resolve: (bucket, args, ctx) => {
      checkPrefix(args.prefix, args.delimiter);
      const prefix = args.prefix ?? "";
      const delimiter = args.delimiter ?? "/";
      return resolveConnection(ctx, { field: "S3Bucket.folder", parentId: accountKey(bucket.account, bucket.name), args: { prefix, delimiter } }, args, () =>
        s3ListingSource<S3FolderEntryModel>(ctx, bucket, { prefix, delimiter }, {
          items: (out) =>
            [
              ...(out.Contents ?? []).map(toObject(bucket)),
              ...(out.CommonPrefixes ?? []).map((p): S3CommonPrefixModel => ({ kind: "prefix", prefix: p.Prefix ?? "" })),
            ].sort((a, b) => byteOrder(a.kind === "object" ? a.key : a.prefix, b.kind === "object" ? b.key : b.prefix)),
          lastKey: (out) => {
            const lastObject = out.Contents?.at(-1)?.Key;
            const lastPrefix = out.CommonPrefixes?.at(-1)?.Prefix;
            if (lastPrefix === undefined) return lastObject;
            const afterPrefix = lastPrefix + AFTER_EVERYTHING_UNDER;
            return lastObject === undefined || byteOrder(lastObject, afterPrefix) < 0 ? afterPrefix : lastObject;
          },
        }),
      );
    },
  }),
}));
