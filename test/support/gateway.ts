// A gateway served in-process on a free port, and a small GraphQL client for it.
import { pino, type Logger } from "pino";
import { loadConfig, type Config } from "../../src/config.js";
import { createGateway, type Gateway } from "../../src/server.js";
import { createCursorStore } from "../../src/store/index.js";
import type { CursorStore } from "../../src/store/types.js";

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

export interface TestGateway extends GraphQLClient {
  url: string;
  config: Config;
  gateway: Gateway;
  store: CursorStore;
  close(): Promise<void>;
}

/**
 * Tests of everything but the budgets run without the gateway's own bound on AWS calls, as fast as
 * moto answers; the budgets' own tests set AWS_CALLS_PER_SECOND (or leave the contract's defaults).
 */
export const UNBOUNDED_BUDGET = { AWS_CALLS_PER_SECOND: "ec2=100000,iam=100000,s3=100000,sts=100000" };

export async function startGateway(env: Record<string, string | undefined> = {}, options: { logger?: Logger } = {}): Promise<TestGateway> {
  // Unless a test names an endpoint (moto), AWS is a closed loopback port: a call a mock does not
  // catch fails here instead of leaving the machine.
  // Tests see AWS as it is at each call (a test deletes an object and refetches it): the page cache
  // is off unless a test asks for it, as the cache's own tests do.
  const config = loadConfig({ PORT: "0", AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_CACHE_SECONDS: "0", ...UNBOUNDED_BUDGET, ...env });
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
