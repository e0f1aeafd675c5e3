// The gateway's HTTP server: Yoga at /graphql (GraphiQL on GET), /healthz, /readyz, /metrics.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import { createYoga, type Plugin } from "graphql-yoga";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { ANONYMOUS, ApiKeys, Authenticator, JwtVerifier } from "./auth.js";
import { AccountDirectory } from "./aws/accounts.js";
import { Organization } from "./aws/organization.js";
import { SharedAnswers } from "./aws/answers.js";
import { AccountBudget } from "./aws/budget.js";
import { AwsClients, RequestAws } from "./aws/clients.js";
import { isGatewayError } from "./errors.js";
import type { Config } from "./config.js";
import { requestContext, type GatewayContext } from "./context.js";
import { GatewayMetrics } from "./metrics.js";
import { CursorMap } from "./pagination/cursor-records.js";
import { HeldPages } from "./pagination/held-pages.js";
import { compiledExecution } from "./graphql/compiled-execution.js";
import { contractErrorCodes } from "./graphql/contract-codes.js";
import { auditLogPlugin, fileSink, logSink } from "./graphql/audit-log.js";
import { requestSpanPlugin, type TracedRequest } from "./graphql/request-span.js";
import { requestBodyLimit, unreadableParametersRefused } from "./graphql/request-reading.js";
import { callerBudgetPlugin } from "./graphql/caller-budget.js";
import { trustedDocuments } from "./graphql/trusted-documents.js";
import { armorPlugins, awsCostPlugin, queryCosts, type QueryLimits } from "./graphql/query-limits.js";
import { schema } from "./schema.js";
import type { CursorStore } from "./store/types.js";
import { startRequestSpan } from "./tracing.js";

export interface GatewayOptions {
  config: Config;
  store: CursorStore;
  logger: Logger;
  /** the query GraphiQL opens with */
  graphiqlQuery?: string;
}

export interface Gateway {
  server: Server;
  metrics: GatewayMetrics;
  listen(port: number, host: string): Promise<string>;
  /** stops accepting, lets requests under way finish for up to `graceMs`, then cuts them */
  close(graceMs?: number): Promise<void>;
}

