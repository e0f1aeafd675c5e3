// A loopback HTTP proxy in front of moto_server: counts AWS calls by operation, can hold each one
// for a fixed delay, and refuses AssumeRole for chosen roles as AWS does (AccessDenied), which moto
// itself never does. The gateway talks to it through AWS_ENDPOINT_URL, with the real wire protocols.
import { createServer, request, type IncomingMessage, type Server } from "node:http";

export interface AwsProxyOptions {
  /** held before each call is passed on, as a slow AWS would */
  delayMs?: number;
  /** role ARNs whose AssumeRole is refused */
  deniedRoles?: readonly string[];
}

export interface AwsProxy {
  url: string;
  /** calls by operation (Action for query protocols, method and path head for S3) */
  calls: Map<string, number>;
  /** the most calls that were under way at once */
  mostInFlight: number;
  /** the calls under way now */
  readonly inFlight: number;
  /** each call in order: its operation, its form parameters (query protocols), and when it arrived (ms since the epoch) */
  requests: { operation: string; params: URLSearchParams; at: number }[];
  reset(): void;
  close(): Promise<void>;
}

/** The whole body of a request. */
export const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

const STS_DENIED = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>proxy-denied</RequestId></ErrorResponse>`;

export async function startAwsProxy(target: string, options: AwsProxyOptions = {}): Promise<AwsProxy> {
  const upstream = new URL(target);
  let inFlight = 0;
  const proxy: AwsProxy = {
    url: "",
    calls: new Map(),
    mostInFlight: 0,
    get inFlight() {
      return inFlight;
    },
    requests: [],
    reset() {
      proxy.calls.clear();
      proxy.mostInFlight = 0;
      proxy.requests.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Clients keep their connections alive; close() would wait for them.
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const form = new URLSearchParams(req.headers["content-type"]?.includes("x-www-form-urlencoded") ? body.toString() : "");
    const target = req.headers["x-amz-target"];
    const operation = form.get("Action") ?? (typeof target === "string" ? target.split(".").pop()! : `${req.method} s3`);
    proxy.calls.set(operation, (proxy.calls.get(operation) ?? 0) + 1);
    proxy.requests.push({ operation, params: form, at: Date.now() });
    inFlight += 1;
    proxy.mostInFlight = Math.max(proxy.mostInFlight, inFlight);
    // A client that gives up (its request timed out) ends the call: an answer piped to it stops flowing.
    const clientGone = new Promise<void>((resolve) => res.once("close", resolve));
    try {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      if (operation === "AssumeRole" && options.deniedRoles?.includes(form.get("RoleArn") ?? "")) {
        res.writeHead(403, { "content-type": "text/xml" });
        res.end(STS_DENIED);
        return;
      }
      const forwarded = new Promise<void>((resolve) => {
        const forward = request(
          { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on("end", resolve);
          },
        );
        forward.on("error", () => {
          res.writeHead(502);
          res.end();
          resolve();
        });
        forward.end(body);
      });
      await Promise.race([forwarded, clientGone]);
    } finally {
      inFlight -= 1;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  proxy.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return proxy;
}

/** The most of `times` (ms) that fall in any window of `windowMs`. */
export function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
