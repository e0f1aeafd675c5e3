import { describe, expect, it, vi } from "vitest";
import { startGateway, type TestGateway } from "../support/gateway.js";

const MiB = 1024 * 1024;

const gauge = async (gateway: TestGateway, name: string) => {
  const value = new RegExp(`^${name} (\\S+)$`, "m").exec(await gateway.metrics())?.[1];
  return value === undefined ? undefined : Number(value);
};

/** Whether anything still answers at the gateway's address, asked until `deadlineMs` says it does not. */
async function stillServing(base: string, deadlineMs = 10_000): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (!(await fetch(`${base}/healthz`).then(() => true, () => false))) return false;
    if (Date.now() >= until) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("MEMORY_LIMIT_MB, on the built server", () => {
  it("caps V8's heap and bounds the memory store from one number, and says so at start", async () => {
    const gateway = await startGateway({ MEMORY_LIMIT_MB: "256", LOG_LEVEL: "info" });
    try {
      // 256 MB: a 128 MB old generation and three 4 MB semi-spaces; the store half the old generation.
      expect(await gauge(gateway, "awsgql_memory_limit_bytes")).toBe(256 * MiB);
      expect(await gauge(gateway, "awsgql_heap_limit_bytes")).toBe((128 + 3 * 4) * MiB);
      expect(await gauge(gateway, "awsgql_cursor_store_max_bytes")).toBe(64 * MiB);
      await vi.waitFor(() =>
        expect(gateway.logs().find((line) => line.msg === "memory")).toMatchObject({
          memoryLimitMb: 256,
          memoryLimitSource: "MEMORY_LIMIT_MB",
          heapLimitMb: 140,
          heapLimitSource: "memory limit",
          cursorStoreMaxBytes: 64 * MiB,
          cursorStoreMaxSource: "MEMORY_LIMIT_MB",
        }),
        { timeout: 5000 },
      );
      const answer = await gateway.query("{ __typename }");
      expect(answer.data).toEqual({ __typename: "Query" });
    } finally {
      await gateway.close();
    }
    expect(await stillServing(gateway.base, 0)).toBe(false);
  });

  it("leaves a heap cap the operator gave node in force, and sizes the store all the same", async () => {
    const gateway = await startGateway({ MEMORY_LIMIT_MB: "512", NODE_OPTIONS: "--max-old-space-size=300", LOG_LEVEL: "info" });
    try {
      const heapLimit = (await gauge(gateway, "awsgql_heap_limit_bytes"))!;
      expect(heapLimit).toBeGreaterThanOrEqual(300 * MiB);
      expect(heapLimit).toBeLessThan(384 * MiB);
      expect(await gauge(gateway, "awsgql_cursor_store_max_bytes")).toBe(192 * MiB);
      // the start-up line reaches the test's reader of stdout in its own time, under load after /readyz
      await vi.waitFor(() => expect(gateway.logs().find((line) => line.msg === "memory")).toMatchObject({ memoryLimitMb: 512, heapLimitSource: "node option" }), { timeout: 5000 });
    } finally {
      await gateway.close();
    }
  });

  it("stops the server when the process it was started from is killed outright", async () => {
    const gateway = await startGateway({ MEMORY_LIMIT_MB: "256" });
    try {
      expect(await gauge(gateway, "awsgql_heap_limit_bytes")).toBe(140 * MiB);
      process.kill(gateway.pid, "SIGKILL");
      expect(await stillServing(gateway.base)).toBe(false);
    } finally {
      await gateway.close();
    }
  });
});
