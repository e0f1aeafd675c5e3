// The audit log: one JSON line per GraphQL request, `"audit": true`, on the gateway's log or
// appended to the file AUDIT_LOG: who asked, which document (by its SHA-256), which AWS sources
// it read, what it cost, which error codes it got. Built only from the request's metadata and the
// answer's counts and codes: never variables, cursors, AWS tokens, keys or credentials.
import { createHash } from "node:crypto";
import { openSync, writeSync } from "node:fs";
import { getOperationAST, type DocumentNode } from "graphql";
import type { GraphQLParams, Plugin } from "graphql-yoga";
import type { Logger } from "pino";
import type { ResourceContext } from "./resource-context.js";

export interface AuditLine {
  audit: true;
  /** when the request came in, ISO-8601 */
  time: string;
  requestId: string | null;
  /** who asked; null when the request named no caller the gateway knows (no key, a bad token) */
  caller: string | null;
  operationName: string | null;
  /** SHA-256 (hex) of the document text; a trusted document's id when its text never came to hand */
  documentSha256: string | null;
  sources: { accountId: string; region: string; service: string }[];
  awsCalls: number;
  cachedAnswers: number;
  errorCodes: string[];
  ms: number;
}

export interface AuditSink {
  write(line: AuditLine): void;
}

/** Audit lines on the gateway's own log, at info, beside its other records (whose `time` pino sets). */
export function logSink(logger: Logger): AuditSink {
  return {
    write: ({ time: _time, ...line }) => logger.info(line, "audit"),
  };
}

/**
 * Audit lines appended to a file, opened once (at start: a path that cannot be opened throws
 * there) and kept open for the life of the process, each line written through at once so it is
 * there when the answer goes out.
 */
export function fileSink(path: string, logger: Logger): AuditSink {
  const fd = openSync(path, "a", 0o600);
  let failing = false;
  return {
    write(line) {
      try {
        writeSync(fd, `${JSON.stringify(line)}\n`);
        failing = false;
      } catch (error) {
        // Said once per run of failures, not once per request.
        if (!failing) logger.error({ err: { message: (error as Error).message } }, "audit log: could not write to AUDIT_LOG");
        failing = true;
      }
    },
  };
}

/** What the plugin learns of one request as it goes. */
interface Audit {
  started: number;
  time: string;
  operationName?: string;
  text?: string;
  documentId?: string;
  document?: DocumentNode;
  context?: ResourceContext;
}

/** What a client-supplied name or id may take of a line at most. */
const MAX_SHOWN = 200;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const shown = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value.slice(0, MAX_SHOWN) : undefined);
/** The persisted-operations plugin stands in a document it was given parsed with this name. */
const isPlaceholder = (text: string) => text.startsWith("__PERSISTED_OPERATION_");

/** A trusted document's id as the request names it: `documentId` (POST body, or a GET's URL), or Apollo's hash. */
function documentIdOf(params: Record<string, unknown>, request: Request): string | undefined {
  const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  const onUrl = request.method === "GET" ? new URL(request.url).searchParams.get("documentId") : undefined;
  return shown(params.documentId) ?? shown(onUrl) ?? shown(persisted?.sha256Hash);
}

function noteParams(audit: Audit, params: GraphQLParams, request: Request): void {
  audit.operationName = shown(params.operationName) ?? audit.operationName;
  audit.documentId = documentIdOf(params as Record<string, unknown>, request) ?? audit.documentId;
  if (typeof params.query === "string" && !isPlaceholder(params.query)) audit.text = params.query;
}

/** The distinct contract codes of an answer's errors (or of each answer of a batch). */
function errorCodesOf(result: unknown): string[] {
  const codes = new Set<string>();
  for (const answer of Array.isArray(result) ? result : [result]) {
    if (typeof answer !== "object" || answer === null || Symbol.asyncIterator in answer) continue;
    for (const error of (answer as { errors?: readonly { extensions?: { code?: unknown } }[] }).errors ?? []) {
      codes.add(String(error?.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
    }
  }
  return [...codes];
}

/**
 * Writes a line for every GraphQL request Yoga answers, run or refused before it ran (a document
 * that does not parse, a query too costly, a missing key). Placed after contractErrorCodes, so
 * the codes are the contract's.
 */
export function auditLogPlugin(
  sink: AuditSink,
  /** who a request authenticated as, for one refused before its context was built (a document of its own under TRUSTED_DOCUMENTS_ONLY) */
  callerOf: (request: Request) => Promise<string | undefined> = async () => undefined,
): Plugin<{ requestId?: string }, ResourceContext> {
  const audits = new WeakMap<Request, Audit>();
  const auditOf = (request: Request): Audit => {
    let audit = audits.get(request);
    if (!audit) {
      audit = { started: performance.now(), time: new Date().toISOString() };
      audits.set(request, audit);
    }
    return audit;
  };

  return {
    onRequest({ request }) {
      auditOf(request);
    },
    // The parameters as sent, before any plugin refuses them (an unknown trusted document id) or
    // replaces them (a trusted document's text for its id).
    onRequestParse({ request }) {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult)) noteParams(auditOf(request), requestParserResult, request);
        },
      };
    },
    onParams({ request, params }) {
      noteParams(auditOf(request), params, request);
    },
    // The text actually parsed: a trusted document's stored text once its id has been looked up.
    onParse({ params, context }) {
      const request = (context as { request?: Request }).request;
      if (!request) return;
      const audit = auditOf(request);
      const text = typeof params.source === "string" ? params.source : params.source.body;
      if (!isPlaceholder(text)) audit.text = text;
      return ({ result }) => {
        if (typeof result === "object" && result !== null && (result as { kind?: unknown }).kind === "Document") audit.document = result as DocumentNode;
      };
    },
    onContextBuilding() {
      return ({ context }) => {
        const request = (context as { request?: Request }).request;
        if (request) auditOf(request).context = context as unknown as ResourceContext;
      };
    },
    async onResultProcess({ request, result, serverContext }) {
      const audit = audits.get(request);
      if (!audit) return;
      audits.delete(request);
      const caller = audit.context?.caller ?? (await callerOf(request)) ?? null;
      const operationName =
        audit.operationName ?? (audit.document ? shown(getOperationAST(audit.document)?.name?.value) : undefined) ?? null;
      const aws = audit.context?.aws;
      sink.write({
        audit: true,
        time: audit.time,
        requestId: serverContext?.requestId ?? null,
        caller,
        operationName,
        documentSha256: audit.text !== undefined ? sha256(audit.text) : (audit.documentId ?? null),
        sources: aws?.sourcesTouched() ?? [],
        awsCalls: aws?.usage.calls ?? 0,
        cachedAnswers: aws?.usage.cached ?? 0,
        errorCodes: errorCodesOf(result),
        ms: Math.round(performance.now() - audit.started),
      });
    },
  };
}
