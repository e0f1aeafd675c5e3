// Starts a real moto_server (Python's moto AWS emulator) on a free port, and stops it.
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface Moto {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts moto_server; fails, saying what is missing, when it cannot. */
export async function startMoto(port?: number): Promise<Moto> {
  const chosen = port ?? (await freePort());
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(chosen)], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (error) => reject(new Error(`moto_server could not be started (is Python's moto installed and on PATH?): ${error.message}`))),
  );
  const endpoint = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 30_000;
  const ready = (async () => {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}: ${stderr}`);
      try {
        const response = await fetch(`${endpoint}/moto-api/`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
  })();
  await Promise.race([ready, spawnError]);
  return {
    endpoint,
    port: chosen,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}

/** Credentials and region for SDK clients talking to moto. */
export const motoClientConfig = (endpoint: string, region = "us-east-1") => ({
  region,
  endpoint,
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
});

/** Credentials that act in another account of the emulator: the account's role assumed with STS. */
export async function assumedCredentials(endpoint: string, roleArn: string): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> {
  const sts = new STSClient(motoClientConfig(endpoint));
  try {
    const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "seed" }))).Credentials!;
    return { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken };
  } finally {
    sts.destroy();
  }
}
