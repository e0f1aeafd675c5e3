// Bench section "soak": the built gateway paging S3 and IAM as fast as it can under MEMORY_LIMIT_MB,
// its resident memory against the limit; and what the heap cap's relaunch costs at start.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort, startMoto, type Moto } from "../demo/moto.js";
import { seedIam, seedS3 } from "../demo/seed.js";
import { motoEnv, postGraphQL, startGateway, type TestGateway } from "../test/support/gateway.js";

export interface BenchReport {
  rows: { measure: string; value: string; target: string; met: boolean | null }[];
  results: Record<string, unknown>;
  log(message: string): void;
}

const BUCKET = "soak-keys";
const KEYS = 4000;
const USERS = 600;
/** A soak lasts until the store has been at its bound for a while, within these. */
const SECONDS = { least: 60, atBound: 30, most: 150 };
const BUILT_SERVER = fileURLToPath(new URL("../dist/main.js", import.meta.url));

const statusKb = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
const mb = (kb: number) => kb / 1024;

/** The process that serves: under a heap cap, the node that `node dist/main.js` started with the cap. */
function servingPid(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return children[0] ?? pid;
}

const s3 = { query: `query($first: Int, $after: String) { s3Bucket(name: "${BUCKET}") { objects(first: $first, after: $after) { edges { cursor node { key size } } pageInfo { hasNextPage endCursor } } } }`, connection: (data: any) => data?.s3Bucket?.objects };
const iam = { query: `query($first: Int, $after: String) { iamUsers(first: $first, after: $after) { edges { cursor node { userName arn } } pageInfo { hasNextPage endCursor } } }`, connection: (data: any) => data?.iamUsers };

/**
 * Two clients walk a listing to its end and start again; four open its first page again and again,
 * as dashboards do, and each such page holds the rest of the AWS page it came from (S3 answers 1000
 * keys, IAM 100 users): the store fills to its bound within the soak.
 */
const clients = [
  { listing: s3, sizes: [50, 100, 250], pagesPerWalk: Infinity },
  { listing: iam, sizes: [20, 50, 100], pagesPerWalk: Infinity },
  { listing: s3, sizes: [1], pagesPerWalk: 1 },
  { listing: s3, sizes: [1], pagesPerWalk: 1 },
  { listing: s3, sizes: [5], pagesPerWalk: 1 },
  { listing: iam, sizes: [1], pagesPerWalk: 1 },
];

/** The clients paging until the time `until()` says. */
async function page(gateway: TestGateway, until: () => number): Promise<{ pages: number; errors: number; firstError?: string }> {
  let pages = 0;
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    clients.map(async ({ listing: walk, sizes, pagesPerWalk }, client) => {
      for (let round = 0; Date.now() < until(); round += 1) {
        const first = sizes[(client + round) % sizes.length]!;
        let after: string | null = null;
        let walked = 0;
        do {
          const answer = await postGraphQL(gateway.url, walk.query, { first, after });
          pages += 1;
          const connection = walk.connection(answer.data);
          if (answer.status !== 200 || answer.errors?.length || !connection) {
            errors += 1;
            firstError ??= JSON.stringify(answer.errors ?? answer.status).slice(0, 300);
            break;
          }
          after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
          walked += 1;
        } while (after && walked < pagesPerWalk && Date.now() < until());
      }
    }),
  );
  return { pages, errors, firstError };
}

