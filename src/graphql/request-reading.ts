// Reading a GraphQL request off HTTP: a body past MAX_REQUEST_BYTES is refused before it is read
// further or parsed, and parameters that are not JSON are the client's fault, never a 500.
import type { Plugin } from "graphql-yoga";
import { badInput } from "../errors.js";

/** HTTP 413 with a contract error, in the media type the client asked for. */
function tooLarge(request: Request, maxBytes: number): Response {
  const error = badInput(`The request body is larger than ${maxBytes} bytes (MAX_REQUEST_BYTES).`, { reason: "REQUEST_TOO_LARGE" });
  const graphqlResponse = (request.headers.get("accept") ?? "").includes("application/graphql-response+json");
  return new Response(JSON.stringify({ errors: [error.toJSON()] }), {
    status: 413,
    headers: { "content-type": graphqlResponse ? "application/graphql-response+json; charset=utf-8" : "application/json; charset=utf-8" },
  });
}

/**
 * How much of a refused chunked body is still read and dropped: a client that is still sending
 * when the connection is cut never sees the 413. Past this, the connection is cut after all.
 */
const DRAINED_BYTES = 64 * 1024 * 1024;

/** The body, kept up to `maxBytes`; undefined when it is longer (the rest read and dropped). */
async function boundedBody(request: Request, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  const reader = request.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes + DRAINED_BYTES) {
      await reader.cancel();
      return undefined;
    }
    if (length <= maxBytes) chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return length > maxBytes ? undefined : Buffer.concat(chunks, length).toString("utf8");
}

export function requestBodyLimit(maxBytes: number): Plugin {
  return {
    // Not async: a hook that returns a promise makes Yoga wait a turn for it, on every request.
    onRequest({ request, setRequest, endResponse }) {
      if (request.body === null) return;
      const declared = Number(request.headers.get("content-length"));
      if (declared > maxBytes) return endResponse(tooLarge(request, maxBytes));
      // A body of a declared length within the bound is read as it is; one of no declared length
      // (chunked) is counted as it arrives.
      if (request.headers.has("content-length")) return;
      return boundedBody(request, maxBytes).then((body) => {
        if (body === undefined) return endResponse(tooLarge(request, maxBytes));
        setRequest(new Request(request.url, { method: request.method, headers: request.headers, body }));
      });
    },
  };
}

/**
 * Yoga parses a GET's `variables` and `extensions` with a bare JSON.parse, and a SyntaxError from
 * it would be masked as INTERNAL_SERVER_ERROR. Such a request is malformed: 400, BAD_USER_INPUT.
 */
export function unreadableParametersRefused(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      const refused = (error: unknown) => {
        if (!(error instanceof SyntaxError)) throw error;
        throw badInput("The request's variables or extensions are not valid JSON.", { reason: "REQUEST_NOT_JSON", http: { status: 400 } });
      };
      // Yoga's parsers answer at once where they can (a GET): an async wrapper would make every
      // request wait a turn for its parameters.
      setRequestParser((request) => {
        let parsed: ReturnType<typeof requestParser>;
        try {
          parsed = requestParser(request);
        } catch (error) {
          return refused(error);
        }
        return isPromiseLike(parsed) ? parsed.then(undefined, refused) : parsed;
      });
    },
  };
}

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> => typeof (value as { then?: unknown } | null)?.then === "function";
