// What the pagination layer and the cursor store refuse, as the contract's error codes.
import { ErrorCode, GatewayError } from "../errors.js";
import { PartsChangedError } from "../pagination/concat.js";
import { CursorError, RepeatedTokenError, type CursorRefusal } from "../pagination/errors.js";
import { CursorStoreUnavailableError } from "../store/types.js";

const CURSOR_CODES: Record<CursorRefusal, ErrorCode> = {
  invalid: ErrorCode.CURSOR_INVALID,
  expired: ErrorCode.CURSOR_EXPIRED,
  mismatch: ErrorCode.CURSOR_MISMATCH,
};

/** The contract error for a failure of the pagination layer or the cursor store; anything else as it is. */
export function contractErrorOf<Failure>(error: Failure): Failure | GatewayError {
  if (error instanceof CursorError) return new GatewayError(CURSOR_CODES[error.refusal], error.message);
  if (error instanceof CursorStoreUnavailableError) {
    return new GatewayError(ErrorCode.CURSOR_STORE_UNAVAILABLE, "The cursor store cannot be reached; try again shortly.");
  }
  if (error instanceof RepeatedTokenError) return new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, error.message, { reason: "REPEATED_TOKEN" });
  if (error instanceof PartsChangedError) {
    return new GatewayError(ErrorCode.CURSOR_EXPIRED, "The accounts or regions behind this cursor changed; start the listing again without `after`.");
  }
  return error;
}

/** Runs pagination work, its failures raised with contract codes. */
export async function withContractErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw contractErrorOf(error);
  }
}
