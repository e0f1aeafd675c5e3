// Every error in an answer carries a contract code: Yoga's and graphql-js's own parse, validation
// and request errors become BAD_USER_INPUT (their code kept as `reason`), and no parser detail leaks.
import { GraphQLError, type GraphQLErrorExtensions } from "graphql";
import type { Plugin } from "graphql-yoga";
import { ErrorCode } from "../errors.js";

/** What Yoga reads from an error to set the HTTP answer (status, headers, `spec`). */
type HttpExtension = NonNullable<GraphQLErrorExtensions["http"]>;

const CONTRACT_CODES = new Set<string>([...Object.values(ErrorCode), "INTERNAL_SERVER_ERROR"]);

function withContractCode(error: GraphQLError): GraphQLError {
  const code = error.extensions?.code;
  if (typeof code === "string" && CONTRACT_CODES.has(code)) return error;
  const { originalError: _detail, code: _code, http, ...extensions } = error.extensions ?? {};
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: {
      ...extensions,
      ...(http ? { http: code === "BAD_REQUEST" ? requestRefused(http) : http } : {}),
      code: ErrorCode.BAD_USER_INPUT,
      ...(typeof code === "string" ? { reason: code } : {}),
    },
  });
}

/**
 * Yoga answers a request it could not read (a body that is not JSON) with 200 when the client
 * accepts `application/json`, as it does for GraphQL errors (`spec: true`). Such a request is not
 * a well-formed GraphQL-over-HTTP request, and the spec asks for 400 whatever the client accepts.
 */
function requestRefused({ spec: _spec, ...rest }: HttpExtension): HttpExtension {
  return rest;
}

const hasErrors = (result: unknown) => Array.isArray((result as { errors?: unknown } | null)?.errors);

function withContractCodes(result: unknown): unknown {
  const r = result as { errors?: GraphQLError[] };
  return hasErrors(r) ? { ...r, errors: r.errors!.map((e) => (e instanceof GraphQLError ? withContractCode(e) : e)) } : result;
}

export function contractErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) {
        if (result.some(hasErrors)) setResult(result.map(withContractCodes) as typeof result);
      } else if (hasErrors(result) && !(Symbol.asyncIterator in result)) setResult(withContractCodes(result) as typeof result);
    },
  };
}
