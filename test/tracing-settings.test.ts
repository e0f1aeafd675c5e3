import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config.js";
import { readTracingSettings } from "../src/tracing.js";

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };

describe("trace settings from the OTEL_ variables", () => {
  it("sends nothing without an OTLP endpoint, or when the SDK or the trace exporter is turned off", () => {
    expect(readTracingSettings({})).toBeUndefined();
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: " ", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toBeUndefined();
    expect(readTracingSettings({ ...ENDPOINT, OTEL_SDK_DISABLED: "true" })).toBeUndefined();
    expect(readTracingSettings({ ...ENDPOINT, OTEL_TRACES_EXPORTER: "none" })).toBeUndefined();
  });

  it("sends protobuf over HTTP by default, JSON when asked, the traces' own protocol first", () => {
    expect(readTracingSettings(ENDPOINT)).toEqual({ protocol: "http/protobuf" });
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://collector/v1/traces", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toEqual({ protocol: "http/json" });
    expect(readTracingSettings({ ...ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc", OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" })).toEqual({ protocol: "http/json" });
  });

  it("refuses, in one line naming the variable, a value the SDK would only warn about", () => {
    const refusals: [Record<string, string>, RegExp][] = [
      [{ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, /^invalid OTEL_EXPORTER_OTLP_PROTOCOL \(got "grpc"\): expected http\/protobuf or http\/json/],
      [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/xml" }, /^invalid OTEL_EXPORTER_OTLP_TRACES_PROTOCOL \(got "http\/xml"\)/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, /^invalid OTEL_EXPORTER_OTLP_ENDPOINT \(got "collector:4318"\): expected an http:\/\/ or https:\/\/ URL/],
      [{ OTEL_TRACES_EXPORTER: "zipkin" }, /^invalid OTEL_TRACES_EXPORTER \(got "zipkin"\): expected otlp or none/],
      [{ OTEL_TRACES_SAMPLER: "sometimes" }, /^invalid OTEL_TRACES_SAMPLER \(got "sometimes"\)/],
      [{ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" }, /^invalid OTEL_TRACES_SAMPLER_ARG \(got "2"\)/],
      [{ OTEL_BSP_SCHEDULE_DELAY: "soon" }, /^invalid OTEL_BSP_SCHEDULE_DELAY \(got "soon"\)/],
      [{ OTEL_EXPORTER_OTLP_COMPRESSION: "brotli" }, /^invalid OTEL_EXPORTER_OTLP_COMPRESSION \(got "brotli"\)/],
    ];
    for (const [env, message] of refusals) {
      const read = () => readTracingSettings({ ...ENDPOINT, ...env });
      expect(read).toThrow(ConfigError);
      expect(read).toThrow(message);
    }
  });

  it("leaves the OTEL_ variables alone while no trace is sent", () => {
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc", OTEL_BSP_SCHEDULE_DELAY: "soon" })).toBeUndefined();
  });
});
