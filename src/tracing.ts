// Traces over OTLP/HTTP when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set: the request and AWS call
// spans, and the SDK's setup. Unset, the SDK is never loaded and no span is started.
import type { IncomingHttpHeaders } from "node:http";
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";
import type { Logger } from "pino";
import { z } from "zod";
import { ConfigError } from "./config.js";

export type { Span } from "@opentelemetry/api";

export type OtlpProtocol = "http/protobuf" | "http/json";

export interface TracingSettings {
  protocol: OtlpProtocol;
}

export interface Tracing {
  /** ends the spans under way and sends what is left, within `timeoutMs` */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** The gateway's tracer while traces are sent; undefined otherwise, and then nothing is traced. */
let tracer: Tracer | undefined;

const SAMPLERS = ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"] as const;
const count = z.coerce.number().int().min(0);
const endpoint = z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });

// The SDK reads these variables itself, and on a bad value logs a warning and goes on with its
// default; read here first, so that a bad value stops the start as the gateway's own settings do.
const otelSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.string().optional(),
  OTEL_EXPORTER_OTLP_COMPRESSION: z.enum(["gzip", "none"]).optional(),
  OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: z.enum(["gzip", "none"]).optional(),
  OTEL_EXPORTER_OTLP_TIMEOUT: count.optional(),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: count.optional(),
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS).optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_BSP_SCHEDULE_DELAY: count.optional(),
  OTEL_BSP_EXPORT_TIMEOUT: count.optional(),
  OTEL_BSP_MAX_QUEUE_SIZE: count.min(1).optional(),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: count.min(1).optional(),
});

/**
 * Whether and how to send traces, from the standard OTEL_* variables: undefined without an OTLP
 * endpoint, with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. A bad value is a ConfigError.
 */
export function readTracingSettings(env: Record<string, string | undefined> = process.env): TracingSettings | undefined {
  const present = Object.fromEntries(
    Object.entries(env)
      .filter(([key, value]) => key.startsWith("OTEL_") && value !== undefined && value.trim() !== "")
      .map(([key, value]) => [key, value!.trim()]),
  );
  if (present.OTEL_SDK_DISABLED?.toLowerCase() === "true") return undefined;
  const exporter = present.OTEL_TRACES_EXPORTER;
  if (exporter !== undefined && exporter !== "otlp" && exporter !== "none") {
    throw new ConfigError(`invalid OTEL_TRACES_EXPORTER (got "${exporter.slice(0, 40)}"): expected otlp or none`);
  }
  if (exporter === "none" || (present.OTEL_EXPORTER_OTLP_ENDPOINT === undefined && present.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT === undefined)) return undefined;

  const parsed = otelSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`invalid ${name} (got "${String(present[name]).slice(0, 80)}"): ${issue.message}`);
  }
  const protocolVariable = present.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL !== undefined ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
  const protocol = present[protocolVariable] ?? "http/protobuf";
  if (protocol !== "http/protobuf" && protocol !== "http/json") {
    throw new ConfigError(`invalid ${protocolVariable} (got "${protocol.slice(0, 40)}"): expected http/protobuf or http/json (OTLP over HTTP; gRPC is not supported)`);
  }
  return { protocol };
}

/** Starts sending traces: the SDK is loaded only now, and only when `settings` says to. */
export async function startTracing(settings: TracingSettings | undefined, logger: Logger): Promise<Tracing> {
  if (!settings) return { shutdown: async () => {} };
  const { startTraceExport } = await import("./tracing-sdk.js");
  const sdk = await startTraceExport(settings.protocol, logger);
  tracer = sdk.tracer;
  return {
    async shutdown(timeoutMs = 5000) {
      tracer = undefined;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([sdk.shutdown().catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

/** The span of one GraphQL request over HTTP, continuing the caller's `traceparent`; undefined when not tracing. */
export function startRequestSpan(method: string | undefined, path: string, headers: IncomingHttpHeaders, requestId: string): Span | undefined {
  if (!tracer) return undefined;
  return tracer.startSpan(
    `${method ?? "GET"} ${path}`,
    { kind: SpanKind.SERVER, attributes: { "http.request.method": method ?? "GET", "url.path": path, "awsgql.request_id": requestId } },
    propagation.extract(ROOT_CONTEXT, headers),
  );
}

/** Names the request span after its operation, as the GraphQL semantic conventions do. */
export function setOperation(span: Span, type: string, name: string | undefined): void {
  span.setAttribute("graphql.operation.type", type);
  if (name) span.setAttribute("graphql.operation.name", name);
  span.updateName(name ? `${type} ${name}` : type);
}

/** Marks a span failed with a contract error code (AWS_ACCESS_DENIED, CURSOR_EXPIRED, ...). */
export function setFailed(span: Span, code: string): void {
  span.setAttribute("error.type", code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

/** The AWS SDK's service ids, as `rpc.service` names them. */
const SERVICE_IDS: Record<string, string> = { ec2: "EC2", s3: "S3", iam: "IAM", sts: "STS" };

/** The span of one AWS call under a request's span; undefined when not tracing or outside a request. */
export function startAwsCallSpan(parent: Span | undefined, service: string, operation: string, region: string): Span | undefined {
  if (!tracer || !parent) return undefined;
  const serviceId = SERVICE_IDS[service] ?? service;
  const attributes: Attributes = {
    "rpc.system": "aws-api",
    "rpc.service": serviceId,
    "rpc.method": operation,
    "cloud.provider": "aws",
    "cloud.region": region,
  };
  return tracer.startSpan(`${serviceId}.${operation}`, { kind: SpanKind.CLIENT, attributes }, trace.setSpan(ROOT_CONTEXT, parent));
}
