// The OpenTelemetry SDK as the gateway uses it, loaded by tracing.ts only when traces are sent:
// batched spans to an OTLP/HTTP exporter that reads its own OTEL_EXPORTER_OTLP_* variables.
import { diag, DiagLogLevel, propagation, trace, type Tracer } from "@opentelemetry/api";
import { setGlobalErrorHandler, W3CTraceContextPropagator } from "@opentelemetry/core";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "pino";
import type { OtlpProtocol } from "./tracing.js";

export async function startTraceExport(protocol: OtlpProtocol, logger: Logger): Promise<{ tracer: Tracer; shutdown(): Promise<void> }> {
  // A batch that could not be sent (the collector unreachable, say) is reported to the global
  // error handler, what the SDK finds wrong otherwise to diag: both become warnings in the log.
  setGlobalErrorHandler((error) => logger.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "traces: the OpenTelemetry SDK failed"));
  const warn = (message: string) => logger.warn(`traces: ${message}`);
  diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);

  const exporter: SpanExporter =
    protocol === "http/json"
      ? new (await import("@opentelemetry/exporter-trace-otlp-http")).OTLPTraceExporter()
      : new (await import("@opentelemetry/exporter-trace-otlp-proto")).OTLPTraceExporter();
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over the gateway's own name.
  const resource = defaultResource().merge(resourceFromAttributes({ "service.name": "awsgql" })).merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return { tracer: provider.getTracer("awsgql"), shutdown: () => provider.shutdown() };
}
