import { DeleteObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedS3 } from "../../demo/seed.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { walkConnection } from "../support/walk.js";

const BUCKETS: Record<string, string> = {
  "inventory-big": "eu-west-1",
  "inventory-empty": "us-east-1",
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`team-bucket-${String(i).padStart(2, "0")}`, ["us-east-1", "eu-west-1", "ap-southeast-2"][i % 3]!])),
};
const BIG_KEYS = 3000;

let moto: Moto;
let gateway: TestGateway;
let s3: S3Client;

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function sdkKeys(bucket: string, prefix?: string, delimiter?: string): Promise<string[]> {
  const entries: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3, pageSize: 250 }, { Bucket: bucket, Prefix: prefix, Delimiter: delimiter })) {
    entries.push(...(page.Contents ?? []).map((o) => o.Key!), ...(page.CommonPrefixes ?? []).map((p) => `prefix:${p.Prefix}`));
  }
  return entries;
}

beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
  await seedS3({ endpoint: moto.endpoint }, { buckets: BUCKETS, bigBucket: "inventory-big", bigBucketKeys: BIG_KEYS, keysPerBucket: 5, emptyBuckets: ["inventory-empty"] });
  gateway = await startGateway(motoEnv(moto.endpoint));
}, 240_000);

afterAll(async () => {
  await gateway?.close();
  s3?.destroy();
  await moto?.stop();
});

const OBJECTS = `query($bucket: String!, $prefix: String, $first: Int, $after: String) { s3Bucket(name: $bucket) {
  objects(prefix: $prefix, first: $first, after: $after) { edges { cursor node { key size lastModified eTag storageClass } } pageInfo { hasNextPage endCursor } } } }`;
const FOLDER = `query($bucket: String!, $prefix: String, $first: Int, $after: String) { s3Bucket(name: $bucket) {
  folder(prefix: $prefix, first: $first, after: $after) { edges { cursor node { __typename ... on S3Object { key size } ... on S3CommonPrefix { prefix } } } pageInfo { hasNextPage endCursor } } } }`;
const folderEntry = (n: any) => (n.__typename === "S3CommonPrefix" ? `prefix:${n.prefix}` : n.key);

