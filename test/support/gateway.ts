// Gateways for tests: the built server as `npm start` runs it (a child process speaking HTTP), and,
// for unit tests whose AWS is aws-sdk-client-mock, the TypeScript served in this process.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { pino, type Logger } from "pino";
import { DEFAULT_CALL_RATES, loadConfig, type Config } from "../../src/config.js";
import { createGateway, type Gateway } from "../../src/server.js";
import { createCursorStore } from "../../src/store/index.js";
import type { CursorStore } from "../../src/store/types.js";
import { freePort } from "./moto.js";

export interface GraphQLAnswer<Data = Record<string, any>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface GraphQLClient {
  query<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLAnswer<Data>>;
}

/** POSTs a GraphQL request as a browser client would. */
export async function postGraphQL(url: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLAnswer<any>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLAnswer;
  return { ...body, status: response.status };
}

/**
 * Tests of everything but the budgets run without the gateway's own bound on AWS calls, as fast as
 * moto answers; the budgets' own tests set AWS_CALLS_PER_SECOND (or leave the contract's defaults).
 */
export const UNBOUNDED_BUDGET = { AWS_CALLS_PER_SECOND: Object.keys(DEFAULT_CALL_RATES).map((service) => `${service}=100000`).join(",") };

/**
 * What every test gateway starts with unless a test says otherwise. AWS is a closed loopback port
 * unless a test names an endpoint (moto), so a call nobody answers fails here instead of leaving
 * the machine. Tests see AWS as it is at each call: the page cache is off unless a test asks for it.
 */
const TEST_DEFAULTS = { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_CACHE_SECONDS: "0", ...UNBOUNDED_BUDGET };

export interface TestGateway extends GraphQLClient {
  /** the GraphQL endpoint */
  url: string;
  /** scheme, host and port: /healthz, /readyz, /metrics hang off it */
  base: string;
  /** the configuration the gateway was started with, as it read it */
  config: Config;
  /** the log lines it wrote so far, parsed (LOG_LEVEL is silent unless a test sets it) */
  logs(): Record<string, any>[];
  /** what it wrote to standard error */
  stderr(): string;
  /** /metrics, as text */
  metrics(): Promise<string>;
  /** the process id, for signals and memory readings */
  pid: number;
  close(): Promise<void>;
}

export const BUILT_SERVER = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/**
 * `npm start` as users run it: the build (made once per test run by test/support/build.ts), in a
 * process of its own, ready when it says where it serves.
 */
export async function startGateway(env: Record<string, string | undefined> = {}): Promise<TestGateway> {
  if (!existsSync(BUILT_SERVER)) throw new Error(`${BUILT_SERVER} is missing: the tests' global setup builds it (npm run build)`);
  const port = await freePort();
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, LOG_LEVEL: "silent", NODE_ENV: "production", ...TEST_DEFAULTS, ...env, PORT: String(port), HOST: "127.0.0.1" })) {
    if (value !== undefined) childEnv[key] = value;
  }
  const config = loadConfig(childEnv);
  // node itself, not npm: a signal to a wrapper would not reach the server under it
  const child = spawn(process.execPath, [BUILT_SERVER], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const logs: Record<string, any>[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const serving = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the built gateway did not serve within 30 s: ${stderr}`)), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the built gateway exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("{")) {
        try {
          logs.push(JSON.parse(line));
        } catch {
          // a line that is not a log record
        }
      } else if (line.startsWith("awsgql serving GraphQL at ")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await serving;
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/graphql`;
  return {
    url,
    base,
    config,
    pid: child.pid!,
    logs: () => logs,
    stderr: () => stderr,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    query: (query, variables, headers) => postGraphQL(url, query, variables, headers),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

export interface InProcessGateway extends GraphQLClient {
  url: string;
  config: Config;
  gateway: Gateway;
  store: CursorStore;
  close(): Promise<void>;
}

/**
 * The TypeScript served in this process: for unit tests whose AWS is aws-sdk-client-mock, which
 * only reaches clients made in the same process. Tests of what users run use `startGateway`.
 */
export async function startInProcessGateway(env: Record<string, string | undefined> = {}, options: { logger?: Logger } = {}): Promise<InProcessGateway> {
  const config = loadConfig({ PORT: "0", ...TEST_DEFAULTS, ...env });
  const store = await createCursorStore(config);
  const gateway = createGateway({ config, store, logger: options.logger ?? pino({ level: "silent" }) });
  const url = await gateway.listen(0, "127.0.0.1");
  return {
    url,
    config,
    gateway,
    store,
    query: (query, variables, headers) => postGraphQL(url, query, variables, headers),
    async close() {
      await gateway.close(1000);
      await store.close();
    },
  };
}

/** Environment for a gateway whose AWS is a moto_server. */
export const motoEnv = (endpoint: string): Record<string, string> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
});