export function createGateway({ config, store, logger, graphiqlQuery }: GatewayOptions): Gateway {
  const metrics = new GatewayMetrics(store, config.memory);
  const answers = new SharedAnswers(store, config.AWS_CACHE_SECONDS * 1000, metrics);
  const organization = config.AWS_ORGANIZATION_ROLE
    ? new Organization(config.AWS_ORGANIZATION_ROLE.roleName, config.AWS_ORGANIZATION_ROLE.externalId, config.AWS_ORGANIZATION_CACHE_SECONDS * 1000, (error) =>
        logger.warn({ code: isGatewayError(error) ? error.code : "INTERNAL", message: error instanceof Error ? error.message : String(error) }, "organization not read; read again when a query needs it"),
      )
    : undefined;
  const budget = new AccountBudget(store.counters, config.AWS_CALLS_PER_SECOND, config.AWS_BUDGET_WAIT_MS, metrics);
  const clients = new AwsClients(
    {
      defaultRegion: config.AWS_REGION,
      endpoint: config.AWS_ENDPOINT_URL,
      maxAttempts: config.AWS_MAX_ATTEMPTS,
      requestTimeoutMs: config.AWS_REQUEST_TIMEOUT_MS,
      connectTimeoutMs: config.AWS_CONNECT_TIMEOUT_MS,
      // A page over many sources behind one endpoint (AWS_ENDPOINT_URL) reads them all at once.
      maxSocketsPerEndpoint: config.AWS_FANOUT_CONCURRENCY,
      accounts: config.AWS_ACCOUNTS,
      organization,
    },
    metrics,
    answers,
    budget,
  );
  const accounts = new AccountDirectory(config.AWS_ACCOUNTS, organization);
  const cursors = new CursorMap(store, { ttlMs: config.CURSOR_TTL_SECONDS * 1000, signingKey: config.CURSOR_SIGNING_KEY });
  const heldPages = new HeldPages(store, { ttlMs: config.CURSOR_TTL_SECONDS * 1000, maxBytes: config.PAGE_BUFFER_MAX_BYTES });
  const apiKeys = config.GATEWAY_API_KEYS ? new ApiKeys(config.GATEWAY_API_KEYS) : undefined;
  const jwt =
    config.GATEWAY_JWT_JWKS_URL && config.GATEWAY_JWT_ISSUER && config.GATEWAY_JWT_AUDIENCE
      ? new JwtVerifier({
          jwksUrl: config.GATEWAY_JWT_JWKS_URL,
          issuer: config.GATEWAY_JWT_ISSUER,
          audience: config.GATEWAY_JWT_AUDIENCE,
          callerClaim: config.GATEWAY_JWT_CALLER_CLAIM,
          groupsClaim: config.GATEWAY_JWT_GROUPS_CLAIM,
        })
      : undefined;
  // With API keys or tokens, every GraphQL request is authenticated once (see the context below).
  const authenticator = apiKeys || jwt ? new Authenticator(apiKeys, jwt) : undefined;
  /** Who a request authenticated as, asked once per request (the authenticator remembers it); none when it did not. */
  const callerOf = async (request: Request) => (authenticator ? (await authenticator.identify(request).catch(() => undefined))?.caller : ANONYMOUS);
  const limits: QueryLimits = {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_QUERY_ALIASES,
    maxTokens: config.MAX_QUERY_TOKENS,
    maxAwsCalls: config.MAX_QUERY_AWS_CALLS,
    maxNodes: config.MAX_QUERY_NODES,
    defaultFirst: config.DEFAULT_PAGE_SIZE,
    accountsReached: (names) => accounts.reach(names),
    maxAwsCallsPerPage: config.MAX_AWS_CALLS_PER_PAGE,
  };

  const costOf = queryCosts(limits);

  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse; requestId: string } & TracedRequest, GatewayContext>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: config.GRAPHIQL
      ? {
          title: "awsgql",
          defaultQuery: graphiqlQuery,
          // With API keys or tokens, the Headers tab opens with the header to fill in (kept in the browser only).
          headers: authenticator ? JSON.stringify({ Authorization: `Bearer ${authenticator.credentialHint}` }, null, 2) : undefined,
          shouldPersistHeaders: authenticator !== undefined,
        }
      : false,
    // GraphiQL with its scripts, styles and editor workers inline: nothing loads from outside, so it
    // works in a closed network. The page (9 MB) is the same for every request: loaded and made
    // once, on the first visit, not at start.
    renderGraphiQL: onceFor(async (options) => (await import("@graphql-yoga/render-graphiql")).renderGraphiQL(options)),
    // Yoga's own masking, never in its development mode (which would echo the fault to the client);
    // observeAnswers logs what it masks, with the request id.
    maskedErrors: { isDev: false },
    logging: false,
    // requestBodyLimit bounds every body by MAX_REQUEST_BYTES (Node holds a declared length to its
    // word); Yoga's own bound would pipe each body through a stream of its own to count it again.
    maxRequestBodySize: false,
    plugins: [
      requestBodyLimit(config.MAX_REQUEST_BYTES),
      unreadableParametersRefused(),
      ...(config.TRUSTED_DOCUMENTS_FILE
        ? [
            trustedDocuments({
              documents: config.TRUSTED_DOCUMENTS_FILE.documents,
              only: config.TRUSTED_DOCUMENTS_ONLY,
              // Callers whose policy entry says "explore": true may still send text.
              callerOf: authenticator ? (request) => authenticator.identify(request).catch(() => undefined) : undefined,
              policy: config.GATEWAY_POLICY_FILE,
            }),
          ]
        : []),
      // Browsers may send GET and form posts cross-site without a preflight: those need this header.
      useCSRFPrevention({ requestHeaders: ["x-graphql-csrf", "x-graphql-yoga-csrf", "apollo-require-preflight"] }),
      ...(config.INTROSPECTION ? [] : [useDisableIntrospection()]),
      ...armorPlugins(limits),
      awsCostPlugin(limits, costOf),
      ...(authenticator
        ? [
            callerBudgetPlugin({
              counters: store.counters,
              limit: config.CALLER_AWS_CALLS_PER_HOUR,
              windowMs: config.CALLER_BUDGET_WINDOW_SECONDS * 1000,
              callerOf,
              costOf,
              onRefused: () => metrics.rateLimited.inc(),
            }),
          ]
        : []),
      observeAnswers(metrics, logger),
      contractErrorCodes(),
      auditLogPlugin(config.AUDIT_LOG ? fileSink(config.AUDIT_LOG, logger) : logSink(logger), callerOf),
      requestSpanPlugin(),
      compiledExecution((errors) => logger.warn({ errors: errors.map((e) => e.message) }, "query left to graphql-js: graphql-jit could not compile it")),
    ],
    context: async ({ request, requestId, requestSpan }) => {
      const { caller, groups } = authenticator ? await authenticator.identify(request) : { caller: ANONYMOUS, groups: [] };
      return requestContext(
        { config, clients, accounts, cursors, heldPages },
        {
          requestId,
          caller,
          groups,
          fresh: /(^|,)\s*no-cache\s*(,|$)/i.test(request.headers.get("cache-control") ?? ""),
          span: requestSpan,
        },
      );
    },
  });

  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const requestId = validRequestId(req.headers["x-request-id"]) ?? randomUUID();
    res.setHeader("x-request-id", requestId);
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") {
      try {
        await store.ping();
        return sendJson(res, 200, { status: "ready", cursorStore: "ok" });
      } catch {
        return sendJson(res, 503, { status: "unavailable", cursorStore: "unreachable", code: "CURSOR_STORE_UNAVAILABLE" });
      }
    }
    if (path === "/metrics") {
      res.setHeader("content-type", metrics.registry.contentType);
      res.end(await metrics.registry.metrics());
      return;
    }
    const started = performance.now();
    res.on("finish", () => {
      const seconds = (performance.now() - started) / 1000;
      metrics.requestDuration.observe({ outcome: res.statusCode < 400 ? "ok" : "error" }, seconds);
      logger.info({ requestId, method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1000) }, "request");
    });
    const requestSpan = startRequestSpan(req.method, path ?? "/", req.headers, requestId);
    if (requestSpan) res.once("close", () => requestSpan.setAttribute("http.response.status_code", res.statusCode).end());
    return yoga(req, res, { req, res, requestId, requestSpan });
  });

  return {
    server,
    metrics,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const address = server.address();
          const actualPort = typeof address === "object" && address ? address.port : port;
          resolve(`http://${host.includes(":") ? `[${host}]` : host}:${actualPort}/graphql`);
          // Read at once, so the first query over the organization does not wait for it.
          organization?.tree(new RequestAws(clients)).then(
            (tree) => logger.info({ accounts: tree.accounts.length, ous: tree.below.size }, "organization read"),
            () => undefined,
          );
        });
      }),
    close: async (graceMs = 10_000) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(grace);
      clients.destroy();
    },
  };
}

