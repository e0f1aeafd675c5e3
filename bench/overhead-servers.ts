// The two servers `npm run bench` compares for gateway overhead, in a process of their own so that
// the load generator does not share their event loop: the gateway with EC2 answering from memory,
// and a plain Yoga server answering the gateway's own page (same cursors, same bytes) from an array.
// Prints their URLs and the query as one JSON line, then serves until it is signalled.
import { createServer } from "node:http";
import { DescribeInstancesCommand, EC2Client, type DescribeInstancesCommandOutput } from "@aws-sdk/client-ec2";
import { createSchema, createYoga } from "graphql-yoga";
import { freePort } from "../src/demo/moto.js";
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

const plain = createYoga({
  logging: false,
  schema: createSchema({
    typeDefs: `type Query { ec2Instances(first: Int, after: String): Conn! }
      type Conn { edges: [Edge]! pageInfo: PageInfo! } type Edge { cursor: String! node: Instance! }
      type PageInfo { hasNextPage: Boolean! endCursor: String } type Instance { instanceId: String! state: String! instanceType: String! }`,
    resolvers: { Query: { ec2Instances: () => connection } },
  }),
});
const plainServer = createServer(plain);
const port = await freePort();
await new Promise<void>((resolve) => plainServer.listen(port, "127.0.0.1", resolve));

process.once("SIGTERM", () => {
  plainServer.close();
  void gateway.close().then(() => process.exit(0));
});
console.log(JSON.stringify({ gateway: gateway.url, plain: `http://127.0.0.1:${port}/graphql`, query: OVERHEAD_QUERY }));
