// The servers `npm run bench` compares for gateway overhead, in a process of their own so that the
// load generator does not share their event loop: the gateway with EC2 answering from memory, and
// plain Yoga servers answering the gateway's own page (same cursors, same bytes) from an array, one
// as Yoga comes and one executing compiled queries as the gateway does.
// Prints their URLs and the query as one JSON line, then serves until it is signalled.
import { createServer, type Server } from "node:http";
import { DescribeInstancesCommand, EC2Client, type DescribeInstancesCommandOutput } from "@aws-sdk/client-ec2";
import { createSchema, createYoga, type Plugin } from "graphql-yoga";
import { freePort } from "../demo/moto.js";
import { compiledExecution } from "../src/graphql/compiled-execution.js";
import { postGraphQL, startGateway } from "../test/support/gateway.js";

const OVERHEAD_QUERY = `{ ec2Instances(first: 100) { edges { cursor node { instanceId state instanceType } } pageInfo { hasNextPage endCursor } } }`;

const page: DescribeInstancesCommandOutput = {
  Reservations: [
    {
      Instances: Array.from({ length: 100 }, (_, i) => ({
        InstanceId: `i-${(0x1000 + i).toString(16).padStart(17, "0")}`,
        State: { Name: "running" as const },
        InstanceType: "t3.micro" as const,
      })),
    },
  ],
  NextToken: "next-page-token-0123456789abcdef",
  $metadata: { attempts: 1 },
};

// A mocked client that only answers: aws-sdk-client-mock's sinon stub records every call with its
// arguments, which cost more per page than the gateway's own work and is no part of it.
EC2Client.prototype.send = async function send(command: unknown) {
  if (command instanceof DescribeInstancesCommand) return page;
  throw new Error("only DescribeInstances is answered here");
} as typeof EC2Client.prototype.send;

process.env.AWS_ACCESS_KEY_ID ??= "bench";
process.env.AWS_SECRET_ACCESS_KEY ??= "bench";
const gateway = await startGateway({ LOG_LEVEL: "silent" });
const answer = await postGraphQL(gateway.url, OVERHEAD_QUERY);
if (answer.errors) throw new Error(`the gateway did not answer the overhead query: ${JSON.stringify(answer.errors)}`);
const connection = answer.data!.ec2Instances;

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
  void gateway.close().then(() => process.exit(0));
});
console.log(JSON.stringify({ gateway: gateway.url, plain: plain.url, plainCompiled: plainCompiled.url, query: OVERHEAD_QUERY }));
