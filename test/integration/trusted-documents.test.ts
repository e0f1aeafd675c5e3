// Trusted documents (TRUSTED_DOCUMENTS_FILE, TRUSTED_DOCUMENTS_ONLY) as a frontend ships them: the
// manifest is the one GraphQL Codegen's client preset writes (persisted-documents.json), generated
// here from a .graphql file; requests name documents by `documentId` (GraphQL-over-HTTP persisted
// documents, POST and GET) or by Apollo's persisted query hash.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "@graphql-codegen/cli";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_SERVER, motoEnv, startGateway, type GraphQLAnswer, type TestGateway } from "../support/gateway.js";
import { freePort, motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const SCHEMA = fileURLToPath(new URL("../../schema/schema.graphql", import.meta.url));
const BUCKETS = ["trusted-alpha", "trusted-beta", "trusted-gamma"];
const DOCUMENTS = `
query Buckets($first: Int) {
  s3Buckets(first: $first) {
    edges { node { name } }
    pageInfo { hasNextPage }
  }
}

query BucketCount {
  s3Buckets { totalCount }
}
`;
const TEXT_QUERY = "query Text { s3Buckets(first: 1) { edges { node { name } } } }";

let dir: string;
let manifestFile: string;
/** operation name -> the id codegen gave its document (`sha256:<hex>`) */
const ids: Record<string, string> = {};
let moto: Moto;
let open: TestGateway; // trusted documents, text documents still allowed
let only: TestGateway; // TRUSTED_DOCUMENTS_ONLY=true

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "awsgql-trusted-"));
  writeFileSync(join(dir, "operations.graphql"), DOCUMENTS);
  // GraphQL Codegen's client preset, as a frontend's codegen.ts configures it for trusted documents
  await generate(
    {
      schema: SCHEMA,
      documents: [join(dir, "operations.graphql")],
      silent: true,
      generates: { [join(dir, "gql") + "/"]: { preset: "client", presetConfig: { persistedDocuments: true } } },
    },
    true,
  );
  manifestFile = join(dir, "gql", "persisted-documents.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, string>;
  for (const [id, text] of Object.entries(manifest)) ids[/^query (\w+)/.exec(text)![1]!] = id;
  expect(Object.keys(ids).sort()).toEqual(["BucketCount", "Buckets"]);

  moto = await startMoto();
  const s3 = new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
  for (const bucket of BUCKETS) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  [open, only] = await Promise.all([
    startGateway({ ...motoEnv(moto.endpoint), TRUSTED_DOCUMENTS_FILE: manifestFile }),
    startGateway({ ...motoEnv(moto.endpoint), TRUSTED_DOCUMENTS_FILE: manifestFile, TRUSTED_DOCUMENTS_ONLY: "true" }),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([open?.close(), only?.close()]);
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const GRAPHQL_RESPONSE = "application/graphql-response+json, application/json";

async function post(url: string, body: unknown, accept = GRAPHQL_RESPONSE): Promise<GraphQLAnswer> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept }, body: JSON.stringify(body) });
  return { ...((await response.json()) as GraphQLAnswer), status: response.status };
}

async function get(url: string, params: Record<string, string>): Promise<GraphQLAnswer> {
  const response = await fetch(`${url}?${new URLSearchParams(params)}`, { headers: { accept: GRAPHQL_RESPONSE, "x-graphql-csrf": "1" } });
  return { ...((await response.json()) as GraphQLAnswer), status: response.status };
}

const hexOf = (id: string) => id.replace(/^sha256:/, "");
const names = (answer: GraphQLAnswer) => answer.data?.s3Buckets.edges.map((e: any) => e.node.name);
const codes = (answer: GraphQLAnswer) => (answer.errors ?? []).map((e) => e.extensions?.code);
const apollo = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: hexOf(id) } });

