// Prometheus metrics of one gateway: AWS calls, cursor map, cursor errors, request latency.
import { getHeapStatistics } from "node:v8";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AnswerObserver } from "./aws/answers.js";
import type { BudgetObserver } from "./aws/budget.js";
import type { AwsCallObserver } from "./aws/clients.js";
import type { MemorySizing } from "./memory-limit.js";
import type { CursorStore } from "./store/types.js";

export class GatewayMetrics implements AwsCallObserver, AnswerObserver, BudgetObserver {
  readonly registry = new Registry();
  private readonly awsCalls = new Counter({
    name: "awsgql_aws_calls_total",
    help: "AWS API calls by service, operation and outcome (ok or the contract error code)",
    labelNames: ["service", "operation", "outcome"],
    registers: [this.registry],
  });
  private readonly awsRetries = new Counter({
    name: "awsgql_aws_retries_total",
    help: "Retries the AWS SDK made, by service and operation",
    labelNames: ["service", "operation"],
    registers: [this.registry],
  });
  private readonly awsLatency = new Histogram({
    name: "awsgql_aws_call_duration_seconds",
    help: "AWS call duration, retries included",
    labelNames: ["service", "operation"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly answers = new Counter({
    name: "awsgql_aws_answers_total",
    help: "AWS answers by outcome: hit (from the cache), coalesced (joined an identical call in flight), miss (a call made)",
    labelNames: ["service", "operation", "outcome"],
    registers: [this.registry],
  });
  private readonly cachedBytes = new Counter({
    name: "awsgql_aws_cache_written_bytes_total",
    help: "Bytes of AWS answers written to the cache (evictions: awsgql_cursor_map_evictions, which shares the store)",
    registers: [this.registry],
  });
  private readonly budgetWaits = new Counter({
    name: "awsgql_aws_budget_waits_total",
    help: "AWS calls that waited for the account budget (AWS_CALLS_PER_SECOND), by service",
    labelNames: ["service"],
    registers: [this.registry],
  });
  private readonly budgetWaited = new Counter({
    name: "awsgql_aws_budget_wait_seconds_total",
    help: "Time AWS calls spent waiting for the account budget, by service",
    labelNames: ["service"],
    registers: [this.registry],
  });
  private readonly budgetRefusals = new Counter({
    name: "awsgql_aws_budget_refusals_total",
    help: "AWS calls refused as AWS_THROTTLED (GATEWAY_BUDGET): the account budget had no room within AWS_BUDGET_WAIT_MS, by service",
    labelNames: ["service"],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: "awsgql_rate_limited_total",
    help: "Requests refused as RATE_LIMITED: the caller's AWS-call budget was spent or too small for the query",
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: "awsgql_graphql_errors_total",
    help: "Errors in GraphQL answers by code (cursor errors among them)",
    labelNames: ["code"],
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: "awsgql_request_duration_seconds",
    help: "GraphQL request duration",
    labelNames: ["outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(store: CursorStore, memory?: MemorySizing) {
    collectDefaultMetrics({ register: this.registry, prefix: "awsgql_process_" });
    const registry = this.registry;
    if (memory?.limitMb !== undefined) {
      new Gauge({ name: "awsgql_memory_limit_bytes", help: "MEMORY_LIMIT_MB, or the container's memory limit, that sizes the heap and the store", registers: [registry] }).set(memory.limitMb * 1024 * 1024);
    }
    new Gauge({
      name: "awsgql_heap_limit_bytes",
      help: "V8's heap limit in force (old generation cap and young generation)",
      registers: [registry],
    }).set(getHeapStatistics().heap_size_limit);
    if (memory) {
      new Gauge({ name: "awsgql_cursor_store_max_bytes", help: "The memory store's bound (CURSOR_STORE_MAX_BYTES, or sized from the memory limit)", registers: [registry] }).set(memory.storeMaxBytes);
    }
    const stats = () => store.stats().catch(() => undefined);
    new Gauge({
      name: "awsgql_cursor_map_entries",
      help: "Records in the cursor map (cursor pages and held AWS pages)",
      registers: [registry],
      async collect() {
        const s = await stats();
        if (s) this.set(s.entries);
      },
    });
    new Gauge({
      name: "awsgql_cursor_map_bytes",
      help: "Bytes held by the cursor map (memory store; Redis reports its own)",
      registers: [registry],
      async collect() {
        const s = await stats();
        if (s?.bytes !== undefined) this.set(s.bytes);
      },
    });
    new Gauge({
      name: "awsgql_cursor_map_evictions",
      help: "Records the memory store evicted to stay within its bounds, since start",
      registers: [registry],
      async collect() {
        const s = await stats();
        if (s) this.set(s.evictions);
      },
    });
  }

  onAnswer(event: { service: string; operation: string; outcome: "hit" | "miss" | "coalesced"; bytes?: number }): void {
    this.answers.inc({ service: event.service, operation: event.operation, outcome: event.outcome });
    if (event.bytes) this.cachedBytes.inc(event.bytes);
  }

  onBudget({ service, outcome, waitedMs }: Parameters<BudgetObserver["onBudget"]>[0]): void {
    if (outcome === "refused") {
      this.budgetRefusals.inc({ service });
      return;
    }
    this.budgetWaits.inc({ service });
    this.budgetWaited.inc({ service }, (waitedMs ?? 0) / 1000);
  }

  onCall(call: { service: string; operation: string; retries: number; error?: string; durationMs: number }): void {
    this.awsCalls.inc({ service: call.service, operation: call.operation, outcome: call.error ?? "ok" });
    if (call.retries > 0) this.awsRetries.inc({ service: call.service, operation: call.operation }, call.retries);
    this.awsLatency.observe({ service: call.service, operation: call.operation }, call.durationMs / 1000);
  }
}