describe("S3 against moto_server", () => {
  it("lists every bucket once, with its region, for any page size", async () => {
    const expected = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
    expect(expected).toHaveLength(Object.keys(BUCKETS).length);
    for (const first of [1, 3, 5, 50]) {
      const walk = await walkConnection(gateway, `query($first: Int, $after: String) { s3Buckets(first: $first, after: $after) {
        edges { cursor node { name region creationDate } } pageInfo { hasNextPage endCursor } } }`, ["s3Buckets"], { firsts: [first] });
      expect(walk.nodes.map((b: any) => b.name)).toEqual(expected);
      expect(Object.fromEntries(walk.nodes.map((b: any) => [b.name, b.region]))).toEqual(BUCKETS);
      expect(walk.nodes.every((b: any) => !Number.isNaN(Date.parse(b.creationDate)))).toBe(true);
      // the bucket list is read from AWS once however small the pages: the rest comes from the held page
      expect(walk.operations.ListBuckets).toBe(1);
    }
  });

  it("walks several thousand keys exactly once, in S3 order, with random page sizes and resumes", async () => {
    const expected = await sdkKeys("inventory-big");
    expect(expected).toHaveLength(BIG_KEYS);
    expect(expected.some((k) => k.includes(" "))).toBe(true);
    expect(expected.some((k) => /[^\x00-\x7f]/.test(k))).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), async (firsts, choices) => {
        const walk = await walkConnection(gateway, OBJECTS, ["s3Bucket", "objects"], {
          firsts: firsts.map((f) => (f < 50 ? f + 50 : f)),
          variables: { bucket: "inventory-big" },
          resumeAt: (count, page) => (page % 2 === 0 ? count - 1 : choices[page % choices.length]! % count),
        });
        expect(walk.nodes.map((o: any) => o.key)).toEqual(expected);
      }),
      { numRuns: 4 },
    );
  });

  it("costs ceil(N / first) ListObjectsV2 calls on a forward walk", async () => {
    for (const first of [100, 1000]) {
      const walk = await walkConnection(gateway, OBJECTS, ["s3Bucket", "objects"], { firsts: [first], variables: { bucket: "inventory-big" } });
      expect(walk.nodes).toHaveLength(BIG_KEYS);
      expect(walk.operations.ListObjectsV2).toBe(Math.ceil(BIG_KEYS / first));
      // s3Bucket(name) asks HeadBucket once a request: existence and region in one call
      expect(walk.operations.HeadBucket).toBe(walk.requests);
      expect(walk.awsCalls).toBe(walk.requests + Math.ceil(BIG_KEYS / first));
    }
  });

  it("walks a prefix, and an empty bucket as an empty connection", async () => {
    const expected = await sdkKeys("inventory-big", "données/");
    expect(expected.length).toBeGreaterThan(10);
    const walk = await walkConnection(gateway, OBJECTS, ["s3Bucket", "objects"], { firsts: [7], variables: { bucket: "inventory-big", prefix: "données/" } });
    expect(walk.nodes.map((o: any) => o.key)).toEqual(expected);
    const empty = await gateway.query(OBJECTS, { bucket: "inventory-empty", first: 10 });
    expect(empty.data!.s3Bucket.objects).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("browses folders: objects and common prefixes in S3 order, resuming exactly across mixed page boundaries", async () => {
    for (const prefix of ["", "logs/", "logs/2026-01/", "my folder/"]) {
      const expected = (await sdkKeys("inventory-big", prefix, "/")).sort((a, b) => byteOrder(a.replace(/^prefix:/, ""), b.replace(/^prefix:/, "")));
      expect(expected.length, prefix).toBeGreaterThan(0);
      for (const firsts of [[1], [2, 3], [1000]]) {
        const walk = await walkConnection(gateway, FOLDER, ["s3Bucket", "folder"], {
          firsts,
          variables: { bucket: "inventory-big", prefix },
          resumeAt: (count, page) => (page % 3 === 1 ? 0 : count - 1),
        });
        expect(walk.nodes.map(folderEntry), `${prefix} ${firsts}`).toEqual(expected);
      }
    }
  });

  it("answers null for a bucket that does not exist, and resolves one by node id", async () => {
    const answer = await gateway.query(`{ missing: s3Bucket(name: "no-such-bucket-here") { name } bad: s3Bucket(name: "Not A Bucket!") { name }
      team: s3Bucket(name: "team-bucket-01") { id name region } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.missing).toBeNull();
    expect(answer.data!.bad).toBeNull();
    expect(answer.data!.team.region).toBe("eu-west-1");
    const node = await gateway.query(`query($id: ID!) { node(id: $id) { ... on S3Bucket { name } } }`, { id: answer.data!.team.id });
    expect(node.data!.node).toEqual({ name: "team-bucket-01" });
  });

  it("is honest about moto: ListBuckets with MaxBuckets truncates without a continuation token", async () => {
    const page = await s3.send(new ListBucketsCommand({ MaxBuckets: 2 }));
    expect(page.Buckets).toHaveLength(2);
    expect(page.ContinuationToken).toBeUndefined();
    // and a forged continuation token is an HTTP 500 there, where AWS answers 400
    await expect(s3.send(new ListObjectsV2Command({ Bucket: "inventory-big", ContinuationToken: "forged" }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
  });

  it("gives objects node ids that refetch them with HeadObject, in their bucket's region, and null once they are gone", async () => {
    const bucket = "team-bucket-01"; // in eu-west-1
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "reports/2026/ünïcode key.csv", Body: "a,b\n1,2\n" }));
    const listed = await gateway.query(`{ s3Bucket(name: "${bucket}") { objects(prefix: "reports/2026/", first: 5) { edges { node { id bucketName key size eTag storageClass lastModified } } } } }`);
    expect(listed.errors).toBeUndefined();
    const [object] = listed.data!.s3Bucket.objects.edges.map((e: any) => e.node);
    expect(object).toMatchObject({ bucketName: bucket, key: "reports/2026/ünïcode key.csv", size: 8 });

    const refetch = `query($id: ID!) { node(id: $id) { __typename id ... on S3Object { bucketName key size eTag storageClass lastModified } } }`;
    const refetched = await gateway.query(refetch, { id: object.id });
    expect(refetched.errors).toBeUndefined();
    expect(refetched.data!.node).toEqual({ __typename: "S3Object", ...object });
    expect(refetched.extensions!.aws.operations.HeadObject).toBe(1);

    const folder = await gateway.query(`{ s3Bucket(name: "${bucket}") { folder(prefix: "reports/2026/", first: 5) { edges { node { ... on S3Object { id } } } } } }`);
    expect(folder.data!.s3Bucket.folder.edges[0].node.id).toBe(object.id);

    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "reports/2026/ünïcode key.csv" }));
    const gone = await gateway.query(refetch, { id: object.id });
    expect(gone.errors).toBeUndefined();
    expect(gone.data!.node).toBeNull();
    const malformed = Buffer.from("S3Object:Not_A_Bucket/key").toString("base64");
    expect((await gateway.query(refetch, { id: malformed })).data!.node).toBeNull();
  });
});
