// What the services' contract tests share: reading a GraphQL answer, counting its AWS calls, collecting
// an SDK paginator's items, walking connections (random forward walks, backward walks), a proxy that
// makes moto_server answer as AWS does, and the fixture of the tests whose AWS is aws-sdk-client-mock.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { readBody } from "./aws-proxy.js";
import { startInProcessGateway, type GraphQLAnswer, type GraphQLClient, type InProcessGateway } from "./gateway.js";
import { walkConnection, type WalkResult } from "./walk.js";

// ---- answers --------------------------------------------------------------------------------------

/** The answer's data; an answer with GraphQL errors, or without data, fails the test with what it said. */
export function dataOf(answer: GraphQLAnswer, what = "query"): Record<string, any> {
  if (answer.errors !== undefined) throw new Error(`${what}: GraphQL errors (HTTP ${answer.status}): ${JSON.stringify(answer.errors, null, 1)}`);
  if (!answer.data) throw new Error(`${what}: no data (HTTP ${answer.status})`);
  return answer.data;
}

/** Asks `client`, and gives the answer's data (as `dataOf` reads it) beside the answer itself. */
export async function ask(client: GraphQLClient, query: string, variables?: Record<string, unknown>): Promise<{ data: any; answer: GraphQLAnswer }> {
  const answer = await client.query(query, variables);
  return { data: dataOf(answer, `query ${query}`), answer };
}

/** The AWS calls an answer made, by operation (its `extensions.aws`), STS's included. */
export const operationsOf = (answer: GraphQLAnswer): Record<string, number> => answer.extensions?.aws?.operations ?? {};

/** AWS calls by operation, the account id's one STS call aside (asked once per account, whichever query comes first). */
export function awsOperations(operations: Record<string, number> | undefined): Record<string, number> {
  const { GetCallerIdentity: _sts, ...rest } = operations ?? {};
  return rest;
}

/** How many AWS calls an answer made, the account id's STS call aside. */
export const awsCallsBesidesSts = (answer: GraphQLAnswer): number => answer.extensions!.aws.calls - (answer.extensions!.aws.operations.GetCallerIdentity ?? 0);

// ---- the SDK's own listings -------------------------------------------------------------------------

/**
 * Every item of every page an SDK paginator reads, in order. `items` picks a page's list; a page
 * without one fails (write `?? []` where AWS may leave an empty list out).
 */
export async function all<Page, Item>(pages: AsyncIterable<Page>, items: (page: Page) => readonly Item[] | undefined): Promise<Item[]> {
  const collected: Item[] = [];
  for await (const page of pages) {
    const list = items(page);
    if (list === undefined) throw new Error("a page of the SDK's listing has no list of items");
    collected.push(...list);
  }
  return collected;
}

/** SDK clients of one kind, one per region, each made the first time its region is asked for. */
export interface RegionalClients<Client> {
  (region: string): Client;
  /** destroys every client made so far */
  destroy(): void;
}

export function regionalClients<Client extends { destroy(): void }>(make: (region: string) => Client): RegionalClients<Client> {
  const clients = new Map<string, Client>();
  const of = (region: string) => clients.get(region) ?? clients.set(region, make(region)).get(region)!;
  return Object.assign(of, {
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  });
}

// ---- walks through the gateway ------------------------------------------------------------------------

export interface RandomWalks {
  /** the largest page size (`first`) a walk asks for; the smallest is 1 */
  maxFirst: number;
  /** how many walks (fast-check runs) */
  runs: number;
  /** how many page sizes, and resume choices, one walk cycles through at most (default 4) */
  cycle?: number;
  variables?: Record<string, unknown>;
  /** called before each walk (to clear what a proxy recorded, say) */
  beforeWalk?: () => void;
}

/**
 * A property: walks of the connection at `path` with random page sizes, each page resumed after a
 * random edge of it (so pages overlap as a client's may), each walk handed to `check`.
 */
