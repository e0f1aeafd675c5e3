// Several gateways behind one client, as replicas behind a load balancer.
import type { GraphQLClient } from "./gateway.js";

/** A client that sends each request to the next gateway in turn, as a load balancer would. */
export function roundRobin(gateways: GraphQLClient[]): GraphQLClient {
  let next = 0;
  return { query: (...args) => gateways[next++ % gateways.length]!.query(...args) };
}
