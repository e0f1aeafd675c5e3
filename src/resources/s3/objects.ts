// A bucket's objects, flat (ListObjectsV2 by prefix) or as a folder (with a delimiter), in S3 order,
// in the bucket's region. S3 lists by key, so a position outlives its token (tokens.keyed).
import { HeadObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type _Object } from "@aws-sdk/client-s3";
import { tokens, type ListOperation, type PageInput } from "../../aws/list-operation.js";
import { badInput } from "../../errors.js";
import { listCost } from "../../graphql/aws-cost.js";
import { builder, pagingArgs } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { connectionType } from "../../graphql/kit/node.js";
import { links, resource } from "../../graphql/kit/resource.js";
import { listSource } from "../../aws/list-operation.js";
import { BUCKET_NAME, bucketRegion, S3Bucket } from "./buckets.js";

const KEYS_PER_CALL = 1000;

/** An object's node key: its bucket and its key, which S3 names nothing else by. */
const OBJECT_KEY = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/s;

// S3 lists in UTF-8 byte order, which JavaScript's UTF-16 comparison does not always follow.
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
// Sorts after every key under a prefix, so StartAfter skips a whole folder rolled up into that prefix.
const AFTER_EVERYTHING_UNDER = "\u{10FFFF}";

function checkPrefix(prefix: unknown, delimiter?: unknown): string | undefined {
  if (typeof prefix === "string" && Buffer.byteLength(prefix) > 1024) throw badInput("`prefix` is longer than S3's 1,024-byte keys.", { argument: "prefix" });
  if (typeof delimiter === "string" && (delimiter.length === 0 || delimiter.length > 32)) throw badInput("`delimiter` takes 1 to 32 characters.", { argument: "delimiter" });
  return typeof prefix === "string" && prefix !== "" ? prefix : undefined;
}

/** An object as ListObjectsV2 lists it, with the bucket the request named. */
type ListedObject = _Object & { Bucket: string };

const objectsOf = (out: ListObjectsV2CommandOutput, input: PageInput): ListedObject[] => (out.Contents ?? []).map((o) => ({ ...o, Bucket: String(input.Bucket) }));

const listObjects = (lastKey: (out: ListObjectsV2CommandOutput) => string | undefined) => ({
  service: "s3" as const,
  command: (input: PageInput) => new ListObjectsV2Command({ Bucket: "", ...input }),
  tokens: tokens.keyed(lastKey),
  pageSize: { member: "MaxKeys", min: 1, max: KEYS_PER_CALL },
});

/** Objects are nodes: refetched with HeadObject in the bucket's region, null once they are gone. */
export const S3Object = resource({
  name: "S3Object",
  scope: "global",
  list: { ...listObjects((out) => out.Contents?.at(-1)?.Key), items: objectsOf },
  id: {
    field: "bucketKey",
    pattern: (id) => {
      const [, bucket, key] = OBJECT_KEY.exec(id) ?? [];
      return bucket !== undefined && BUCKET_NAME.test(bucket) && key !== undefined && Buffer.byteLength(key) <= 1024;
    },
    lookup: {
      each: async (id, _send, { ctx, account }) => {
        const [, bucket = "", key = ""] = OBJECT_KEY.exec(id) ?? [];
        const region = await bucketRegion(ctx, { account, name: bucket });
        const head = await ctx.aws.forAccount(account).send("s3", region, new HeadObjectCommand({ Bucket: bucket, Key: key }));
        // HeadObject leaves the class out for STANDARD objects, which listings name.
        return { Bucket: bucket, Key: key, Size: head.ContentLength, LastModified: head.LastModified, ETag: head.ETag, StorageClass: head.StorageClass ?? "STANDARD" };
      },
    },
  },
  fields: (f) => ({
    bucketKey: f.kept((o) => `${o.Bucket}/${o.Key ?? ""}`),
    bucketName: f.requiredString((o) => o.Bucket),
    key: f.requiredString((o) => o.Key ?? ""),
    size: f.requiredFloat((o) => o.Size ?? 0, "bytes; a Float because objects exceed 2^31 bytes"),
    lastModified: f.date((o) => o.LastModified),
    eTag: f.string((o) => o.ETag),
    storageClass: f.string((o) => o.StorageClass),
  }),
  filters: {
    arguments: (t) => ({ prefix: t.string() }),
    input: ({ args, parent }) => ({ ...parent, Prefix: checkPrefix(args?.prefix) }),
  },
  // found by bucket and key, not by ARN: an object's ARN reads as a bucket's with more after it
  arn: { type: "s3:object", id: () => undefined, of: { build: (o) => `arn:aws:s3:::${o.bucketName}/${o.key}` } },
});

