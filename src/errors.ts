// The contract's error codes, and the one constructor every layer uses to raise them.
import { GraphQLError } from "graphql";

export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  CURSOR_INVALID: "CURSOR_INVALID",
  CURSOR_EXPIRED: "CURSOR_EXPIRED",
  CURSOR_MISMATCH: "CURSOR_MISMATCH",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  AWS_ACCESS_DENIED: "AWS_ACCESS_DENIED",
  AWS_THROTTLED: "AWS_THROTTLED",
  NOT_FOUND: "NOT_FOUND",
  UPSTREAM_UNAVAILABLE: "UPSTREAM_UNAVAILABLE",
  CURSOR_STORE_UNAVAILABLE: "CURSOR_STORE_UNAVAILABLE",
  QUERY_TOO_COSTLY: "QUERY_TOO_COSTLY",
  RATE_LIMITED: "RATE_LIMITED",
  PERSISTED_QUERY_NOT_FOUND: "PERSISTED_QUERY_NOT_FOUND",
  PERSISTED_QUERY_ONLY: "PERSISTED_QUERY_ONLY",
  FORBIDDEN: "FORBIDDEN",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A failure the client should see as it is: its message is safe and its code is in the contract. */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.code = code;
  }
}

export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  new GatewayError(ErrorCode.BAD_USER_INPUT, message, extensions);

export function isGatewayError(error: unknown, code?: ErrorCode): error is GatewayError {
  return error instanceof GatewayError && (code === undefined || error.code === code);
}
