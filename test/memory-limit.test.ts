import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { sizeForLimit } from "../src/memory-limit.js";

const MiB = 1024 * 1024;
const fixtures = mkdtempSync(join(tmpdir(), "awsgql-cgroup-"));
afterAll(() => rmSync(fixtures, { recursive: true, force: true }));

/** A folder laid out as /sys/fs/cgroup is, holding only the named files. */
function cgroup(name: string, files: Record<string, string>): string {
  const root = join(fixtures, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

const noCgroup = cgroup("none", {});
const v2 = (text: string) => cgroup(`v2-${text}`, { "memory.max": `${text}\n` });
const v1 = (text: string) => cgroup(`v1-${text}`, { "memory/memory.limit_in_bytes": `${text}\n` });

describe("memory limit", () => {
  it("without MEMORY_LIMIT_MB or a container limit, leaves V8 and the store as they were", () => {
    const config = loadConfig({}, { cgroupRoot: noCgroup });
    expect(config.CURSOR_STORE_MAX_BYTES).toBe(128 * MiB);
    expect(config.memory).toEqual({ storeMaxBytes: 128 * MiB, storeMaxSource: "default" });
    expect(loadConfig({ CURSOR_STORE_MAX_BYTES: "4096" }, { cgroupRoot: noCgroup }).memory).toEqual({ storeMaxBytes: 4096, storeMaxSource: "CURSOR_STORE_MAX_BYTES" });
  });

  it("sizes V8's heap cap and the store's bound from MEMORY_LIMIT_MB", () => {
    const config = loadConfig({ MEMORY_LIMIT_MB: "512" }, { cgroupRoot: noCgroup });
    expect(config.memory).toEqual({
      limitMb: 512,
      limitSource: "MEMORY_LIMIT_MB",
      heapCapMb: 384,
      semiSpaceMb: 8,
      storeMaxBytes: 192 * MiB,
      storeMaxSource: "MEMORY_LIMIT_MB",
      storeMaxAllowedBytes: 192 * MiB,
    });
    expect(config.CURSOR_STORE_MAX_BYTES).toBe(192 * MiB);
  });

  it("takes the container's limit from cgroup v2's memory.max, and none from \"max\"", () => {
    const limited = loadConfig({}, { cgroupRoot: v2(String(768 * MiB)) }).memory;
    expect(limited).toMatchObject({ limitMb: 768, limitSource: "cgroup v2", heapCapMb: 576, storeMaxBytes: 288 * MiB });
    expect(loadConfig({}, { cgroupRoot: v2("max") }).memory).toEqual({ storeMaxBytes: 128 * MiB, storeMaxSource: "default" });
  });

  it("takes it from cgroup v1's memory.limit_in_bytes, where a number near 2^63 means none", () => {
    expect(loadConfig({}, { cgroupRoot: v1(String(256 * MiB)) }).memory).toMatchObject({ limitMb: 256, limitSource: "cgroup v1", heapCapMb: 128, storeMaxBytes: 64 * MiB });
    expect(loadConfig({}, { cgroupRoot: v1("9223372036854771712") }).memory.limitMb).toBeUndefined();
  });

  it("prefers cgroup v2 when both are there, and MEMORY_LIMIT_MB over either", () => {
    const both = cgroup("both", { "memory.max": String(1024 * MiB), "memory/memory.limit_in_bytes": String(300 * MiB) });
    expect(loadConfig({}, { cgroupRoot: both }).memory).toMatchObject({ limitMb: 1024, limitSource: "cgroup v2" });
    expect(loadConfig({ MEMORY_LIMIT_MB: "2048" }, { cgroupRoot: both }).memory).toMatchObject({ limitMb: 2048, limitSource: "MEMORY_LIMIT_MB", heapCapMb: 1536 });
  });

  it("keeps an explicit CURSOR_STORE_MAX_BYTES that fits the limit", () => {
    const config = loadConfig({ MEMORY_LIMIT_MB: "256", CURSOR_STORE_MAX_BYTES: String(32 * MiB) }, { cgroupRoot: noCgroup });
    expect(config.CURSOR_STORE_MAX_BYTES).toBe(32 * MiB);
    expect(config.memory).toMatchObject({ heapCapMb: 128, storeMaxBytes: 32 * MiB, storeMaxSource: "CURSOR_STORE_MAX_BYTES", storeMaxAllowedBytes: 64 * MiB });
  });

  it("refuses a CURSOR_STORE_MAX_BYTES the limit has no room for, naming where the limit came from", () => {
    expect(() => loadConfig({ MEMORY_LIMIT_MB: "256", CURSOR_STORE_MAX_BYTES: String(128 * MiB) }, { cgroupRoot: noCgroup })).toThrowError(
      /^invalid CURSOR_STORE_MAX_BYTES \(got "134217728"\): MEMORY_LIMIT_MB=256 leaves the store at most 67108864 bytes/,
    );
    const container = v2(String(256 * MiB));
    expect(() => loadConfig({ CURSOR_STORE_MAX_BYTES: String(100 * MiB) }, { cgroupRoot: container })).toThrowError(
      new RegExp(`^invalid CURSOR_STORE_MAX_BYTES .*the container's memory limit \\(256 MB, ${container}/memory.max\\)`),
    );
    // The bound is the memory store's: with Redis holding the cursors it sizes nothing.
    expect(loadConfig({ MEMORY_LIMIT_MB: "256", CURSOR_STORE: "redis://127.0.0.1:6379/0", CURSOR_STORE_MAX_BYTES: String(128 * MiB) }, { cgroupRoot: noCgroup }).memory.heapCapMb).toBe(128);
  });

  it.each(["lots", "1.5", "-1", "100", "255"])("refuses MEMORY_LIMIT_MB=%s with one line naming the variable", (value) => {
    expect(() => loadConfig({ MEMORY_LIMIT_MB: value }, { cgroupRoot: noCgroup })).toThrowError(new RegExp(`^invalid MEMORY_LIMIT_MB \\(got "${value}"\\): `));
  });

  it("refuses a container limit too small to page in, unless MEMORY_LIMIT_MB says otherwise", () => {
    const small = v2(String(200 * MiB));
    expect(() => loadConfig({}, { cgroupRoot: small })).toThrowError(/^invalid MEMORY_LIMIT_MB: the container's memory limit is 200 MB \(.*memory\.max\), below the 256 MB/);
    expect(loadConfig({ MEMORY_LIMIT_MB: "256" }, { cgroupRoot: small }).memory.limitMb).toBe(256);
  });

  it("leaves room outside the heap at every size: the young generation, the code, the buffers", () => {
    for (let limitMb = 256; limitMb <= 64 * 1024; limitMb += 64) {
      const { heapCapMb, semiSpaceMb, storeMaxBytes } = sizeForLimit(limitMb);
      expect(heapCapMb + 3 * semiSpaceMb + 64).toBeLessThanOrEqual(limitMb);
      expect(storeMaxBytes).toBeLessThanOrEqual((heapCapMb * MiB) / 2);
      expect(storeMaxBytes).toBeLessThanOrEqual((limitMb * MiB) / 2);
    }
  });
});
