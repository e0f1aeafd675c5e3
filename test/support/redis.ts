// The project's Redis (127.0.0.1:6379), or a redis-server (or a Redis Cluster) of a test's own on free ports.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./moto.js";

export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/3";

/** Fails, saying what is missing, when the shared Redis does not answer. */
export async function requireSharedRedis(): Promise<void> {
  const client = new Redis(SHARED_REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${SHARED_REDIS_URL} (${(error as Error).message}); start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`,
    );
  } finally {
    client.disconnect();
  }
}

export interface OwnRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server this test starts and stops itself, on a port it keeps across restarts. */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}/0`;
  const pingable = async () => {
    const client = new Redis(url, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.ping();
      return true;
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  };
  return {
    port,
    url,
    async start() {
      child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      const failed = new Promise<never>((_, reject) => child!.once("error", (e) => reject(new Error(`redis-server could not be started (is it installed?): ${e.message}`))));
      const up = (async () => {
        for (let i = 0; i < 100; i += 1) {
          if (await pingable()) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`redis-server did not answer on port ${port}`);
      })();
      await Promise.race([up, failed]);
    },
    async stop() {
      const running = child;
      // A process killed by a signal keeps a null exitCode: its signalCode says it is gone.
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once("exit", () => resolve());
        running.kill("SIGKILL");
      });
    },
  };
}

export interface OwnRedisCluster {
  /** the CURSOR_STORE value naming it */
  url: string;
  ports: number[];
  /** kills one master (SIGKILL: it keeps nothing) and starts it again on its port, with its slots */
  restart(index: number, downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of three masters (no replicas) on free loopback ports, made by `redis-server
 * --cluster-enabled yes` and `redis-cli --cluster create`, kept in a temporary directory.
 */
export async function ownRedisCluster(masters = 3): Promise<OwnRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), "awsgql-cluster-"));
  const ports: number[] = [];
  for (let i = 0; i < masters; i += 1) ports.push(await freePort());
  const children: (ChildProcess | undefined)[] = [];
  const client = (port: number) => {
    const c = new Redis({ host: "127.0.0.1", port, lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on("error", () => {});
    return c;
  };
  const ask = async (port: number, ...command: string[]): Promise<string | undefined> => {
    const c = client(port);
    try {
      await c.connect();
      return String(await c.call(command[0]!, ...command.slice(1)));
    } catch {
      return undefined;
    } finally {
      c.disconnect();
    }
  };
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i += 1) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Redis Cluster on ports ${ports.join(", ")}: ${what} did not happen within 20 s`);
  };
  const start = async (i: number) => {
    const port = ports[i]!;
    const child = spawn(
      "redis-server",
      ["--bind", "127.0.0.1", "--port", String(port), "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`, "--cluster-node-timeout", "1000", "--dir", dir, "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    children[i] = child;
    const failed = new Promise<never>((_, reject) => child.once("error", (e) => reject(new Error(`redis-server could not be started (is it installed?): ${e.message}`))));
    await Promise.race([until(`redis-server on ${port} answering`, async () => (await ask(port, "PING")) === "PONG"), failed]);
  };
  const allOk = () => until("cluster_state:ok on every node", async () => (await Promise.all(ports.map((p) => ask(p, "CLUSTER", "INFO")))).every((info) => info?.includes("cluster_state:ok")));

  for (let i = 0; i < masters; i += 1) await start(i);
  await new Promise<void>((resolve, reject) => {
    const create = spawn("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    create.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    create.once("error", (e) => reject(new Error(`redis-cli could not be started (is it installed?): ${e.message}`)));
    create.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli --cluster create failed (${code}): ${stderr}`))));
  });
  await allOk();

  const kill = async (i: number) => {
    const running = children[i];
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGKILL");
    });
  };
  return {
    url: `redis-cluster://${ports.map((p) => `127.0.0.1:${p}`).join(",")}`,
    ports,
    async restart(i, downMs = 0) {
      await kill(i);
      await new Promise((r) => setTimeout(r, downMs));
      await start(i);
      await allOk();
    },
    async stop() {
      for (let i = 0; i < masters; i += 1) await kill(i);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
