// `npm start` as a real child process, for tests of what runs across processes.
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./moto.js";
import { postGraphQL, UNBOUNDED_BUDGET, type GraphQLClient } from "./gateway.js";

export interface GatewayProcess extends GraphQLClient {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  // node itself, not npx: a signal to a wrapper would not reach the server under it
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, LOG_LEVEL: "silent", ...UNBOUNDED_BUDGET, ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      if (Date.now() > deadline) throw new Error(`gateway did not serve within 60 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    base,
    child,
    query: (query, variables, headers) => postGraphQL(`${base}/graphql`, query, variables, headers),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

/** A client that sends each request to the next gateway in turn, as a load balancer would. */
export function roundRobin(gateways: GraphQLClient[]): GraphQLClient {
  let next = 0;
  return { query: (...args) => gateways[next++ % gateways.length]!.query(...args) };
}
