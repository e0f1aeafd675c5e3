// The account budget: at most so many AWS calls a second per account, region and service, shared by
// every replica on the same store, so dashboards never push the account into throttling that
// hurts its other users. Every attempt counts, the SDK's retries too.
import { SMITHY_CONTEXT_KEY, type DeserializeMiddleware, type MetadataBearer, type Pluggable } from "@smithy/types";
import { ErrorCode, GatewayError } from "../errors.js";
import type { CallRates } from "../config.js";
import type { RateCounters } from "../store/types.js";

type Service = keyof CallRates;

/** What the budget did, for /metrics. */
export interface BudgetObserver {
  onBudget(event: { service: Service; outcome: "waited" | "refused"; waitedMs?: number }): void;
}

export class AccountBudget {
  /** the time each command has waited for the budget, all its attempts together, where it waited */
  private readonly waits = new WeakMap<object, number>();

  constructor(
    private readonly counters: RateCounters,
    private readonly rates: CallRates,
    private readonly maxWaitMs: number,
    private readonly observer?: BudgetObserver,
  ) {}

  /**
   * Waits until a call of `service` in `account` and `region` is within the budget, or refuses it
   * as AWS_THROTTLED; resolves to the milliseconds waited.
   */
  async admit(account: string, region: string, service: Service): Promise<number> {
    const rate = this.rates[service];
    const wait = await this.counters.takeCall(`budget:calls:${account}:${region}:${service}`, rate, Math.max(1, rate), this.maxWaitMs);
    if (wait === undefined) {
      this.observer?.onBudget({ service, outcome: "refused" });
      throw new GatewayError(
        ErrorCode.AWS_THROTTLED,
        `The gateway's budget of ${rate} ${service} calls a second for this account and region is spent for now (AWS_CALLS_PER_SECOND); try again shortly.`,
        { reason: "GATEWAY_BUDGET", service, region, retryAfterSeconds: 1 },
      );
    }
    if (wait > 0) {
      this.observer?.onBudget({ service, outcome: "waited", waitedMs: wait });
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return wait;
  }

  /** How long an SDK command sent through `plugin` has waited for the budget so far, in milliseconds. */
  waitedFor(command: object): number {
    return this.waits.get(command) ?? 0;
  }

  /**
   * An SDK client plugin that admits every attempt: innermost in the stack, inside the SDK's retry
   * middleware and after signing, it runs once per HTTP request, right before it is sent.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one plugin for every client's own input and output types
  plugin(account: string, region: string, service: Service): Pluggable<any, any> {
    const middleware: DeserializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
      const waited = await this.admit(account, region, service);
      const command = context[SMITHY_CONTEXT_KEY]?.commandInstance;
      if (waited > 0 && command) this.waits.set(command, this.waitedFor(command) + waited);
      return next(args);
    };
    return {
      applyToStack: (stack) => {
        stack.add(middleware, { step: "deserialize", priority: "low", name: "awsgqlAccountBudget", override: true });
      },
    };
  }
}
