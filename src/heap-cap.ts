// Applies the heap cap MEMORY_LIMIT_MB sets. V8 fixes its heap limit when the isolate starts (a
// --max-old-space-size given later through v8.setFlagsFromString changes nothing), so the server
// runs in a node started with the flags, under this process.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { getHeapStatistics } from "node:v8";
import { MIN_MEMORY_LIMIT_MB, readContainerLimit, sizeForLimit, type MemorySizing } from "./memory-limit.js";

const MB = 1024 * 1024;

/** Whether this node was started with a heap cap: by relaunchWithHeapCap, or the operator's own flag or NODE_OPTIONS. */
export function heapCapInForce(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((arg) => /^--max[-_]old[-_]space[-_]size\b/.test(arg));
}

/**
 * The limit MEMORY_LIMIT_MB or the container sets, read before the configuration is (this process
 * loads nothing else when it relaunches): undefined also for a value loadConfig refuses, which the
 * server started without a cap then reports as any other.
 */
function limitToApply(env: NodeJS.ProcessEnv): number | undefined {
  const variable = env.MEMORY_LIMIT_MB?.trim();
  const limitMb = variable ? Number(variable) : readContainerLimit()?.limitMb;
  return limitMb !== undefined && Number.isInteger(limitMb) && limitMb >= MIN_MEMORY_LIMIT_MB ? limitMb : undefined;
}

/**
 * With a memory limit to apply and no heap cap in force, starts this same program in a node started
 * with the cap, hands it the signals this process gets and exits as it does, and returns true; the
 * caller then serves nothing. False: serve in this process.
 */
export function relaunchWithHeapCap(env: NodeJS.ProcessEnv = process.env): boolean {
  const limitMb = limitToApply(env);
  if (limitMb === undefined || heapCapInForce()) return false;
  const { heapCapMb, semiSpaceMb } = sizeForLimit(limitMb);
  const flags = [
    `--max-old-space-size=${heapCapMb}`,
    `--max-semi-space-size=${semiSpaceMb}`,
    // Loading the bundle under a small heap would collect over and over (10% more CPU to ready);
    // these let it load as under V8's defaults (measured: 15% less), then V8 sizes as it goes.
    "--min-semi-space-size=4",
    "--initial-old-space-size=64",
  ];
  // The IPC channel tells the server when this process is gone, even killed outright.
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], { stdio: ["inherit", "inherit", "inherit", "ipc"] });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  return true;
}

/** Calls `stop` when the process that relaunched this one goes away, if one did. */
export function stopWithLauncher(stop: () => void): void {
  if (!process.channel) return;
  process.channel.unref();
  process.once("disconnect", stop);
}

/** What the memory settings came to in this process, for the start-up log. */
export function memoryInForce(memory: MemorySizing) {
  const ours = memory.heapCapMb !== undefined && process.execArgv.includes(`--max-old-space-size=${memory.heapCapMb}`);
  return {
    memoryLimitMb: memory.limitMb ?? null,
    memoryLimitSource: memory.limitSource ?? "none",
    // V8's whole heap limit: the old generation's cap and the young generation's three semi-spaces.
    heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / MB),
    heapLimitSource: ours ? "memory limit" : heapCapInForce() ? "node option" : "V8 default",
    cursorStoreMaxBytes: memory.storeMaxBytes,
    cursorStoreMaxSource: memory.storeMaxSource,
  };
}
