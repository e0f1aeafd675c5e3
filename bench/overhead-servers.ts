// The servers `npm run bench` compares for gateway overhead: built gateways (bench/overhead-gateway.ts
// bundled as `npm run build` bundles the server, EC2 answering from memory), each a process of its
// own as `npm start` runs it, and plain Yoga servers answering the gateway's own page (same cursors,
// same bytes) from an array, one as Yoga comes and one executing compiled queries as the gateway
// does; these run in this process, apart from the load generator's.
// Arguments: `name=path/to/overhead-gateway.js` for each build. Prints every URL and the query as
// one JSON line, then serves until it is signalled.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { createInterface } from "node:readline";
import { createSchema, createYoga, type Plugin } from "graphql-yoga";
import { freePort } from "../demo/moto.js";
import { compiledExecution } from "../src/graphql/compiled-execution.js";

const OVERHEAD_QUERY = `{ ec2Instances(first: 100) { edges { cursor node { instanceId state instanceType } } pageInfo { hasNextPage endCursor } } }`;

const builds = process.argv.slice(2).map((argument) => {
  const [name, path] = argument.split("=");
  if (!name || !path) throw new Error(`expected name=path/to/overhead-gateway.js, got ${argument}`);
  return { name, path };
});
if (builds.length === 0) throw new Error("name at least one gateway build: name=path/to/overhead-gateway.js");

/** A built gateway as `npm start` runs it but for the settings that keep AWS out of the page. */
async function startBuiltGateway(path: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: process.env.OVERHEAD_LOG_LEVEL ?? "silent",
      PORT: String(port),
      HOST: "127.0.0.1",
      // AWS answers from memory: a cache of its answers would only cost, and nothing may leave.
      AWS_CACHE_SECONDS: "0",
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the gateway ${path} exited with ${code}`)));
    // Read to the end: the request logs, at LOG_LEVEL=info, go on coming.
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("awsgql serving GraphQL at ")) resolve();
    });
  });
  return { url: `http://127.0.0.1:${port}/graphql`, child };
}

const gateways: Record<string, string> = {};
const children: ChildProcess[] = [];
process.once("exit", () => {
  for (const child of children) child.kill("SIGTERM");
});
let connection: unknown;
for (const { name, path } of builds) {
  const { url, child } = await startBuiltGateway(path);
  children.push(child);
  gateways[name] = url;
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: OVERHEAD_QUERY }) });
  const answer = (await response.json()) as { data?: { ec2Instances: unknown }; errors?: unknown[] };
  if (answer.errors || !answer.data) throw new Error(`the gateway ${name} did not answer the overhead query: ${JSON.stringify(answer.errors)}`);
  connection ??= answer.data.ec2Instances;
}

const plainSchema = createSchema({
  typeDefs: `type Query { ec2Instances(first: Int, after: String): Conn! }
    type Conn { edges: [Edge]! pageInfo: PageInfo! } type Edge { cursor: String! node: Instance! }
    type PageInfo { hasNextPage: Boolean! endCursor: String } type Instance { instanceId: String! state: String! instanceType: String! }`,
  resolvers: { Query: { ec2Instances: () => connection } },
});

async function serve(plugins: Plugin[]): Promise<{ url: string; server: Server }> {
  const server = createServer(createYoga({ logging: false, schema: plainSchema, plugins }));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/graphql`, server };
}
const plain = await serve([]);
const plainCompiled = await serve([compiledExecution(() => {})]);

process.once("SIGTERM", () => {
  plain.server.close();
  plainCompiled.server.close();
  process.exit(0);
});
console.log(JSON.stringify({ gateways, plain: plain.url, plainCompiled: plainCompiled.url, query: OVERHEAD_QUERY }));
