// One memory limit (MEMORY_LIMIT_MB, or the container's cgroup limit) -> V8's heap cap and the memory store's bound.
import { readFileSync } from "node:fs";

const MB = 1024 * 1024;

/** Below this a replica has no room to page: it idles at about 115 MB resident. */
export const MIN_MEMORY_LIMIT_MB = 256;

/**
 * What a replica holds outside V8's old generation: the node binary and its code mapped in (about
 * 45 MB), native buffers and sockets (about 30 MB paging at full speed), the process that started
 * it under the cap (8 MB), and the young generation. A quarter of the limit on large replicas,
 * never less than this.
 */
const RESERVED_OUTSIDE_HEAP_MB = 128;

/** Where the container's memory limit is read: cgroup v2's memory.max, else cgroup v1's limit. */
export const CGROUP_ROOT = "/sys/fs/cgroup";

export type MemoryLimitSource = "MEMORY_LIMIT_MB" | "cgroup v2" | "cgroup v1";

export interface ContainerLimit {
  limitMb: number;
  source: Exclude<MemoryLimitSource, "MEMORY_LIMIT_MB">;
  file: string;
}

/**
 * The memory limit of the cgroup under `root`, in MB, or undefined when there is none: cgroup v2
 * writes "max", cgroup v1 a number near 2^63 (not a limit, the largest value it can hold).
 */
export function readContainerLimit(root = CGROUP_ROOT): ContainerLimit | undefined {
  const candidates = [
    { file: `${root}/memory.max`, source: "cgroup v2" as const },
    { file: `${root}/memory/memory.limit_in_bytes`, source: "cgroup v1" as const },
  ];
  for (const { file, source } of candidates) {
    let text: string;
    try {
      text = readFileSync(file, "utf8").trim();
    } catch {
      continue;
    }
    if (text === "max") return undefined;
    const bytes = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(bytes)) return undefined;
    return { limitMb: Math.floor(bytes / MB), source, file };
  }
  return undefined;
}

export interface MemorySizing {
  /** the replica's memory limit in MB; undefined: none, V8 and the store keep their own defaults */
  limitMb?: number;
  limitSource?: MemoryLimitSource;
  /** V8's old generation cap (--max-old-space-size), MB */
  heapCapMb?: number;
  /** V8's semi-space cap (--max-semi-space-size), MB: the young generation is three of them */
  semiSpaceMb?: number;
  /** the memory store's bound (CURSOR_STORE_MAX_BYTES) */
  storeMaxBytes: number;
  storeMaxSource: "CURSOR_STORE_MAX_BYTES" | "MEMORY_LIMIT_MB" | "default";
  /** the largest CURSOR_STORE_MAX_BYTES the limit takes; undefined without a limit */
  storeMaxAllowedBytes?: number;
}

/**
 * Splits a limit of `limitMb`: V8's old generation gets what is left after the reserve outside the
 * heap; the store, whose records are live heap, half of that, so that with the store full the
 * gateway's own 35 MB and the pages under way still leave V8 room to collect.
 */
export function sizeForLimit(limitMb: number): { heapCapMb: number; semiSpaceMb: number; storeMaxBytes: number } {
  const heapCapMb = limitMb - Math.max(RESERVED_OUTSIDE_HEAP_MB, Math.round(limitMb / 4));
  // V8's default semi-space is 16 MB (a 48 MB young generation): too much of a small replica.
  const semiSpaceMb = limitMb < 512 ? 4 : limitMb < 1024 ? 8 : 16;
  return { heapCapMb, semiSpaceMb, storeMaxBytes: Math.floor(heapCapMb / 2) * MB };
}
