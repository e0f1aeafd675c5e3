// The caller budget: with API keys, each caller may cost so many AWS calls a window (an hour by
// default), counted in calls actually made (cache hits are free), GitHub's rateLimit style. A
// query's worst case is set aside before it runs, so callers at once can never overspend; what it
// did not use is given back when it is done.
import type { Plugin } from "graphql-yoga";
import type { ResourceContext } from "./resource-context.js";
import { ErrorCode, GatewayError } from "../errors.js";
import type { RateCounters, WindowCount } from "../store/types.js";
import { contractErrorOf } from "./contract-errors.js";
import type { CostOf } from "./query-limits.js";

export interface CallerBudgetOptions {
  counters: RateCounters;
  /** AWS calls a caller may cost a window */
  limit: number;
  windowMs: number;
  /** the caller a request's key or token names, or undefined without a valid one: for answers that never ran */
  callerOf(request: Request): string | undefined | Promise<string | undefined>;
  costOf: CostOf;
  onRefused?(caller: string): void;
}

/** `extensions.rateLimit` of an answer. */
export interface RateLimitView {
  limit: number;
  remaining: number;
  resetAt: string;
}

const budgetKey = (caller: string) => `budget:caller:${caller}`;

export function callerBudgetPlugin(options: CallerBudgetOptions): Plugin<ResourceContext> {
  const { counters, limit, windowMs } = options;
  const view = (count: WindowCount): RateLimitView => ({ limit, remaining: Math.max(0, limit - count.used), resetAt: new Date(count.resetAt).toISOString() });
  /** the caller's count as this request left it, for its answer */
  const counted = new WeakMap<Request, WindowCount>();

  return {
    async onExecute({ args, setResultAndStopExecution }) {
      // With API keys or tokens, the context was made only for a caller with a valid one.
      const ctx = args.contextValue as ResourceContext & { request: Request };
      const caller = ctx.caller;
      const worstCase = options.costOf(args).awsCalls;
      let reserved: WindowCount;
      try {
        reserved = await counters.spend(budgetKey(caller), worstCase, windowMs, limit);
      } catch (error) {
        setResultAndStopExecution({ errors: [contractErrorOf(error) as GatewayError] });
        return;
      }
      counted.set(ctx.request, reserved);
      if (!reserved.added) {
        options.onRefused?.(caller);
        const remaining = Math.max(0, limit - reserved.used);
        const retryAfterSeconds = Math.max(1, Math.ceil((reserved.resetAt - Date.now()) / 1000));
        const message =
          remaining === 0
            ? `This API key has spent its ${limit} AWS calls for now (CALLER_AWS_CALLS_PER_HOUR); it refills at ${new Date(reserved.resetAt).toISOString()}.`
            : `This query could cost ${worstCase} AWS calls and this API key has ${remaining} left until ${new Date(reserved.resetAt).toISOString()}; ask for smaller pages or wait.`;
        setResultAndStopExecution({
          errors: [new GatewayError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds, cost: worstCase, remaining, http: { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } } })],
        });
        return;
      }
      return {
        async onExecuteDone() {
          const { calls, retries } = ctx.aws.usage;
          // Give back what the worst case set aside beyond what was spent (or take the excess: retries).
          const settled = await counters.spend(budgetKey(caller), calls + retries - worstCase, windowMs).catch(() => undefined);
          counted.set(ctx.request, settled ?? { ...reserved, used: reserved.used - worstCase + calls + retries });
        },
      };
    },

    // Every answer to a caller with a key says where its budget stands: refused, run, or invalid before running.
    async onResultProcess({ request, result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      let count = counted.get(request);
      if (!count) {
        const caller = await options.callerOf(request);
        if (caller === undefined) return;
        count = await counters.spend(budgetKey(caller), 0, windowMs).catch(() => undefined);
        if (!count) return;
      }
      setResult({ ...result, extensions: { ...result.extensions, rateLimit: view(count) } });
    },
  };
}
