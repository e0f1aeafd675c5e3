// Trusted documents (TRUSTED_DOCUMENTS_FILE): a request may name a document by id instead of
// sending its text, as the GraphQL-over-HTTP persisted documents appendix (`documentId`, POST body
// or GET query parameter) and Apollo (`extensions.persistedQuery.sha256Hash`, version 1) send it.
// With TRUSTED_DOCUMENTS_ONLY, a request that sends a document of its own is refused.
import { defaultExtractPersistedOperationId, usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import { createGraphQLError, type GraphQLParams, type Plugin } from "graphql-yoga";
import type { PolicyFile } from "../config.js";
import { ErrorCode, GatewayError } from "../errors.js";
import { exploreAllowed, scopeOf } from "./policy.js";

export interface TrustedDocumentsOptions {
  /** SHA-256 hex of each document's text -> the text (config.TRUSTED_DOCUMENTS_FILE.documents) */
  documents: ReadonlyMap<string, string>;
  /** TRUSTED_DOCUMENTS_ONLY: refuse documents sent as text */
  only: boolean;
  /** who is asking (its name and groups), when known: `mayExplore` decides whether that caller may still send text */
  callerOf?: (request: Request) => Promise<{ caller: string; groups: readonly string[] } | undefined>;
  /** GATEWAY_POLICY_FILE, whose entries say who may explore */
  policy?: PolicyFile;
}

/**
 * Whether a caller may send documents of its own while TRUSTED_DOCUMENTS_ONLY is on: the contract
 * allows it to callers whose policy entry (its own or a group's) says `"explore": true` (GraphiQL
 * users). Without a policy file, or a caller, no one may.
 */
export function mayExplore(policy: PolicyFile | undefined, identity: { caller: string; groups: readonly string[] } | undefined): boolean {
  return identity !== undefined && exploreAllowed(scopeOf(policy, identity.caller, identity.groups));
}

/** `sha256:<hex>` or the hex alone -> the hex, lower case; anything else names no trusted document. */
const HEX_ID = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
export const documentHex = (id: string): string | undefined => HEX_ID.exec(id)?.[1]?.toLowerCase();

/**
 * The id a request names: `documentId` in a POST body or a GET's query (Yoga's GET reader keeps
 * only the four standard parameters, so it is read off the URL), else Apollo's persisted query hash.
 */
function documentIdOf(params: GraphQLParams, request: Request): string | null {
  const posted = (params as GraphQLParams & { documentId?: unknown }).documentId;
  if (typeof posted === "string" && posted !== "") return posted;
  if (request.method === "GET") {
    const named = new URL(request.url).searchParams.get("documentId");
    if (named) return named;
  }
  return defaultExtractPersistedOperationId(params, request, {});
}

export function trustedDocuments({ documents, only, callerOf, policy }: TrustedDocumentsOptions): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => {
      const hex = documentHex(id);
      return (hex && documents.get(hex)) ?? null;
    },
    extractPersistedOperationId: documentIdOf,
    allowArbitraryOperations: only ? async (request) => policy !== undefined && callerOf !== undefined && mayExplore(policy, await callerOf(request)) : true,
    customErrors: {
      // Under application/graphql-response+json a request error is a 4xx; under application/json
      // it stays 200 (`spec`), as for Yoga's own request errors. Apollo's link retries on the code.
      notFound: () =>
        new GatewayError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "No trusted document has this id.", { http: { status: 404, spec: true } }),
      persistedQueryOnly: () =>
        new GatewayError(ErrorCode.PERSISTED_QUERY_ONLY, "This gateway runs trusted documents only: send a documentId (or Apollo's persistedQuery hash) instead of the document's text.", {
          http: { status: 400 },
        }),
      // Neither text nor id: Yoga's own answer to a request with no query (contract-codes maps it).
      keyNotFound: () =>
        createGraphQLError("Must provide query string or documentId.", { extensions: { code: "BAD_REQUEST", http: { spec: true, status: 400 } } }),
    },
  });
}
