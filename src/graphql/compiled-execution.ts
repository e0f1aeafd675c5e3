// Executes the queries that come back compiled to JavaScript by graphql-jit, the rest with graphql-js:
// a page of 100 edges executes in about half the time.
import { GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult, type SourceLocation } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import type { Plugin } from "graphql-yoga";

/** graphql-js executes this document (not compiled yet, or the compiler refused it). */
const INTERPRETED = "interpreted" as const;

/**
 * Compiles a document the second time it is executed. Dashboards page with one query text and
 * changing variables, so theirs are compiled at once; a one-off query (GraphiQL, or a caller sending
 * endless variations) is not worth it: the widest query the limits let through takes about 25 ms
 * to compile, more than graphql-js takes to run it once. Documents are counted and compiled by
 * identity, so both last as long as Yoga's parse cache keeps the document. A document the compiler
 * refuses stays with graphql-js, which answers for it as it always would.
 */
export function compiledExecution(onCompileFailure: (errors: readonly GraphQLError[]) => void): Plugin {
  // A document's entry is made on its first execution (left to graphql-js), filled from its second on.
  const compiledByOperation = new WeakMap<DocumentNode, Map<string, CompiledQuery | typeof INTERPRETED>>();

  function compiledFor({ schema, document, operationName }: ExecutionArgs): CompiledQuery | undefined {
    const byOperation = compiledByOperation.get(document);
    if (!byOperation) {
      compiledByOperation.set(document, new Map());
      return undefined;
    }
    const operation = operationName ?? "";
    let query = byOperation.get(operation);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      if (isCompiledQuery(result)) query = result;
      else {
        onCompileFailure(result.errors ?? []);
        query = INTERPRETED;
      }
      byOperation.set(operation, query);
    }
    return query === INTERPRETED ? undefined : query;
  }

  return {
    onExecute({ args, setExecuteFn }) {
      const query = compiledFor(args);
      if (!query) return;
      setExecuteFn((async ({ document, rootValue, contextValue, variableValues }: ExecutionArgs) =>
        locatedAsGraphqlJsDoes(await query.query(rootValue, contextValue, variableValues), document)) as (executionArgs: ExecutionArgs) => Promise<ExecutionResult>);
    },
  };
}

/**
 * graphql-jit's errors remade as graphql-js makes them. Yoga rebuilds every error of an answer from
 * its nodes or source positions, and jit's errors carry only line and column: their `locations`
 * would be lost on the way to the client.
 */
function locatedAsGraphqlJsDoes(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  const source = document.loc?.source;
  if (!result.errors?.length || !source) return result;
  const lineStarts = [0];
  for (const lineBreak of source.body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(lineBreak.index + lineBreak[0].length);
  const position = ({ line, column }: SourceLocation) => (lineStarts[line - 1] ?? 0) + column - 1;
  const errors = result.errors.map(
    (error) =>
      new GraphQLError(error.message, {
        source,
        positions: error.locations?.map(position),
        path: error.path,
        originalError: error.originalError,
        extensions: error.extensions,
      }),
  );
  return { ...result, errors };
}
