import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type TestGateway } from "../support/gateway.js";

const MIB = 1024 * 1024;
const JSON_ONLY = "application/json";
const GRAPHQL_RESPONSE = "application/graphql-response+json";

interface RawAnswer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] };
}

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway({});
});
afterAll(async () => gateway?.close());

async function post(url: string, body: string, accept: string): Promise<RawAnswer> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept }, body });
  return { status: response.status, body: (await response.json()) as RawAnswer["body"] };
}

/**
 * POSTs a body as node:http (and fetch) send it, without waiting for 100-continue: with a
 * content-length, or chunked with none. The gateway answers a body it refuses before reading it
 * all; a write that fails after that answer arrived is not the test's concern.
 */
function send(url: string, body: Buffer, options: { chunked: boolean; accept?: string }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { "content-type": "application/json", accept: options.accept ?? GRAPHQL_RESPONSE };
    if (!options.chunked) headers["content-length"] = body.length;
    let answered = false;
    const outgoing = request(url, { method: "POST", headers }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: response.statusCode!, body: JSON.parse(text) });
        } catch {
          reject(new Error(`HTTP ${response.statusCode} with a body that is not JSON: ${text.slice(0, 300)}`));
        }
      });
      response.on("error", reject);
    });
    outgoing.on("error", (error) => {
      if (!answered) reject(new Error(`the connection failed before the gateway answered (${(error as NodeJS.ErrnoException).code ?? error.message}): a client sending this body gets no HTTP answer`));
    });
    if (options.chunked) {
      // several writes, so the body goes out in chunks of its own
      const piece = 64 * 1024;
      for (let at = 0; at < body.length; at += piece) outgoing.write(body.subarray(at, at + piece));
      outgoing.end();
    } else {
      outgoing.end(body);
    }
  });
}

/** A JSON body of exactly `bytes` bytes whose query is `{ __typename }`, padded with GraphQL whitespace. */
function paddedBody(bytes: number): Buffer {
  const bare = JSON.stringify({ query: "{ __typename }" });
  const body = JSON.stringify({ query: `{ __typename ${" ".repeat(bytes - bare.length)}}` });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return Buffer.from(body);
}

/** A body of `bytes` bytes holding one name the parser would refuse. */
function unparsableBody(bytes: number): Buffer {
  const bare = JSON.stringify({ query: "{ x }" });
  return Buffer.from(JSON.stringify({ query: `{ ${"9".repeat(bytes - bare.length)}x }` }));
}

const expectTooLarge = (answer: RawAnswer, what: string) => {
  expect(answer.status, what).toBe(413);
  expect(answer.body.errors?.[0]?.extensions, what).toMatchObject({ code: "BAD_USER_INPUT", reason: "REQUEST_TOO_LARGE" });
  expect(answer.body.data, what).toBeUndefined();
};

const expectTypename = (answer: RawAnswer, what: string) => {
  expect(answer.status, what).toBe(200);
  expect(answer.body.errors, what).toBeUndefined();
  expect(answer.body.data, what).toEqual({ __typename: "Query" });
};

describe("documents that do not parse or validate", () => {
  for (const [what, body] of [
    ["a document that does not parse", JSON.stringify({ query: "{" })],
    ["a document that does not validate (an unknown field)", JSON.stringify({ query: "{ nope }" })],
  ] as const) {
    it(`answers ${what} with BAD_USER_INPUT: HTTP 200 under application/json, 400 under application/graphql-response+json`, async () => {
      for (const [accept, status] of [[JSON_ONLY, 200], [GRAPHQL_RESPONSE, 400]] as const) {
        const answer = await post(gateway.url, body, accept);
        expect(answer.status, accept).toBe(status);
        expect(answer.body.errors?.length, accept).toBeGreaterThan(0);
        for (const error of answer.body.errors!) expect(error.extensions?.code, `${accept}: ${error.message}`).toBe("BAD_USER_INPUT");
        expect(answer.body.data ?? undefined, accept).toBeUndefined();
      }
    });
  }
});