export async function checkRandomWalks<Node = any>(
  client: GraphQLClient,
  query: string,
  path: string[],
  options: RandomWalks,
  check: (walk: WalkResult<Node>) => void | Promise<void>,
): Promise<void> {
  const cycle = options.cycle ?? 4;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: options.maxFirst }), { minLength: 1, maxLength: cycle }),
      fc.array(fc.nat(), { minLength: 1, maxLength: cycle }),
      async (firsts, choices) => {
        options.beforeWalk?.();
        const walk = await walkConnection<Node>(client, query, path, {
          firsts,
          variables: options.variables,
          resumeAt: (count, page) => choices[page % choices.length]! % count,
        });
        await check(walk);
      },
    ),
    { numRuns: options.runs },
  );
}

/** The connection at `path` in an answer's data (`dataOf`). */
const connectionAt = (answer: GraphQLAnswer, path: string[], what: string): any => path.reduce((value: any, key) => value?.[key], dataOf(answer, what));

/**
 * Pages backward from the cursor `before` (`last` per page from `lasts` in turn, no page longer) until
 * the start, each page before the previous one's start; the nodes in the listing's order.
 */
export async function walkBackward(client: GraphQLClient, query: string, path: string[], options: { lasts: number[]; before: string; variables?: Record<string, unknown> }): Promise<any[]> {
  const pages: any[][] = [];
  let before = options.before;
  for (let page = 0; ; page += 1) {
    if (page > 10_000) throw new Error("backward walk does not end");
    const last = options.lasts[page % options.lasts.length]!;
    const connection = connectionAt(await client.query(query, { ...options.variables, last, before }), path, `backward page ${page}`);
    if (connection.edges.length > last) throw new Error(`page ${page} has ${connection.edges.length} edges for last: ${last}`);
    pages.unshift(connection.edges.map((e: any) => e.node));
    if (!connection.pageInfo.hasPreviousPage) return pages.flat();
    before = connection.pageInfo.startCursor;
  }
}

/**
 * A property: one forward page of the whole listing (`expected`, each node named by `key`), then
 * walks backward (`last`/`before`) from its last edge to the start with random page sizes: each page
 * as long as asked while items remain before it, each saying there is a next page, and the whole
 * walk the forward listing.
 */
export async function checkRandomBackwardWalks(
  client: GraphQLClient,
  query: string,
  path: string[],
  options: { expected: readonly string[]; key: (node: any) => string; maxLast: number; runs: number; variables?: Record<string, unknown> },
): Promise<void> {
  const { expected, key, variables } = options;
  const forward = connectionAt(await client.query(query, { ...variables, first: expected.length }), path, "forward page");
  expect(forward.edges.map((e: any) => key(e.node))).toEqual(expected);
  expect(forward.pageInfo.hasNextPage).toBe(false);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: options.maxLast }), { minLength: 1, maxLength: 3 }), async (lasts) => {
      const keys: string[] = [key(forward.edges.at(-1).node)];
      let before: string = forward.edges.at(-1).cursor;
      for (let page = 0; ; page += 1) {
        if (page > 200) throw new Error("backward walk does not end");
        const last = lasts[page % lasts.length]!;
        const connection = connectionAt(await client.query(query, { ...variables, last, before }), path, `backward page ${page}`);
        expect(connection.edges.length).toBeLessThanOrEqual(last);
        expect(connection.edges.length).toBe(Math.min(last, expected.length - keys.length));
        expect(connection.pageInfo.hasNextPage).toBe(true);
        keys.unshift(...connection.edges.map((e: any) => key(e.node)));
        if (!connection.pageInfo.hasPreviousPage) break;
        before = connection.edges[0].cursor;
      }
      expect(keys).toEqual(expected);
    }),
    { numRuns: options.runs },
  );
}

/**
 * Forward to the end in pages of `first`, then back from the last page's start in pages of `last`
 * (none empty, none longer): the nodes read forward, and the nodes read backward put in order.
 */