async function soak(moto: Moto, report: BenchReport, label: string, env: Record<string, string>, targetMb?: number) {
  // The contract's page cache (AWS_CACHE_SECONDS unset); no account budget, so nothing but the gateway and moto slow the clients.
  const gateway = await startGateway({ ...motoEnv(moto.endpoint), AWS_CACHE_SECONDS: "", ...env });
  try {
    const server = servingPid(gateway.pid);
    // A replica's memory: the serving node, and the anonymous memory of the node that relaunched it
    // (its file-backed pages are the same node binary, resident once).
    const launcherKb = () => (server === gateway.pid ? 0 : statusKb(gateway.pid, "RssAnon"));
    const replicaKb = () => statusKb(server, "VmRSS") + launcherKb();
    const idleMb = mb(replicaKb());
    let peakKb = 0;
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const kb = replicaKb();
      peakKb = Math.max(peakKb, kb);
      samples.push(Math.round(mb(kb)));
    }, 250);
    const started = Date.now();
    let until = started + SECONDS.most * 1000;
    let boundReachedAfter: number | undefined;
    const watcher = setInterval(async () => {
      const evictions = Number(/^awsgql_cursor_map_evictions (\S+)$/m.exec(await gateway.metrics().catch(() => ""))?.[1] ?? 0);
      if (evictions > 0 && boundReachedAfter === undefined) {
        boundReachedAfter = (Date.now() - started) / 1000;
        until = Math.min(until, Math.max(Date.now() + SECONDS.atBound * 1000, started + SECONDS.least * 1000));
      }
    }, 1000);
    const paged = await page(gateway, () => until);
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    clearInterval(watcher);
    // The kernel's own high-water mark catches a peak between two samples.
    peakKb = Math.max(peakKb, statusKb(server, "VmHWM") + launcherKb());
    const finalMb = mb(replicaKb());
    const metrics = await gateway.metrics();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(metrics)?.[1] ?? NaN);
    const run = {
      label,
      env,
      seconds,
      boundReachedAfter,
      pages: paged.pages,
      pagesPerSecond: paged.pages / seconds,
      errors: paged.errors,
      firstError: paged.firstError,
      idleMb,
      peakMb: mb(peakKb),
      finalMb,
      launcherMb: mb(launcherKb()),
      heapLimitMb: metric("awsgql_heap_limit_bytes") / 1048576,
      storeBoundMb: metric("awsgql_cursor_store_max_bytes") / 1048576,
      storeMb: metric("awsgql_cursor_map_bytes") / 1048576,
      evictions: metric("awsgql_cursor_map_evictions"),
      everySecondMb: samples.filter((_, i) => i % 4 === 0),
    };
    report.log(`${label}: ${run.pages} pages, ${run.errors} errors, peak ${run.peakMb.toFixed(0)} MB, final ${finalMb.toFixed(0)} MB`);
    report.rows.push({
      measure: `soak: ${clients.length} clients paging S3 objects and IAM users, ${label}: replica resident memory, peak / final`,
      value: `${run.peakMb.toFixed(0)} MB / ${finalMb.toFixed(0)} MB over ${seconds.toFixed(0)} s (idle ${idleMb.toFixed(0)} MB; heap limit ${run.heapLimitMb.toFixed(0)} MB; store ${run.storeMb.toFixed(1)} of ${run.storeBoundMb.toFixed(0)} MiB, ${boundReachedAfter === undefined ? "never full" : `full after ${boundReachedAfter.toFixed(0)} s`}, ${run.evictions} evicted)`,
      target: targetMb ? `< ${targetMb} MB` : "(reported)",
      met: targetMb ? run.peakMb < targetMb : null,
    });
    report.rows.push({
      measure: `soak, ${label}: pages a second; errors`,
      value: `${run.pagesPerSecond.toFixed(0)} (${run.pages} pages); ${run.errors} errors`,
      target: "(reported); 0 errors",
      met: run.errors === 0,
    });
    return run;
  } finally {
    await gateway.close();
  }
}

/** Time from spawning the built server to /readyz answering 200, in ms. */
async function readyMs(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BUILT_SERVER], { env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "silent", NODE_ENV: "production" }, stdio: "ignore" });
  try {
    for (;;) {
      if (performance.now() - started > 30_000) throw new Error("the built server was not ready within 30 s");
      if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

export async function memorySoak(report: BenchReport): Promise<void> {
  const RUNS = 5;
  const plain: number[] = [];
  const capped: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    plain.push(await readyMs({}));
    capped.push(await readyMs({ MEMORY_LIMIT_MB: "256" }));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  report.rows.push({
    measure: `built server: time to /readyz with MEMORY_LIMIT_MB=256 (relaunched under the heap cap) / without, median of ${RUNS}`,
    value: `${(median(capped) / 1000).toFixed(2)} s / ${(median(plain) / 1000).toFixed(2)} s`,
    target: "<= 1.2 s",
    met: median(capped) <= 1200,
  });

  const moto = await startMoto();
  try {
    const target = { endpoint: moto.endpoint };
    await seedS3(target, { buckets: { [BUCKET]: "us-east-1" }, bigBucket: BUCKET, bigBucketKeys: KEYS, keysPerBucket: 0 }, report.log);
    await seedIam(target, { users: USERS, roles: 0, groups: 0, policies: 0 }, report.log);
    const runs = [
      await soak(moto, report, "no limit, CURSOR_STORE_MAX_BYTES=32 MiB (as before)", { CURSOR_STORE_MAX_BYTES: String(32 * 1024 * 1024) }),
      await soak(moto, report, "MEMORY_LIMIT_MB=256", { MEMORY_LIMIT_MB: "256" }, 256),
      await soak(moto, report, "MEMORY_LIMIT_MB=512", { MEMORY_LIMIT_MB: "512" }, 512),
    ];
    report.results.memorySoak = { clients: clients.length, seconds: SECONDS, keys: KEYS, users: USERS, readyMs: { capped, plain }, runs };
  } finally {
    await moto.stop();
  }
}
