// Every error in an answer carries a contract code: Yoga's and graphql-js's own parse, validation
// and request errors become BAD_USER_INPUT (their code kept as `reason`), and no parser detail leaks.
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { ErrorCode } from "../errors.js";

const CONTRACT_CODES = new Set<string>([...Object.values(ErrorCode), "INTERNAL_SERVER_ERROR"]);

function withContractCode(error: GraphQLError): GraphQLError {
  const code = error.extensions?.code;
  if (typeof code === "string" && CONTRACT_CODES.has(code)) return error;
  const { originalError: _detail, code: _code, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT, ...(typeof code === "string" ? { reason: code } : {}) },
  });
}

export function contractErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      const fix = (one: unknown) => {
        const r = one as { errors?: GraphQLError[] };
        return r && Array.isArray(r.errors) ? { ...r, errors: r.errors.map((e) => (e instanceof GraphQLError ? withContractCode(e) : e)) } : one;
      };
      if (Array.isArray(result)) setResult(result.map(fix) as typeof result);
      else if (result && typeof result === "object" && !(Symbol.asyncIterator in result)) setResult(fix(result) as typeof result);
    },
  };
}
