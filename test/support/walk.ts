// Walks a connection through the gateway the way a client does, counting AWS calls.
import type { GraphQLClient } from "./gateway.js";

export interface WalkResult<Node> {
  nodes: Node[];
  awsCalls: number;
  /** AWS calls by operation over the walk */
  operations: Record<string, number>;
  requests: number;
}

/**
 * Pages through `field` (a path into `data`), `first` per page from `firsts` in turn; `resumeAt`
 * chooses the edge to resume after (default: the last), so pages may overlap as a client's do.
 */
export async function walkConnection<Node = any>(
  gateway: GraphQLClient,
  query: string,
  path: string[],
  options: { firsts: number[]; variables?: Record<string, unknown>; resumeAt?: (edgeCount: number, page: number) => number; headers?: Record<string, string> },
): Promise<WalkResult<Node>> {
  const nodes: Node[] = [];
  let after: string | undefined;
  let awsCalls = 0;
  const operations: Record<string, number> = {};
  for (let page = 0; ; page += 1) {
    if (page > 100_000) throw new Error("walk does not end");
    const first = options.firsts[page % options.firsts.length]!;
    const answer = await gateway.query(query, { ...options.variables, first, after }, options.headers);
    if (answer.errors?.length) throw new Error(`page ${page}: ${JSON.stringify(answer.errors)}`);
    awsCalls += answer.extensions?.aws?.calls ?? 0;
    for (const [operation, calls] of Object.entries<number>(answer.extensions?.aws?.operations ?? {})) operations[operation] = (operations[operation] ?? 0) + calls;
    const connection = path.reduce((value: any, key) => value?.[key], answer.data);
    const edges = connection.edges as { cursor: string; node: Node }[];
    if (edges.length > first) throw new Error(`page ${page} has ${edges.length} edges for first: ${first}`);
    const resume = edges.length === 0 ? -1 : (options.resumeAt?.(edges.length, page) ?? edges.length - 1);
    nodes.push(...edges.slice(0, resume + 1).map((e) => e.node));
    if (!connection.pageInfo.hasNextPage && resume === edges.length - 1) return { nodes, awsCalls, operations, requests: page + 1 };
    after = resume >= 0 ? edges[resume]!.cursor : connection.pageInfo.endCursor;
    if (!after) throw new Error(`page ${page} has more but no cursor to resume from`);
  }
}
