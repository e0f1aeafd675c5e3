// A bare Yoga server with a one-field schema, run as plain JavaScript by `npm run bench`: what
// start-up time and idle memory a Node GraphQL server costs before it does anything.
import { createServer } from "node:http";
import { createSchema, createYoga } from "graphql-yoga";

const yoga = createYoga({ schema: createSchema({ typeDefs: "type Query { hello: String }", resolvers: { Query: { hello: () => "hello" } } }) });
createServer(yoga).listen(Number(process.env.PORT), "127.0.0.1");