describe("GET parameters that are not JSON", () => {
  it("answers a GET whose variables are not JSON with HTTP 400 and BAD_USER_INPUT", async () => {
    for (const accept of [JSON_ONLY, GRAPHQL_RESPONSE]) {
      const response = await fetch(`${gateway.url}?query=${encodeURIComponent("query($n: Int) { __typename }")}&variables=${encodeURIComponent("{not json")}`, {
        headers: { accept, "x-graphql-csrf": "1" },
      });
      const body = (await response.json()) as RawAnswer["body"];
      expect(response.status, accept).toBe(400);
      expect(body.errors?.[0]?.extensions?.code, accept).toBe("BAD_USER_INPUT");
    }
  });
});

describe("request bodies over MAX_REQUEST_BYTES", () => {
  it("refuses a 5 MB body holding one unparsable name with HTTP 413, BAD_USER_INPUT and reason REQUEST_TOO_LARGE, under either Accept", async () => {
    const body = unparsableBody(5 * MIB);
    // Several times: whether the answer reaches the client while it is still sending is a race.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      for (const accept of [JSON_ONLY, GRAPHQL_RESPONSE]) expectTooLarge(await send(gateway.url, body, { chunked: false, accept }), `content-length, ${accept}`);
    }
  });

  it("refuses a chunked body with no content-length once it grows past the limit", async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) expectTooLarge(await send(gateway.url, unparsableBody(5 * MIB), { chunked: true }), "5 MB chunked");
    expectTooLarge(await send(gateway.url, paddedBody(MIB + 1), { chunked: true }), "1 MiB + 1 chunked");
  });

  it("refuses a body one byte over the default 1 MiB, and parses one at the limit or just under it normally, with or without a content-length", async () => {
    expectTooLarge(await send(gateway.url, paddedBody(MIB + 1), { chunked: false }), "1 MiB + 1");
    for (const bytes of [MIB, MIB - 100]) {
      for (const chunked of [false, true]) expectTypename(await send(gateway.url, paddedBody(bytes), { chunked }), `${bytes} bytes, chunked: ${chunked}`);
    }
    // the gateway still serves after refusing
    expectTypename(await post(gateway.url, JSON.stringify({ query: "{ __typename }" }), GRAPHQL_RESPONSE), "afterwards");
  });

  it("answers an empty chunked body as a request without a query, not as one too large", async () => {
    // Node would declare an empty body's length itself: the header says chunked outright
    const answer = await new Promise<RawAnswer>((resolve, reject) => {
      const outgoing = request(gateway.url, { method: "POST", headers: { "content-type": "application/json", accept: GRAPHQL_RESPONSE, "transfer-encoding": "chunked" } }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
      });
      outgoing.on("error", reject);
      outgoing.end();
    });
    expect(answer.status).not.toBe(413);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(JSON.stringify(answer.body)).not.toContain("REQUEST_TOO_LARGE");
  });

  it("takes its limit from MAX_REQUEST_BYTES", async () => {
    const small = await startGateway({ MAX_REQUEST_BYTES: "4096" });
    try {
      expect(small.config.MAX_REQUEST_BYTES).toBe(4096);
      for (const chunked of [false, true]) {
        expectTooLarge(await send(small.url, paddedBody(4097), { chunked }), `4097 bytes, chunked: ${chunked}`);
        expectTooLarge(await send(small.url, unparsableBody(5 * MIB), { chunked }), `5 MB, chunked: ${chunked}`);
        expectTypename(await send(small.url, paddedBody(4096), { chunked }), `4096 bytes, chunked: ${chunked}`);
        expectTypename(await send(small.url, paddedBody(4000), { chunked }), `4000 bytes, chunked: ${chunked}`);
      }
    } finally {
      await small.close();
    }
  });
});
