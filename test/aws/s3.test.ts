import {
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
  type ListBucketsCommandInput,
  type ListObjectsV2CommandInput,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startInProcessGateway, type InProcessGateway } from "../support/gateway.js";
import { walkConnection } from "../support/walk.js";

const s3 = mockClient(S3Client);
const keys = Array.from({ length: 250 }, (_, i) => `data/${String(i).padStart(4, "0")}.bin`);
const denied = (message = "Access Denied for arn:aws:iam::123456789012:user/gw") =>
  Object.assign(new Error(message), { name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 } });

/** ListObjectsV2 as S3 pages it, with tokens that can be made to go stale. */
let staleTokens = false;
function honestListing(listing: string[]) {
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    if (input.ContinuationToken && staleTokens) {
      throw Object.assign(new Error("The continuation token provided is incorrect"), { name: "InvalidArgument", $fault: "client", $metadata: { httpStatusCode: 400 } });
    }
    const start = input.ContinuationToken
      ? Number(input.ContinuationToken.slice(4))
      : input.StartAfter
        ? listing.findIndex((k) => k > input.StartAfter!)
        : 0;
    const from = start < 0 ? listing.length : start;
    const page = listing.slice(from, from + (input.MaxKeys ?? 1000));
    const truncated = from + page.length < listing.length;
    return {
      Contents: page.map((Key, i) => ({ Key, Size: i === 0 ? 5 * 1024 ** 3 + 7 : 10, LastModified: new Date(Date.UTC(2026, 0, 1)) })),
      IsTruncated: truncated,
      NextContinuationToken: truncated ? `tok-${from + page.length}` : undefined,
      KeyCount: page.length,
    };
  });
}

let gateway: InProcessGateway;
beforeAll(async () => {
  gateway = await startInProcessGateway({});
});
afterAll(async () => {
  await gateway.close();
  s3.restore();
});
beforeEach(() => {
  s3.reset();
  staleTokens = false;
  s3.on(HeadBucketCommand).resolves({ BucketRegion: "eu-central-1" });
});

const OBJECTS = `query($first: Int, $after: String) { s3Bucket(name: "archive-bucket") {
  objects(first: $first, after: $after) { edges { cursor node { key size lastModified } } pageInfo { hasNextPage endCursor } } } }`;

describe("S3 behaviour the emulator does not show", () => {
  it("resumes with StartAfter the last key when S3 refuses a stored continuation token, and the walk goes on exactly", async () => {
    honestListing(keys);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; ; page += 1) {
      staleTokens = page % 2 === 1;
      const answer = await gateway.query(OBJECTS, { first: 40, after });
      expect(answer.errors).toBeUndefined();
      const connection = answer.data!.s3Bucket.objects;
      // resume mid-page now and then: the page is asked again by StartAfter and skipped into
      const edge = page % 3 === 2 ? 10 : connection.edges.length - 1;
      seen.push(...connection.edges.slice(0, edge + 1).map((e: any) => e.node.key));
      if (!connection.pageInfo.hasNextPage && edge === connection.edges.length - 1) break;
      after = connection.edges[edge].cursor;
    }
    expect(seen).toEqual(keys);
    expect(s3.commandCalls(ListObjectsV2Command).some((c) => c.args[0].input.StartAfter !== undefined)).toBe(true);
  });

  it("makes every call on a bucket's objects in the bucket's region", async () => {
    honestListing(keys);
    await gateway.query(OBJECTS, { first: 10 });
    const regions = await Promise.all(s3.commandCalls(ListObjectsV2Command).map((c) => (c.thisValue as S3Client).config.region()));
    expect(regions).toEqual(["eu-central-1"]);
  });

  it("returns object sizes over 2 GiB exactly, as Float, and times as ISO-8601", async () => {
    honestListing(keys);
    const answer = await gateway.query(OBJECTS, { first: 1 });
    expect(answer.data!.s3Bucket.objects.edges[0].node).toEqual({ key: keys[0], size: 5 * 1024 ** 3 + 7, lastModified: "2026-01-01T00:00:00.000Z" });
  });

  it("pages ListBuckets by continuation token beyond one page of 10,000 buckets", async () => {
    const names = Array.from({ length: 10_250 }, (_, i) => `bucket-${String(i).padStart(5, "0")}`);
    s3.on(ListBucketsCommand).callsFake((input: ListBucketsCommandInput) => {
      const from = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const to = from + (input.MaxBuckets ?? names.length);
      return { Buckets: names.slice(from, to).map((Name) => ({ Name, BucketRegion: "us-east-1" })), ContinuationToken: to < names.length ? String(to) : undefined };
    });
    const walk = await walkConnection(gateway, `query($first: Int, $after: String) { s3Buckets(first: $first, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`, ["s3Buckets"], { firsts: [1000] });
    expect(walk.nodes.map((b: any) => b.name)).toEqual(names);
    expect(walk.operations.ListBuckets).toBe(2);
  });

  it("surfaces access denied on one bucket's field only; the other buckets still answer", async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: ["open-a", "locked-b", "open-c"].map((Name) => ({ Name, BucketRegion: "us-east-1" })) });
    s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
      if (input.Bucket === "locked-b") throw denied();
      return { Contents: [{ Key: `${input.Bucket}/k`, Size: 1 }], IsTruncated: false };
    });
    const answer = await gateway.query(`{ s3Buckets(first: 10) { edges { node { name objects(first: 5) { edges { node { key } } } } } } }`);
    expect(answer.data!.s3Buckets.edges.map((e: any) => e?.node.name ?? null)).toEqual(["open-a", null, "open-c"]);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions?.code).toBe("AWS_ACCESS_DENIED");
    expect(answer.errors![0]!.path).toEqual(["s3Buckets", "edges", 1, "node", "objects"]);
    expect(JSON.stringify(answer)).not.toContain("123456789012");
  });

  it("answers s3Bucket with AWS_ACCESS_DENIED when HeadBucket is refused, and null when it is not found", async () => {
    s3.on(HeadBucketCommand, { Bucket: "locked-b" }).rejects(denied());
    s3.on(HeadBucketCommand, { Bucket: "gone-bucket" }).rejects(Object.assign(new Error("NotFound"), { name: "NotFound", $fault: "client", $metadata: { httpStatusCode: 404 } }));
    const answer = await gateway.query(`{ locked: s3Bucket(name: "locked-b") { name } gone: s3Bucket(name: "gone-bucket") { name } }`);
    expect(answer.data).toEqual({ locked: null, gone: null });
    expect(answer.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["locked"], "AWS_ACCESS_DENIED"]]);
  });

  it("asks GetBucketLocation once per bucket and request, and reads the old EU name as eu-west-1", async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: "old-eu" }, { Name: "plain" }] });
    s3.on(GetBucketLocationCommand, { Bucket: "old-eu" }).resolves({ LocationConstraint: "EU" });
    s3.on(GetBucketLocationCommand, { Bucket: "plain" }).resolves({});
    const answer = await gateway.query(`{ s3Buckets { edges { node { name region again: region } } } }`);
    expect(answer.data!.s3Buckets.edges.map((e: any) => e.node)).toEqual([
      { name: "old-eu", region: "eu-west-1", again: "eu-west-1" },
      { name: "plain", region: "us-east-1", again: "us-east-1" },
    ]);
    expect(s3.commandCalls(GetBucketLocationCommand)).toHaveLength(2);
  });
});