links(S3Bucket, (l) => ({
  objects: l.children(() => S3Object, (bucket) => ({ Bucket: bucket.name }), "every key under prefix, in S3 order", {
    region: (bucket, ctx) => bucketRegion(ctx, bucket),
    withArguments: true,
  }),
}));

type S3ObjectModel = ReturnType<ReturnType<typeof S3Object.toModel>>;
type S3CommonPrefixModel = { kind: "prefix"; prefix: string };
type S3FolderEntryModel = S3ObjectModel | S3CommonPrefixModel;
const isPrefix = (entry: object): entry is S3CommonPrefixModel => "kind" in entry && entry.kind === "prefix";

const S3CommonPrefix = builder.objectRef<S3CommonPrefixModel>("S3CommonPrefix").implement({
  isTypeOf: (entry) => typeof entry === "object" && entry !== null && isPrefix(entry),
  fields: (t) => ({ prefix: t.exposeString("prefix") }),
});

const S3FolderEntry = builder.unionType("S3FolderEntry", {
  types: [S3Object.ref, S3CommonPrefix],
  resolveType: (entry) => (isPrefix(entry) ? "S3CommonPrefix" : "S3Object"),
});

const S3FolderConnection = connectionType(S3FolderEntry, "S3FolderConnection");

/** Where a folder's answer ends: after its last object, or after everything under its last common prefix. */
function folderEnd(out: ListObjectsV2CommandOutput): string | undefined {
  const lastObject = out.Contents?.at(-1)?.Key;
  const lastPrefix = out.CommonPrefixes?.at(-1)?.Prefix;
  if (lastPrefix === undefined) return lastObject;
  const afterPrefix = lastPrefix + AFTER_EVERYTHING_UNDER;
  return lastObject === undefined || byteOrder(lastObject, afterPrefix) < 0 ? afterPrefix : lastObject;
}

builder.objectFields(S3Bucket.ref, (t) => ({
  folder: t.field({
    type: S3FolderConnection,
    description: "the objects and common prefixes directly under prefix, in S3 order",
    extensions: listCost(KEYS_PER_CALL),
    args: { prefix: t.arg.string(), delimiter: t.arg.string({ defaultValue: "/" }), ...pagingArgs(t.arg) },
    resolve: (bucket, args, ctx) => {
      const prefix = checkPrefix(args.prefix, args.delimiter);
      const delimiter = args.delimiter ?? "/";
      const toObject = S3Object.toModel(bucket);
      const operation: ListOperation<ListObjectsV2CommandOutput, S3FolderEntryModel> = {
        ...listObjects(folderEnd),
        items: (out, input) =>
          [...objectsOf(out, input).map(toObject), ...(out.CommonPrefixes ?? []).map((p): S3CommonPrefixModel => ({ kind: "prefix", prefix: p.Prefix ?? "" }))].sort((a, b) =>
            byteOrder(isPrefix(a) ? a.prefix : a.key, isPrefix(b) ? b.prefix : b.key),
          ),
      };
      const listing = { field: "S3Bucket.folder", parentId: JSON.stringify([bucket.account, bucket.name]), args: { prefix: prefix ?? "", delimiter } };
      return resolveConnection(ctx, listing, args, async () =>
        listSource(ctx.aws.forAccount(bucket.account), await bucketRegion(ctx, bucket), operation, (entry) => entry, { Bucket: bucket.name, Prefix: prefix, Delimiter: delimiter }),
      );
    },
  }),
}));
