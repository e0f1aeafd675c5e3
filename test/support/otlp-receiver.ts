// A loopback OTLP/HTTP trace receiver, as a collector would be: keeps every export POSTed to
// /v1/traces, and reads the spans of the JSON ones (OTEL_EXPORTER_OTLP_PROTOCOL=http/json).
import { createServer } from "node:http";

export interface ReceivedExport {
  contentType: string;
  body: Buffer;
}

type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 2: server, 3: client */
  kind: number;
  /** 0: unset, 1: ok, 2: error */
  status: { code: number; message?: string };
  attributes: Record<string, string | number | boolean | undefined>;
  resource: Record<string, string | number | boolean | undefined>;
}

export interface OtlpReceiver {
  /** for OTEL_EXPORTER_OTLP_ENDPOINT */
  endpoint: string;
  exports: ReceivedExport[];
  /** the spans of every JSON export so far */
  spans(): ReceivedSpan[];
  /** polls until `find` returns something, or fails saying what was received */
  waitFor<T>(what: string, find: (spans: ReceivedSpan[]) => T | undefined): Promise<T>;
  close(): Promise<void>;
}

const valueOf = (value: AnyValue) =>
  value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue;
const attributesOf = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const exports: ReceivedExport[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      const contentType = req.headers["content-type"] ?? "";
      exports.push({ contentType, body: Buffer.concat(chunks) });
      if (contentType.includes("json")) res.writeHead(200, { "content-type": "application/json" }).end("{}");
      else res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  const spans = (): ReceivedSpan[] =>
    exports
      .filter((e) => e.contentType.includes("json"))
      .flatMap((e) => {
        const request = JSON.parse(e.body.toString()) as {
          resourceSpans: { resource?: { attributes?: KeyValue[] }; scopeSpans: { spans: (Omit<ReceivedSpan, "attributes" | "resource" | "status"> & { attributes?: KeyValue[]; status?: ReceivedSpan["status"] })[] }[] }[];
        };
        return request.resourceSpans.flatMap(({ resource, scopeSpans }) =>
          scopeSpans.flatMap(({ spans }) =>
            spans.map((span) => ({
              ...span,
              parentSpanId: span.parentSpanId || undefined,
              status: { code: span.status?.code ?? 0, message: span.status?.message },
              attributes: attributesOf(span.attributes),
              resource: attributesOf(resource?.attributes),
            })),
          ),
        );
      });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    exports,
    spans,
    async waitFor(what, find) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const found = find(spans());
        if (found !== undefined) return found;
        if (Date.now() > deadline) {
          throw new Error(`no ${what} reached the OTLP receiver within 20 s; received: ${JSON.stringify(spans().map((s) => [s.name, s.attributes]))}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