export async function walkThereAndBack(
  client: GraphQLClient,
  query: string,
  path: string[],
  options: { first: number; last: number; variables?: Record<string, unknown> },
): Promise<{ forward: any[]; backward: any[] }> {
  const { first, last, variables } = options;
  const forward: any[] = [];
  let connection = connectionAt(await client.query(query, { ...variables, first }), path, "first page");
  forward.push(...connection.edges.map((e: any) => e.node));
  while (connection.pageInfo.hasNextPage) {
    connection = connectionAt(await client.query(query, { ...variables, first, after: connection.pageInfo.endCursor }), path, "forward page");
    forward.push(...connection.edges.map((e: any) => e.node));
  }
  const pages: any[][] = [connection.edges.map((e: any) => e.node)];
  for (let guard = 0; connection.pageInfo.hasPreviousPage; guard += 1) {
    if (guard > 10_000) throw new Error("backward walk does not end");
    connection = connectionAt(await client.query(query, { ...variables, last, before: connection.pageInfo.startCursor }), path, "backward page");
    expect(connection.edges.length).toBeGreaterThan(0);
    expect(connection.edges.length).toBeLessThanOrEqual(last);
    pages.unshift(connection.edges.map((e: any) => e.node));
  }
  return { forward, backward: pages.flat() };
}

// ---- moto answering as AWS does -----------------------------------------------------------------------

/** A call the proxy passed on: the request as it came, and the text of moto's (successful) answer. */
export interface ProxiedCall {
  method: string | undefined;
  /** the request's path and query (on a placeholder origin) */
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface RewritingProxy {
  url: string;
  close(): Promise<void>;
}

/** Headers that belong to one connection, not to the request: fetch sets its own. */
const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive", "expect"]);

/**
 * A loopback HTTP proxy in front of moto_server that makes it answer as AWS does: each request is
 * passed on as it came, and the text of each successful answer goes through `rewrite` (which gives
 * it back unchanged where moto and AWS agree). An answer without a content type gets `contentType`;
 * a failure on the way is a 502 whose body says what it was.
 */
export async function startRewritingProxy(target: string, contentType: string, rewrite: (call: ProxiedCall) => string): Promise<RewritingProxy> {
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => !HOP_BY_HOP.has(k) && typeof v === "string")) as Record<string, string>;
      const upstream = await fetch(new URL(req.url!, target), { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined });
      let text = await upstream.text();
      if (upstream.ok) text = rewrite({ method: req.method, url: new URL(req.url!, "http://proxy"), headers: req.headers, body, text });
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? contentType }).end(text);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- AWS as aws-sdk-client-mock stubs -------------------------------------------------------------------

/** What the fixture does with a stub of aws-sdk-client-mock. */
interface Stub {
  reset(): unknown;
  restore(): unknown;
}

/**
 * For a test file whose AWS is aws-sdk-client-mock `stubs`: the gateway served in this process,
 * started before the file's tests and closed after them, the stubs then restored; before each test
 * the stubs are reset and `answers` gives them their answers again. The client asks that gateway,
 * started with `env`.
 */
export function useMockedGateway(stubs: readonly Stub[], answers: () => void, env: Record<string, string> = {}): GraphQLClient {
  let gateway: InProcessGateway | undefined;
  beforeAll(async () => {
    gateway = await startInProcessGateway(env);
  });
  afterAll(async () => {
    await gateway?.close();
    for (const stub of stubs) stub.restore();
  });
  beforeEach(() => {
    for (const stub of stubs) stub.reset();
    answers();
  });
  return {
    query(query, variables, headers) {
      if (!gateway) throw new Error("the mocked gateway is not started yet");
      return gateway.query(query, variables, headers);
    },
  };
}

/** An error as the SDK throws AWS's refusal: named by its code, a client fault with its HTTP status. */
export const awsError = (name: string, message = name, httpStatusCode = 400) => Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode } });

/**
 * One page of `all` as AWS cuts them: `size` items from where `token` (one this gave, or none for the
 * start) points, and an opaque token to go on while more remain.
 */
export function opaquePage<T>(all: readonly T[], token: string | undefined, size: number): { items: T[]; next: string | undefined } {
  const from = token ? Number(Buffer.from(token, "base64").toString().replace("opaque:", "")) : 0;
  return { items: all.slice(from, from + size), next: from + size < all.length ? Buffer.from(`opaque:${from + size}`).toString("base64") : undefined };
}