describe("trusted documents from GraphQL Codegen's client preset", () => {
  it("writes ids that are the SHA-256 of each document's text", () => {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, string>;
    for (const [id, text] of Object.entries(manifest)) expect(id).toBe(`sha256:${createHash("sha256").update(text).digest("hex")}`);
  });

  for (const [label, gateway] of [["beside text documents", () => open], ["with TRUSTED_DOCUMENTS_ONLY", () => only]] as const) {
    describe(label, () => {
      it("runs a document by documentId in a POST body, as sha256:<hex> or the hex alone", async () => {
        const answer = await post(gateway().url, { documentId: ids.Buckets, variables: { first: 2 } });
        expect(answer.errors).toBeUndefined();
        expect(answer.status).toBe(200);
        expect(names(answer)).toEqual(BUCKETS.slice(0, 2));
        expect(answer.data!.s3Buckets.pageInfo.hasNextPage).toBe(true);
        const bare = await post(gateway().url, { documentId: hexOf(ids.Buckets!), variables: { first: 5 } });
        expect(names(bare)).toEqual(BUCKETS);
        const count = await post(gateway().url, { documentId: ids.BucketCount });
        expect(count.data).toEqual({ s3Buckets: { totalCount: BUCKETS.length } });
      });

      it("runs a document by documentId in a GET's query", async () => {
        const answer = await get(gateway().url, { documentId: ids.Buckets!, variables: JSON.stringify({ first: 1 }) });
        expect(answer.errors).toBeUndefined();
        expect(answer.status).toBe(200);
        expect(names(answer)).toEqual(BUCKETS.slice(0, 1));
      });

      it("runs a document by Apollo's persistedQuery hash, POST and GET", async () => {
        const posted = await post(gateway().url, { operationName: "Buckets", variables: { first: 3 }, extensions: apollo(ids.Buckets!) });
        expect(posted.errors).toBeUndefined();
        expect(names(posted)).toEqual(BUCKETS);
        const fetched = await get(gateway().url, { operationName: "Buckets", variables: JSON.stringify({ first: 1 }), extensions: JSON.stringify(apollo(ids.Buckets!)) });
        expect(fetched.errors).toBeUndefined();
        expect(names(fetched)).toEqual(BUCKETS.slice(0, 1));
      });

      it("answers an unknown id with PERSISTED_QUERY_NOT_FOUND", async () => {
        const unknown = createHash("sha256").update(TEXT_QUERY).digest("hex");
        for (const body of [{ documentId: `sha256:${unknown}` }, { documentId: "x-custom:42" }, { extensions: apollo(unknown) }]) {
          const answer = await post(gateway().url, body);
          expect(codes(answer)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
          expect(answer.data).toBeUndefined();
          // a request error: 4xx under application/graphql-response+json, 200 under application/json
          expect(answer.status).toBe(404);
          expect((await post(gateway().url, body, "application/json")).status).toBe(200);
        }
        const fetched = await get(gateway().url, { documentId: `sha256:${unknown}` });
        expect(codes(fetched)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
      });

      it("answers a request with neither a document nor an id with BAD_USER_INPUT", async () => {
        const answer = await post(gateway().url, { variables: { first: 1 } });
        expect(answer.status).toBe(400);
        expect(codes(answer)).toEqual(["BAD_USER_INPUT"]);
      });
    });
  }

  it("still runs documents sent as text without TRUSTED_DOCUMENTS_ONLY, Apollo's retry with the text included", async () => {
    const answer = await open.query(TEXT_QUERY);
    expect(answer.errors).toBeUndefined();
    expect(names(answer)).toEqual(BUCKETS.slice(0, 1));
    const unknown = createHash("sha256").update(TEXT_QUERY).digest("hex");
    const retried = await post(open.url, { query: TEXT_QUERY, extensions: apollo(unknown) });
    expect(retried.errors).toBeUndefined();
    expect(names(retried)).toEqual(BUCKETS.slice(0, 1));
  });

  it("refuses documents sent as text with PERSISTED_QUERY_ONLY and HTTP 400 under TRUSTED_DOCUMENTS_ONLY, even a trusted document's own text", async () => {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, string>;
    for (const request of [
      () => post(only.url, { query: TEXT_QUERY }),
      () => post(only.url, { query: TEXT_QUERY }, "application/json"),
      () => post(only.url, { query: manifest[ids.Buckets!], variables: { first: 1 } }),
      () => post(only.url, { query: TEXT_QUERY, extensions: apollo(createHash("sha256").update(TEXT_QUERY).digest("hex")) }),
      () => get(only.url, { query: TEXT_QUERY }),
    ]) {
      const answer = await request();
      expect(answer.status).toBe(400);
      expect(codes(answer)).toEqual(["PERSISTED_QUERY_ONLY"]);
      expect(answer.data).toBeUndefined();
    }
    // ids still work
    expect(names(await post(only.url, { documentId: ids.Buckets, variables: { first: 1 } }))).toEqual(BUCKETS.slice(0, 1));
  });
});

/** The built server started as `npm start` starts it, to its exit: its status and standard error. */
async function startFails(env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  const port = await freePort();
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_SERVER], { env: { ...process.env, ...motoEnv(moto.endpoint), LOG_LEVEL: "silent", NODE_ENV: "production", PORT: String(port), ...env }, timeout: 30_000 }, (error, _stdout, stderr) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
}

describe("a manifest that cannot be trusted", () => {
  it("stops the gateway at start with one line naming TRUSTED_DOCUMENTS_FILE when an id is not its text's SHA-256", async () => {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, string>;
    const tampered = join(dir, "tampered.json");
    // the document behind a trusted id, changed: it would run as if it were trusted
    writeFileSync(tampered, JSON.stringify({ ...manifest, [ids.BucketCount!]: "query BucketCount { s3Buckets(first: 1000) { totalCount } }" }, null, 2));
    const { status, stderr } = await startFails({ TRUSTED_DOCUMENTS_FILE: tampered });
    expect(status).toBe(2);
    const lines = stderr.split("\n").filter((line) => line.trim());
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^awsgql: invalid TRUSTED_DOCUMENTS_FILE \\(got ".*tampered\\.json"\\): document "${ids.BucketCount}" is not the SHA-256 of its text$`))]);
  });

  it.each([
    ["not JSON", "{ nope", /the file is not JSON/],
    ["a list", "[]", /expected a JSON object from document id to document text/],
    ["an id that is no hash", JSON.stringify({ "md5:abc": "{ __typename }" }), /"md5:abc" is not a document id/],
  ])("stops the gateway at start when the manifest is %s", async (_label, content, message) => {
    const file = join(dir, `bad-${_label.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, content);
    const { status, stderr } = await startFails({ TRUSTED_DOCUMENTS_FILE: file });
    expect(status).toBe(2);
    const lines = stderr.split("\n").filter((line) => line.trim());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^awsgql: invalid TRUSTED_DOCUMENTS_FILE/);
    expect(lines[0]).toMatch(message);
  });
});
