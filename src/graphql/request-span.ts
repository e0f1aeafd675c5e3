// The GraphQL side of a request's span: named after the operation it runs, and failed with the
// first error's contract code when the answer has errors.
import { getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import { setFailed, setOperation, type Span } from "../tracing.js";

/** What the HTTP server hands Yoga for each request when it is traced. */
export interface TracedRequest {
  requestSpan?: Span;
}

export function requestSpanPlugin(): Plugin<TracedRequest, TracedRequest> {
  return {
    onExecute({ args }) {
      const span = args.contextValue.requestSpan;
      if (!span) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation) setOperation(span, operation.operation, operation.name?.value);
    },
    // Results as the client gets them: every error has its contract code by now.
    onResultProcess({ result, serverContext }) {
      const span = serverContext.requestSpan;
      if (!span) return;
      for (const answer of Array.isArray(result) ? result : [result]) {
        if (Symbol.asyncIterator in answer) continue;
        const error = answer.errors?.[0];
        if (error) return setFailed(span, String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
      }
    },
  };
}