/** A function of one options object, computed once for equal options. */
function onceFor<Options, Result>(make: (options: Options) => Result): (options: Options) => Result {
  let made: { key: string; result: Result } | undefined;
  return (options) => {
    const key = JSON.stringify(options);
    if (made?.key !== key) made = { key, result: make(options) };
    return made.result;
  };
}

/** A caller's own request id is kept when it is short and plain, so logs join up across services. */
function validRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === "string" && /^[\w.:-]{1,128}$/.test(header) ? header : undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * Sees every answer before Yoga masks its unexpected faults: adds `extensions.aws = { calls,
 * retries, operations }`, counts its errors by code, and logs each unexpected fault with the
 * request id (the client gets only INTERNAL_SERVER_ERROR).
 */
function observeAnswers(metrics: GatewayMetrics, logger: Logger): Plugin<GatewayContext> {
  return {
    onExecute: () => ({
      onExecuteDone: ({ args, result, setResult }) => {
        if (Symbol.asyncIterator in result) return;
        for (const error of (result.errors ?? []) as GraphQLError[]) {
          metrics.graphqlErrors.inc({ code: String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR") });
          const fault = error.originalError;
          if (fault && !(fault instanceof GraphQLError)) {
            logger.error({ requestId: args.contextValue.requestId, err: { name: fault.name, message: fault.message, stack: fault.stack } }, "unexpected error");
          }
        }
        const { aws, partialErrors } = args.contextValue;
        const usage = aws.usage;
        const errors = partialErrors.length ? [...(result.errors ?? []), ...partialErrors] : result.errors;
        for (const error of partialErrors) metrics.graphqlErrors.inc({ code: String(error.extensions?.code) });
        setResult({ ...result, ...(errors ? { errors } : {}), extensions: { ...result.extensions, aws: { ...usage, operations: { ...usage.operations } } } });
      },
    }),
  };
}
