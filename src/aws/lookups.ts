// Single-item lookups for DataLoaders over services with no batch Get: one call per key, in parallel.
import type { GatewayContext } from "../context.js";
import { ErrorCode, isGatewayError } from "../errors.js";

/**
 * Looks each key up: null for a key that cannot name anything (no call made) or that AWS says does
 * not exist, the error itself for any other failure, so it surfaces on that key's field alone.
 */
export function lookupEach<Model>(valid: (key: string) => boolean, fetch: (key: string, ctx: GatewayContext) => Promise<Model | undefined>) {
  return (keys: readonly string[], ctx: GatewayContext): Promise<(Model | Error | null)[]> =>
    Promise.all(
      keys.map(async (key) => {
        if (!valid(key)) return null;
        try {
          return (await fetch(key, ctx)) ?? null;
        } catch (error) {
          return isGatewayError(error, ErrorCode.NOT_FOUND) ? null : (error as Error);
        }
      }),
    );
}
