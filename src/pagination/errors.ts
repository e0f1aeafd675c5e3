// What the pagination layer refuses, in its own terms; the GraphQL edge maps these to contract codes.

/** Why a cursor was refused: not one of ours (or another caller's), gone, or issued for another listing. */
export type CursorRefusal = "invalid" | "expired" | "mismatch";

export class CursorError extends Error {
  constructor(
    readonly refusal: CursorRefusal,
    message: string,
  ) {
    super(message);
  }
}

export const invalidCursor = () =>
  new CursorError("invalid", "This cursor is not valid here; use a cursor from an earlier answer of this gateway.");
export const expiredCursor = (message = "This cursor has expired; start the listing again without `after`.") => new CursorError("expired", message);
export const mismatchedCursor = () =>
  new CursorError("mismatch", "This cursor was issued for another field or other arguments, or for accounts that have changed since; use it with the same field and arguments, or start again.");

/** AWS handed back the token it was given: following it would loop forever. */
export class RepeatedTokenError extends Error {
  constructor() {
    super("AWS returned the pagination token it was given; the listing was stopped instead of looping");
  }
}

/** A small listing (a batch of ids) did not end within its bound on AWS calls. */
export class ListingTooLongError extends Error {
  constructor(maxCalls: number) {
    super(`listing did not end within ${maxCalls} AWS calls`);
  }
}
