// The project's Redis (127.0.0.1:6379), or a redis-server of a test's own on a free port.
import { spawn, type ChildProcess } from "node:child_process";
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
