// npm run bench: what the gateway costs on top of AWS, measured against a seeded local moto_server.
// Prints a table and writes bench/results.json. It asserts nothing and is not part of npm test.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CreateVolumeCommand, DescribeVolumesCommand, EC2Client, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { IAMClient, paginateListUsers } from "@aws-sdk/client-iam";
import { paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";
import autocannon from "autocannon";
import { freePort, motoClientConfig, startMoto, type Moto } from "../demo/moto.js";
import { seedEc2, seedIam, seedS3 } from "../demo/seed.js";
import { bundle } from "../src/build.js";
import { CursorMap } from "../src/pagination/cursor-records.js";
import { listingFingerprint } from "../src/pagination/fingerprint.js";
import { readPage } from "../src/pagination/read-page.js";
import { ENTRY_OVERHEAD_BYTES, MemoryCursorStore } from "../src/store/memory.js";
import { motoEnv, postGraphQL, startGateway, type GraphQLAnswer, type TestGateway } from "../test/support/gateway.js";
import { mostInAnyWindow, startAwsProxy } from "../test/support/aws-proxy.js";
import { startSlowAws } from "./slow-aws.js";
import { walkConnection } from "../test/support/walk.js";
import { memorySoak } from "./memory-soak.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.AWS_ACCESS_KEY_ID ??= "bench";
process.env.AWS_SECRET_ACCESS_KEY ??= "bench";

const SIZES = { instances: 1000, keys: 6000, users: 1000 };
const BUCKET = "bench-keys";
const benchStarted = performance.now();
const log = (message: string) => console.error(`bench [${((performance.now() - benchStarted) / 1000).toFixed(0)} s]: ${message}`);
const seconds = async (run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Row {
  measure: string;
  value: string;
  target: string;
  met: boolean | null;
}
const rows: Row[] = [];
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, sizes: SIZES };

const page = "pageInfo { hasNextPage endCursor }";
const walks = {
  ec2: { query: `query($first: Int, $after: String) { ec2Instances(first: $first, after: $after) { edges { cursor node { instanceId } } ${page} } }`, path: ["ec2Instances"], operation: "DescribeInstances", n: SIZES.instances },
  s3: { query: `query($first: Int, $after: String) { s3Bucket(name: "${BUCKET}") { objects(first: $first, after: $after) { edges { cursor node { key } } ${page} } } }`, path: ["s3Bucket", "objects"], operation: "ListObjectsV2", n: SIZES.keys },
  iam: { query: `query($first: Int, $after: String) { iamUsers(first: $first, after: $after) { edges { cursor node { userName } } ${page} } }`, path: ["iamUsers"], operation: "ListUsers", n: SIZES.users },
};

async function seed(moto: Moto) {
  const target = { endpoint: moto.endpoint };
  const took = await seconds(async () => {
    await seedEc2(target, { regions: ["us-east-1"], vpcsPerRegion: 4, subnetsPerVpc: 3, groupsPerVpc: 3, instancesPerRegion: SIZES.instances, volumesPerRegion: 40 }, log);
    await seedS3(target, { buckets: { [BUCKET]: "us-east-1" }, bigBucket: BUCKET, bigBucketKeys: SIZES.keys, keysPerBucket: 0 }, log);
    await seedIam(target, { users: SIZES.users, roles: 0, groups: 0, policies: 0 }, log); // users alone: the walks read nothing else
  });
  log(`seeded in ${took.toFixed(1)} s`);
}

async function fullWalks(moto: Moto, gateway: TestGateway) {
  const config = { region: "us-east-1", endpoint: moto.endpoint };
  const ec2 = new EC2Client(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const iam = new IAMClient(config);
  const direct: Record<keyof typeof walks, () => Promise<number>> = {
    ec2: async () => {
      let n = 0;
      for await (const p of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {})) for (const r of p.Reservations ?? []) n += r.Instances?.length ?? 0;
      return n;
    },
    s3: async () => {
      let n = 0;
      for await (const p of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: BUCKET })) n += p.Contents?.length ?? 0;
      return n;
    },
    iam: async () => {
      let n = 0;
      for await (const p of paginateListUsers({ client: iam, pageSize: 1000 }, {})) n += p.Users?.length ?? 0;
      return n;
    },
  };
  const full: Record<string, unknown> = {};
  for (const [family, walk] of Object.entries(walks) as [keyof typeof walks, (typeof walks)[keyof typeof walks]][]) {
    const sdkTimes: number[] = [];
    const gatewayTimes: number[] = [];
    let items = 0;
    // At least 3 runs of each, more while they are short: a walk of a tenth of a second moves by
    // tens of percent between runs on this shared machine, and the median needs more of them.
    // The order swaps every run, so that the emulator slowing down or speeding up over the runs
    // does not fall on one side only.
    const familyStarted = performance.now();
    for (let run = 0; run < 3 || (run < 15 && performance.now() - familyStarted < 5000); run += 1) {
      const timeSdk = async () => sdkTimes.push(await seconds(async () => (items = await direct[family]())));
      const timeGateway = async () => gatewayTimes.push(await seconds(() => walkConnection(gateway, walk.query, walk.path, { firsts: [1000] })));
      if (run % 2 === 0) await timeSdk().then(timeGateway);
      else await timeGateway().then(timeSdk);
    }
    const ratio = median(gatewayTimes) / median(sdkTimes);
    full[family] = { items, runs: sdkTimes.length, sdkSeconds: median(sdkTimes), gatewaySeconds: median(gatewayTimes), ratio, sdkRuns: sdkTimes, gatewayRuns: gatewayTimes };
    rows.push({ measure: `full walk, ${family} (${items} items, first: 1000): gateway / SDK paginator`, value: `${ratio.toFixed(2)}x (${median(gatewayTimes).toFixed(3)} s vs ${median(sdkTimes).toFixed(3)} s, median of ${sdkTimes.length})`, target: "<= 1.15x", met: ratio <= 1.15 });
  }
  results.fullWalk = full;
  ec2.destroy();
  s3.destroy();
  iam.destroy();
}

async function callsPerWalk(gateway: TestGateway) {
  const calls: Record<string, unknown> = {};
  for (const [family, walk] of Object.entries(walks)) {
    for (const size of [10, 100, 1000]) {
      const result = await walkConnection(gateway, walk.query, walk.path, { firsts: [size] });
      const listCalls = result.operations[walk.operation] ?? 0;
      const lowerBound = Math.ceil(result.nodes.length / size);
      const ratio = listCalls / lowerBound;
      calls[`${family}@${size}`] = { items: result.nodes.length, listCalls, lowerBound, ratio };
      rows.push({ measure: `AWS list calls / ceil(N / ${size}), ${family}`, value: `${ratio.toFixed(2)} (${listCalls} for ${lowerBound})`, target: "1.00, never > 1.05", met: ratio <= 1.05 });
    }
  }
  results.callsPerWalk = calls;
  log("calls per walk: moto counts EC2's MaxResults in reservations and ignores IAM's MaxItems, so those walks need fewer calls than the bound");
}

async function nestedRelations(gateway: TestGateway) {
  const answer = await gateway.query(`{ ec2Instances(first: 100) { edges { node { instanceId vpc { vpcId } subnet { subnetId } securityGroups { groupId } volumes { volumeId } } } } }`);
  const calls = answer.extensions?.aws?.calls ?? NaN;
  results.nestedRelations = { calls, operations: answer.extensions?.aws?.operations, errors: answer.errors?.length ?? 0 };
  rows.push({ measure: "AWS calls for a page of 100 instances with vpc, subnet, security groups, volumes", value: String(calls), target: "<= 5", met: calls <= 5 });
}

/** Requests per second of `url` for `query` over `seconds`, with 10 connections. */
async function requestsPerSecond(url: string, query: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    connections: 10,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return result.requests.average;
}

/**
 * Gateway overhead: a page of 100 edges with AWS answering from memory, from the built gateway
 * (bench/overhead-gateway.ts, bundled as the server is) against plain Yoga and plain Yoga with
 * graphql-jit serving the same page. BENCH_OVERHEAD_BASELINE names another build of
 * bench/overhead-gateway.ts (an earlier version of the code), measured in the same rounds.
 */
async function gatewayOverhead() {
  const built = mkdtempSync(join(tmpdir(), "awsgql-overhead-"));
  await bundle(built, [fileURLToPath(new URL("./overhead-gateway.ts", import.meta.url))]);
  const baselineBuild = process.env.BENCH_OVERHEAD_BASELINE;
  const builds = [`gateway=${join(built, "overhead-gateway.js")}`, ...(baselineBuild ? [`baseline=${baselineBuild}`] : [])];
  const servers = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./overhead-servers.ts", import.meta.url)), ...builds], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: servers.stdout! }).once("line", resolve);
      servers.once("exit", (code) => reject(new Error(`the overhead servers exited with ${code}`)));
    });
    const { query, gateways, plain, plainCompiled } = JSON.parse(line) as { gateways: Record<string, string>; plain: string; plainCompiled: string; query: string };
    const urls: Record<string, string> = { ...gateways, plain, plainCompiled };
    const names = Object.keys(urls);
    for (const name of names) await requestsPerSecond(urls[name]!, query, 2); // warm up
    // Rounds taken in turn (the order reversing each round), compared by their medians: this shared
    // machine's speed drifts by tens of percent within seconds, which one long run of each would
    // read as a difference between them.
    const rounds: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < 7; round += 1) {
      for (const name of round % 2 === 0 ? names : [...names].reverse()) rounds[name]!.push(await requestsPerSecond(urls[name]!, query, 2));
    }
    const compare = (name: string, baseline: string) => {
      const ratio = median(rounds[name]!) / median(rounds[baseline]!);
      const roundRatios = rounds[name]!.map((g, i) => g / rounds[baseline]![i]!);
      return { ratio, value: `${ratio.toFixed(2)} (${median(rounds[name]!).toFixed(0)} vs ${median(rounds[baseline]!).toFixed(0)}; rounds ${Math.min(...roundRatios).toFixed(2)}..${Math.max(...roundRatios).toFixed(2)})` };
    };
    const againstPlain = compare("gateway", "plain");
    const againstCompiled = compare("gateway", "plainCompiled");
    results.overhead = {
      gatewayRps: median(rounds.gateway!),
      plainYogaRps: median(rounds.plain!),
      plainYogaCompiledRps: median(rounds.plainCompiled!),
      ratio: againstPlain.ratio,
      ratioToCompiledPlainYoga: againstCompiled.ratio,
      ...(baselineBuild ? { baselineBuild, baselineRps: median(rounds.baseline!), ratioToBaseline: compare("gateway", "baseline").ratio } : {}),
      rounds,
    };
    rows.push({ measure: "one page of 100 edges, AWS from memory: built gateway req/s / plain Yoga req/s (median of 7 rounds)", value: againstPlain.value, target: ">= 0.8", met: againstPlain.ratio >= 0.8 });
    rows.push({ measure: "the same against plain Yoga also executing compiled queries (graphql-jit)", value: againstCompiled.value, target: ">= 0.9", met: againstCompiled.ratio >= 0.9 });
    if (baselineBuild) {
      rows.push({ measure: "  baseline build (BENCH_OVERHEAD_BASELINE) / plain Yoga", value: compare("baseline", "plain").value, target: "(reported)", met: null });
      rows.push({ measure: "  baseline build / plain Yoga with graphql-jit", value: compare("baseline", "plainCompiled").value, target: "(reported)", met: null });
      rows.push({ measure: "  this build / baseline build", value: compare("gateway", "baseline").value, target: "(reported)", met: null });
    }
  } finally {
    servers.kill("SIGTERM");
    rmSync(built, { recursive: true, force: true });
  }
}

async function cursorMapMemory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  const PAGES = 100_000;
  const token = (n: number) => `AAEAA${n.toString(36).padStart(8, "0")}${"x".repeat(51)}`; // 64 characters, like an EC2 NextToken's head
  const source = {
    minPageSize: 5,
    maxPageSize: 1000,
    fetchPage: async (t: string | undefined, size: number) => {
      const offset = t === undefined ? 0 : parseInt(t.slice(5, 13), 36);
      return { items: Array.from({ length: size }, (_, i) => offset + i), nextToken: token(offset + size) };
    },
  };
  const measure = async (maxBytes: number) => {
    const store = new MemoryCursorStore({ maxEntries: 10_000_000, maxBytes });
    const cursors = new CursorMap(store, { ttlMs: 3_600_000 });
    const fingerprint = listingFingerprint("Query.ec2Instances", undefined, { region: "us-east-1", filters: [] });
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    // Each page after the one before, as a client walks: every record links back to the edge before it.
    const owner = { fingerprint, caller: "anonymous" };
    let after: string | undefined;
    for (let n = 0; n < PAGES; n += 1) {
      const page = await readPage(cursors, owner, { forward: true, size: 50, after }, () => source, { maxCalls: 5 });
      after = page.cursors.end;
    }
    gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    return { stats: await store.stats(), heapPerPage: (heapAfter - heapBefore) / PAGES, store };
  };
  const unbounded = await measure(2 ** 40);
  // The store counts each entry's heap bookkeeping too; the record itself is the rest.
  const storedPerPage = unbounded.stats.bytes! / unbounded.stats.entries - ENTRY_OVERHEAD_BYTES;
  await unbounded.store.close();
  const boundBytes = 8 * 1024 * 1024;
  const bounded = await measure(boundBytes);
  results.cursorMapMemory = {
    pages: PAGES,
    storedBytesPerPage: storedPerPage,
    heapBytesPerPage: gc ? unbounded.heapPerPage : null,
    bound: { maxBytes: boundBytes, bytes: bounded.stats.bytes, entries: bounded.stats.entries, evictions: bounded.stats.evictions },
  };
  rows.push({ measure: `cursor map bytes per live page after ${PAGES} pages (64-character AWS tokens, backward links included), as stored`, value: storedPerPage.toFixed(0), target: "< 400", met: storedPerPage < 400 });
  if (gc) rows.push({ measure: "the same, as JavaScript heap (record, key and LRU entry)", value: unbounded.heapPerPage.toFixed(0), target: "(reported)", met: null });
  rows.push({ measure: `memory store bound of ${boundBytes} bytes after ${PAGES} pages`, value: `${bounded.stats.bytes} bytes, ${bounded.stats.evictions} evicted`, target: "bytes <= bound", met: (bounded.stats.bytes ?? Infinity) <= boundBytes });
  await bounded.store.close();
}

async function load(moto: Moto) {
  const replica = await startGateway(motoEnv(moto.endpoint));
  let graphqlErrors = 0;
  const PAGE = 20;
  // Dashboards of one team: the seed puts every fifth user under /ops/. Each walk's first page is one
  // ListUsers on the emulator (which ignores MaxItems), the rest come from the page the gateway holds.
  const WALK = SIZES.users / 5;
  const query = `query($after: String) { iamUsers(first: ${PAGE}, after: $after, pathPrefix: "/ops/") { edges { cursor node { userName arn } } ${page} } }`;
  try {
    const result = await autocannon({
      url: `${replica.base}/graphql`,
      connections: 50,
      duration: 20,
      // One pipeline is one walk: autocannon resets a connection's context when its list of
      // requests wraps around, so each request is a page and the context carries the cursor.
      requests: Array.from({ length: Math.ceil(WALK / PAGE) }, (_, pageIndex) => ({
        method: "POST" as const,
        headers: { "content-type": "application/json" },
        setupRequest: (request: autocannon.Request, context: { after?: string }) => ({
          ...request,
          body: JSON.stringify({ query, variables: { after: pageIndex === 0 ? null : (context.after ?? null) } }),
        }),
        onResponse: (_status: number, body: string, context: { after?: string }) => {
          const answer = JSON.parse(body) as { errors?: unknown[]; data?: { iamUsers?: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
          if (answer.errors?.length) graphqlErrors += 1;
          context.after = answer.data?.iamUsers?.pageInfo.endCursor ?? undefined;
        },
      })),
    });
    const errors = result.errors + result.non2xx + graphqlErrors;
    results.load = { connections: 50, seconds: 20, listing: `iamUsers(pathPrefix: "/ops/"), ${WALK} users`, pageSize: PAGE, requestsPerSecond: result.requests.average, p50ms: result.latency.p50, p99ms: result.latency.p99, errors, total: result.requests.total };
    rows.push({ measure: `load: 50 clients paging ${WALK} IAM users (first: ${PAGE}) for 20 s: requests/s`, value: result.requests.average.toFixed(0), target: "(reported)", met: null });
    rows.push({ measure: "load: latency p50 / p99", value: `${result.latency.p50} ms / ${result.latency.p99} ms`, target: "(reported)", met: null });
    rows.push({ measure: "load: errors", value: String(errors), target: "0", met: errors === 0 });
  } finally {
    await replica.close();
  }
}

/** Resident memory of a process, in MB, from /proc. */
const residentMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

/**
 * Starts a server process, and measures the time until `readyPath` answers 200 and its resident
 * memory right after; with `settleMs`, also once V8's memory reducer has run on an idle process
 * (it gives back the young generation that grew while modules loaded, some 20 s after start).
 */
async function startOnce(args: string[], readyPath: string, settleMs = 0, warm?: { env: Record<string, string>; run: (url: string) => Promise<void> }) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, PORT: String(port), LOG_LEVEL: "silent", NODE_ENV: "production", ...warm?.env }, stdio: "ignore" });
  try {
    for (;;) {
      if (performance.now() - started > 30_000) throw new Error(`${args.join(" ")} was not ready within 30 s`);
      if (await fetch(`http://127.0.0.1:${port}${readyPath}`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - started;
    await warm?.run(`http://127.0.0.1:${port}/graphql`);
    await new Promise((r) => setTimeout(r, 500));
    const afterReadyMb = residentMb(child.pid!);
    if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
    return { readyMs, afterReadyMb, settledMb: settleMs > 0 ? residentMb(child.pid!) : undefined };
  } finally {
    child.kill();
  }
}

async function startup() {
  const gatewayArgs = [fileURLToPath(new URL("../dist/main.js", import.meta.url))];
  const bareArgs = [fileURLToPath(new URL("./bare-yoga.mjs", import.meta.url))];
  const RUNS = 5;
  const gatewayRuns = [];
  const bareRuns = [];
  for (let run = 0; run < RUNS; run += 1) {
    gatewayRuns.push(await startOnce(gatewayArgs, "/readyz"));
    bareRuns.push(await startOnce(bareArgs, "/health"));
  }
  const SETTLE_MS = 30_000;
  // Every service's SDK client loaded: one query asks all sixteen connections of an endpoint that
  // refuses connections, so each client is made and each call fails at once.
  const everyService = {
    env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${await freePort()}`, AWS_MAX_ATTEMPTS: "1", AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench" },
    run: async (url: string) => {
      const fields = ["ec2Instances", "s3Buckets", "iamUsers", "lambdaFunctions", "rdsDbInstances", "rdsDbClusters", "dynamodbTables", "ecsClusters", "eksClusters", "ecrRepositories", "route53HostedZones", "cloudwatchAlarms", "cloudformationStacks", "kmsKeys", "snsTopics", "sqsQueues"];
      await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ ${fields.map((f) => `${f}(first: 1) { edges { cursor } }`).join(" ")} }` }) }).then((r) => r.text());
    },
  };
  const [gatewaySettled, bareSettled, everyServiceSettled] = await Promise.all([
    startOnce(gatewayArgs, "/readyz", SETTLE_MS),
    startOnce(bareArgs, "/health", SETTLE_MS),
    startOnce(gatewayArgs, "/readyz", SETTLE_MS, everyService),
  ]);
  const ready = median(gatewayRuns.map((r) => r.readyMs));
  const bareReady = median(bareRuns.map((r) => r.readyMs));
  const afterReady = median(gatewayRuns.map((r) => r.afterReadyMb));
  const bareAfterReady = median(bareRuns.map((r) => r.afterReadyMb));
  results.startup = { runs: RUNS, gateway: { readyMs: gatewayRuns.map((r) => r.readyMs), afterReadyMb: gatewayRuns.map((r) => r.afterReadyMb), settledMb: gatewaySettled.settledMb }, bareYoga: { readyMs: bareRuns.map((r) => r.readyMs), afterReadyMb: bareRuns.map((r) => r.afterReadyMb), settledMb: bareSettled.settledMb }, everyServiceLoadedSettledMb: everyServiceSettled.settledMb };
  rows.push({ measure: `npm start (built): time to /readyz, median of ${RUNS} (bare Yoga server: time to /health)`, value: `${(ready / 1000).toFixed(2)} s (bare Yoga ${(bareReady / 1000).toFixed(2)} s)`, target: "<= 1.2 s", met: ready <= 1200 });
  rows.push({ measure: "npm start (built): resident memory 0.5 s after ready (bare Yoga)", value: `${afterReady.toFixed(0)} MB (${bareAfterReady.toFixed(0)} MB)`, target: "< 130 MB", met: afterReady < 130 });
  rows.push({ measure: `npm start (built): resident memory idle, ${SETTLE_MS / 1000} s after ready (bare Yoga)`, value: `${gatewaySettled.settledMb!.toFixed(0)} MB (${bareSettled.settledMb!.toFixed(0)} MB)`, target: "< 130 MB", met: gatewaySettled.settledMb! < 130 });
  rows.push({ measure: `npm start (built): resident memory idle, ${SETTLE_MS / 1000} s after one query has loaded all 16 services' SDK clients`, value: `${everyServiceSettled.settledMb!.toFixed(0)} MB`, target: "< 130 MB", met: everyServiceSettled.settledMb! < 130 });
}

/** Peak resident memory of a process since its peak was last reset, in MB, from /proc. */
const peakResidentMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
/** Starts a process's peak resident memory again from its current resident memory. */
const resetPeakResident = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, "5");

/**
 * Fan-out at the defaults, against an AWS whose every call takes 200 ms however many are under
 * way (bench/slow-aws.ts; moto answers one call at a time, so it measured moto). A page over 17
 * regions of one account: its time against one region's, with no setting changed and with the
 * former default AWS_FANOUT_CONCURRENCY=8; its AWS calls against one per source. Then the memory
 * a page of 1000 costs when every source it reads at once answers a full page of 1000 instances,
 * with 17 sources (17 regions) and 40 (20 regions of 2 accounts): the page takes the first
 * source's items and holds the other sources' pages in the cursor store until the walk reaches them.
 */
async function fanout() {
  const REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
  ];
  const WIDER = [...REGIONS, "af-south-1", "eu-south-1", "me-south-1"];
  const DELAY_MS = 200;
  // A few volumes in most regions, none in every fourth; a full page of instances in every one.
  const aws = await startSlowAws({
    delayMs: DELAY_MS,
    volumesPerRegion: (region) => (REGIONS.indexOf(region) % 4 === 3 ? 0 : 3 + (REGIONS.indexOf(region) % 5)),
    instancesPerRegion: () => 1000,
  });
  const nonEmpty = REGIONS.filter((_, r) => r % 4 !== 3).length;
  // The contract's defaults for everything but the endpoint; each page read afresh, not from the cache.
  const atDefaults = { ...motoEnv(aws.url), LOG_LEVEL: "silent", AWS_CALLS_PER_SECOND: "", AWS_CACHE_SECONDS: "" };
  const fresh = { "cache-control": "no-cache" };
  const figures: Record<string, unknown> = { delayMs: DELAY_MS, regions: REGIONS.length, nonEmpty };
  try {
    const sdkClients = REGIONS.map((region) => new EC2Client({ region, endpoint: aws.url, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } }));
    const describeAll = () => Promise.all(sdkClients.map((client) => client.send(new DescribeVolumesCommand({ MaxResults: 500 }))));
    await describeAll();
    const sdkOne: number[] = [];
    const sdkAll: number[] = [];
    for (let run = 0; run < 5; run += 1) {
      sdkOne.push(await seconds(() => sdkClients[0]!.send(new DescribeVolumesCommand({ MaxResults: 500 }))));
      sdkAll.push(await seconds(describeAll));
    }
    for (const client of sdkClients) client.destroy();
    figures.sdk = { oneSeconds: sdkOne, allSeconds: sdkAll };
    rows.push({
      measure: `${REGIONS.length} DescribeVolumes at once, the SDK alone (${DELAY_MS} ms per call): time / one call's, median of 5`,
      value: `${(median(sdkAll) / median(sdkOne)).toFixed(2)}x (${median(sdkAll).toFixed(2)} s vs ${median(sdkOne).toFixed(2)} s)`,
      target: "(reported: the floor on this machine)",
      met: null,
    });

    const query = `query($regions: [String!]) { ec2Volumes(regions: $regions, first: 1000) { edges { node { volumeId } } pageInfo { hasNextPage } } }`;
    for (const concurrency of [undefined, 8]) {
      const gateway = await startGateway({ ...atDefaults, AWS_FANOUT_CONCURRENCY: concurrency === undefined ? "" : String(concurrency) });
      const setting = concurrency === undefined ? `defaults (AWS_FANOUT_CONCURRENCY unset: ${gateway.config.AWS_FANOUT_CONCURRENCY})` : `AWS_FANOUT_CONCURRENCY=${concurrency}, the former default`;
      try {
        await gateway.query(query, { regions: REGIONS }, fresh); // the clients of every region made, as in a gateway that has served a while
        const single: number[] = [];
        const spread: number[] = [];
        let calls = 0;
        let mostInFlight = 0;
        for (let run = 0; run < 5; run += 1) {
          single.push(await seconds(() => gateway.query(query, { regions: ["us-east-1"] }, fresh)));
          aws.reset();
          let answer: GraphQLAnswer | undefined;
          spread.push(await seconds(async () => (answer = await gateway.query(query, { regions: REGIONS }, fresh))));
          if (answer?.errors?.length) throw new Error(`fan-out page failed: ${JSON.stringify(answer.errors).slice(0, 500)}`);
          calls = aws.calls.get("DescribeVolumes") ?? 0;
          mostInFlight = aws.mostInFlight;
        }
        const ratio = median(spread) / median(single);
        figures[concurrency === undefined ? "defaults" : `concurrency${concurrency}`] = { concurrency: gateway.config.AWS_FANOUT_CONCURRENCY, singleSeconds: single, spreadSeconds: spread, calls, mostInFlight };
        rows.push({
          measure: `one page over ${REGIONS.length} regions (${DELAY_MS} ms per AWS call), ${setting}: time / one region's, median of 5`,
          value: `${ratio.toFixed(2)}x (${median(spread).toFixed(2)} s vs ${median(single).toFixed(2)} s)`,
          target: concurrency === undefined ? "<= 1.5x" : `(reported: ${Math.ceil(REGIONS.length / concurrency)} rounds of calls)`,
          met: concurrency === undefined ? ratio <= 1.5 : null,
        });
        rows.push({
          measure: `  the same page's AWS calls (${nonEmpty} of ${REGIONS.length} regions hold volumes)`,
          value: `${calls} DescribeVolumes, ${mostInFlight} at once at most`,
          target: `<= ${REGIONS.length} (one per source)`,
          met: calls <= REGIONS.length,
        });
      } finally {
        await gateway.close();
      }
    }

    const instances = `query($accounts: [String!], $regions: [String!]) { ec2Instances(accounts: $accounts, regions: $regions, first: 1000) { edges { node { instanceId } } pageInfo { hasNextPage } } }`;
    const wide = [
      { label: `${REGIONS.length} regions × 1 account`, accounts: ["default"], regions: REGIONS },
      { label: `${WIDER.length} regions × 2 accounts`, accounts: ["default", "second"], regions: WIDER },
    ];
    const memory: Record<string, unknown>[] = [];
    for (const { label, accounts, regions } of wide) {
      const sources = accounts.length * regions.length;
      const gateway = await startGateway({ ...atDefaults, AWS_ACCOUNTS: "second=arn:aws:iam::222222222222:role/Reader" });
      try {
        // Every client made and every module loaded, with pages of 5, before the memory is read.
        const warm = await gateway.query(instances.replace("first: 1000", "first: 5"), { accounts, regions }, fresh);
        if (warm.errors?.length) throw new Error(`fan-out page failed: ${JSON.stringify(warm.errors).slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 1000));
        const idleMb = residentMb(gateway.pid);
        resetPeakResident(gateway.pid);
        aws.reset();
        let answer: GraphQLAnswer | undefined;
        const took = await seconds(async () => (answer = await gateway.query(instances, { accounts, regions }, fresh)));
        const peakMb = peakResidentMb(gateway.pid);
        const edges = answer?.data?.ec2Instances?.edges?.length ?? 0;
        if (answer?.errors?.length || edges !== 1000) throw new Error(`fan-out page failed (${edges} edges): ${JSON.stringify(answer?.errors ?? []).slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 1000));
        const afterMb = residentMb(gateway.pid);
        const metrics = await gateway.metrics();
        const storeMb = Number(/^awsgql_cursor_map_bytes (\S+)$/m.exec(metrics)?.[1] ?? NaN) / 1048576;
        const run = { sources, idleMb, peakMb, afterMb, storeMb, seconds: took, calls: aws.calls.get("DescribeInstances") ?? 0, mostInFlight: aws.mostInFlight };
        memory.push(run);
        rows.push({
          measure: `one page of 1000 over ${sources} sources (${label}), each a full AWS page of 1000 instances, at the defaults: resident memory`,
          value: `+${(peakMb - idleMb).toFixed(0)} MB at the peak, +${(afterMb - idleMb).toFixed(0)} MB after (${idleMb.toFixed(0)} MB before; ${storeMb.toFixed(1)} MiB held in the store); ${run.calls} calls, ${run.mostInFlight} at once, ${took.toFixed(2)} s`,
          target: "(reported)",
          met: null,
        });
      } finally {
        await gateway.close();
      }
    }
    figures.memory = memory;
    results.fanout = figures;
  } finally {
    await aws.close();
  }
}

/**
 * A dashboard's count: totalCount over 17 regions × 3 accounts against an endpoint that answers
 * every call after 200 ms, at the defaults: about as long as the slowest source, and one
 * DescribeVolumes a source where each holds fewer volumes than a page.
 */
async function estateCount() {
  const REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
  ];
  const DELAY_MS = 200;
  const aws = await startSlowAws({ delayMs: DELAY_MS, volumesPerRegion: (region) => 3 + (REGIONS.indexOf(region) % 5), instancesPerRegion: () => 0 });
  const gateway = await startGateway({
    ...motoEnv(aws.url),
    LOG_LEVEL: "silent",
    AWS_CALLS_PER_SECOND: "",
    AWS_CACHE_SECONDS: "",
    AWS_ACCOUNTS: "prod=arn:aws:iam::111111111111:role/Reader,stage=arn:aws:iam::222222222222:role/Reader",
  });
  const fresh = { "cache-control": "no-cache" };
  const sources = 3 * REGIONS.length;
  const count = `query($regions: [String!]) { ec2Volumes(accounts: ["*"], regions: $regions, first: 0) { totalCount countBy(field: REGION) { key count } } }`;
  try {
    // roles assumed and every client made, as in a gateway that has served a while
    const warm = await gateway.query(count, { regions: REGIONS }, fresh);
    if (warm.errors?.length) throw new Error(`count failed: ${JSON.stringify(warm.errors).slice(0, 500)}`);
    const one: number[] = [];
    const all: number[] = [];
    let calls = 0;
    let total = 0;
    for (let run = 0; run < 5; run += 1) {
      one.push(await seconds(() => gateway.query(count, { regions: ["us-east-1"] }, fresh)));
      aws.reset();
      let answer: GraphQLAnswer | undefined;
      all.push(await seconds(async () => (answer = await gateway.query(count, { regions: REGIONS }, fresh))));
      if (answer?.errors?.length) throw new Error(`count failed: ${JSON.stringify(answer.errors).slice(0, 500)}`);
      calls = aws.calls.get("DescribeVolumes") ?? 0;
      total = answer?.data?.ec2Volumes?.totalCount ?? 0;
    }
    results.count = { delayMs: DELAY_MS, sources, oneSeconds: one, allSeconds: all, calls, total };
    rows.push({
      measure: `count (totalCount and countBy) over ${REGIONS.length} regions × 3 accounts (${DELAY_MS} ms per AWS call), at the defaults: time / one source's, median of 5`,
      value: `${(median(all) / median(one)).toFixed(2)}x (${median(all).toFixed(2)} s vs ${median(one).toFixed(2)} s; ${total} volumes)`,
      target: "<= 1.5x",
      met: median(all) / median(one) <= 1.5,
    });
    rows.push({ measure: "  the same count's AWS calls, each source holding fewer volumes than a page", value: `${calls} DescribeVolumes`, target: `= ${sources} (one per source)`, met: calls === sources });
  } finally {
    await gateway.close();
    await aws.close();
  }
}

/**
 * Fifty clients opening the same dashboard view at once within the cache time: AWS calls per view
 * against the distinct AWS requests the view makes; and a page from the cache against one read
 * from AWS (Cache-Control: no-cache), medians of 15.
 */
async function cacheSharing(moto: Moto) {
  const gateway = await startGateway({ ...motoEnv(moto.endpoint), LOG_LEVEL: "silent", AWS_CACHE_SECONDS: "15" });
  try {
    const view = `{ ec2Instances(first: 100) { edges { node { instanceId state } } fetchedAt } iamUsers(first: 50) { edges { node { userName } } fetchedAt } }`;
    const DISTINCT = 2; // one DescribeInstances, one ListUsers
    const answers = await Promise.all(Array.from({ length: 50 }, () => gateway.query(view)));
    const calls = answers.reduce((sum, a) => sum + (a.extensions?.aws?.calls ?? 0), 0);
    const errors = answers.filter((a) => a.errors?.length).length;
    rows.push({ measure: "50 clients opening the same view at once (2 distinct AWS requests): AWS calls", value: `${calls} (${errors} errors)`, target: `${DISTINCT} (one per distinct AWS request)`, met: calls === DISTINCT && errors === 0 });
    const page = `{ ec2Instances(first: 100) { edges { node { instanceId state } } } }`;
    const uncached: number[] = [];
    const cached: number[] = [];
    for (let run = 0; run < 15; run += 1) {
      uncached.push(await seconds(() => gateway.query(page, {}, { "cache-control": "no-cache" })));
      cached.push(await seconds(() => gateway.query(page)));
    }
    results.cache = { viewCalls: calls, errors, uncachedSeconds: uncached, cachedSeconds: cached };
    rows.push({
      measure: "a page of 100 instances from the cache / read from AWS (moto), median of 15",
      value: `${(median(cached) * 1000).toFixed(1)} ms / ${(median(uncached) * 1000).toFixed(1)} ms`,
      target: "(reported)",
      met: null,
    });
  } finally {
    await gateway.close();
  }
}

/** An EC2 endpoint that answers DescribeInstances at once, so the gateway pages at its own pace. */
async function fakeEc2(): Promise<{ url: string; close(): Promise<void> }> {
  let served = 0;
  const instances = Array.from({ length: 50 }, (_, i) =>
    `<item><instanceId>i-${(i + 1).toString(16).padStart(17, "0")}</instanceId><instanceState><code>16</code><name>running</name></instanceState><instanceType>t3.micro</instanceType></item>`).join("");
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      served += 1;
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(`<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-${served}</requestId><reservationSet><item><reservationId>r-1</reservationId><ownerId>123456789012</ownerId><instancesSet>${instances}</instancesSet></item></reservationSet><nextToken>${"t".repeat(40)}${served}</nextToken></DescribeInstancesResponse>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The built gateway paging for a while with the memory store bounded: its resident memory against
 * its idle memory and the bound, with V8's defaults and with its old generation capped. Every page
 * is a new cursor record, so the store fills to its bound and then evicts.
 */
async function memoryBound() {
  const BOUND = 16 * 1024 * 1024;
  const SECONDS = 45;
  const SETTLE_MS = 20_000;
  const upstream = await fakeEc2();
  const runs: Record<string, unknown>[] = [];
  try {
    for (const heapCapMb of [undefined, 256]) {
      const port = await freePort();
      const child = spawn(process.execPath, [...(heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : []), fileURLToPath(new URL("../dist/main.js", import.meta.url))], {
        env: { ...process.env, PORT: String(port), LOG_LEVEL: "silent", NODE_ENV: "production", AWS_ENDPOINT_URL: upstream.url, CURSOR_STORE_MAX_BYTES: String(BOUND) },
        stdio: "ignore",
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        for (let i = 0; !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); i += 1) {
          if (i > 600) throw new Error("the gateway did not start");
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 2000));
        const idleMb = residentMb(child.pid!);
        // Every page answered is a new cursor record in the store (the AWS page behind it is cached).
        const result = await autocannon({
          url: `${base}/graphql`,
          connections: 20,
          duration: SECONDS,
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ ec2Instances(first: 50) { edges { cursor node { instanceId } } pageInfo { endCursor } } }" }),
        });
        const pagedMb = residentMb(child.pid!);
        const metrics = await fetch(`${base}/metrics`).then((r) => r.text());
        const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(metrics)?.[1] ?? NaN);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const settledMb = residentMb(child.pid!);
        const run = { heapCapMb: heapCapMb ?? null, pages: result.requests.total, requestsPerSecond: result.requests.average, idleMb, pagedMb, settledMb, storeBytes: metric("awsgql_cursor_map_bytes"), evictions: metric("awsgql_cursor_map_evictions") };
        runs.push(run);
        rows.push({
          measure: `built gateway paging ${SECONDS} s with CURSOR_STORE_MAX_BYTES=16 MiB${heapCapMb ? `, --max-old-space-size=${heapCapMb}` : ""}: resident memory`,
          value: `${pagedMb.toFixed(0)} MB after ${run.pages} pages (${run.requestsPerSecond.toFixed(0)}/s), ${settledMb.toFixed(0)} MB ${SETTLE_MS / 1000} s later; idle ${idleMb.toFixed(0)} MB; store ${(run.storeBytes / 1048576).toFixed(1)} MiB, ${run.evictions} evicted`,
          target: "(reported)",
          met: null,
        });
      } finally {
        child.kill();
      }
    }
  } finally {
    await upstream.close();
  }
  results.memoryBound = { boundBytes: BOUND, seconds: SECONDS, runs };
}

/**
 * 50 dashboards reading EC2 afresh (`Cache-Control: no-cache`, each its own query) against one
 * gateway with the contract's default budget: the AWS calls per second that reach AWS.
 */
async function budget() {
  const SECONDS = 15;
  const CLIENTS = 50;
  const moto = await startMoto();
  const proxy = await startAwsProxy(moto.endpoint);
  const ec2 = new EC2Client({ ...motoClientConfig(moto.endpoint) });
  for (let v = 0; v < 10; v += 1) await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }));
  // AWS_CALLS_PER_SECOND empty: the contract's defaults, ec2=10
  const replica = await startGateway({ ...motoEnv(proxy.url), AWS_CALLS_PER_SECOND: "" });
  try {
    const rate = 10;
    let served = 0;
    let refused = 0;
    const latencies: number[] = [];
    proxy.reset();
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        while (Date.now() < until) {
          const asked = performance.now();
          const answer = await postGraphQL(`${replica.base}/graphql`, `{ ec2Volumes(first: ${5 + c}) { edges { node { volumeId } } } }`, undefined, { "cache-control": "no-cache" });
          latencies.push(performance.now() - asked);
          if (!answer.errors) served += 1;
          else if (answer.errors.every((e) => e.extensions?.reason === "GATEWAY_BUDGET")) refused += 1;
          else throw new Error(`unexpected answer: ${JSON.stringify(answer.errors).slice(0, 300)}`);
        }
      }),
    );
    const times = proxy.requests.filter((r) => r.operation === "DescribeVolumes").map((r) => r.at);
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    const perSecond = times.length / span;
    const mostInOne = mostInAnyWindow(times, 1000);
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    results.budget = { clients: CLIENTS, seconds: SECONDS, rate, calls: times.length, spanSeconds: span, callsPerSecond: perSecond, mostInOneSecond: mostInOne, served, refused, p50ms: percentile(0.5), p99ms: percentile(0.99) };
    const measure = `budget: ${CLIENTS} clients reading EC2 afresh for ${SECONDS} s, default budget (ec2=${rate}/s)`;
    rows.push({ measure: `${measure}: AWS calls/s reaching AWS`, value: `${perSecond.toFixed(2)} (${times.length} calls in ${span.toFixed(1)} s)`, target: `<= ${rate} × (T + 1) / T`, met: times.length <= rate * (span + 1) + 1 });
    rows.push({ measure: "budget: most AWS calls in any one-second window", value: String(mostInOne), target: `<= ${2 * rate} (a burst of ${rate}, and ${rate} more)`, met: mostInOne <= 2 * rate });
    rows.push({ measure: "budget: answers served / refused as AWS_THROTTLED (GATEWAY_BUDGET); latency p50 / p99", value: `${served} / ${refused}; ${percentile(0.5).toFixed(0)} ms / ${percentile(0.99).toFixed(0)} ms`, target: "(reported)", met: null });
  } finally {
    await replica.close();
    await proxy.close();
    await moto.stop();
  }
}

/** The sections of the benchmark; `npm run bench -- startup load` runs only those named. */
const SECTIONS = ["aws", "load", "overhead", "memory", "startup", "fanout", "count", "bound", "budget", "soak"] as const;

async function main() {
  const named = process.argv.slice(2);
  const unknown = named.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`unknown bench section ${unknown.join(", ")}: the sections are ${SECTIONS.join(", ")}`);
  const runs = (section: (typeof SECTIONS)[number]) => named.length === 0 || named.includes(section);
  const started = Date.now();
  // Every gateway the bench starts is the build users run.
  await bundle();
  if (runs("aws") || runs("load")) {
    const moto = await startMoto();
    try {
      await seed(moto);
      if (runs("aws")) {
        const gateway = await startGateway({ ...motoEnv(moto.endpoint), LOG_LEVEL: "silent" });
        log("full walks");
        await fullWalks(moto, gateway);
        log("calls per walk");
        await callsPerWalk(gateway);
        await nestedRelations(gateway);
        await gateway.close();
        log("page cache");
        await cacheSharing(moto);
      }
      if (runs("load")) {
        log("load");
        await load(moto);
      }
    } finally {
      await moto.stop();
    }
  }
  if (runs("overhead")) {
    log("gateway overhead");
    await gatewayOverhead();
  }
  if (runs("memory")) {
    log("cursor map memory");
    await cursorMapMemory();
  }
  if (runs("startup")) {
    log("start-up time and idle memory");
    await startup();
  }
  if (runs("bound")) {
    log("resident memory against the memory store's bound");
    await memoryBound();
  }
  if (runs("fanout")) {
    log("fan-out: pages over 17 and 40 sources");
    await fanout();
  }
  if (runs("count")) {
    log("count: 17 regions × 3 accounts");
    await estateCount();
  }
  if (runs("budget")) {
    log("AWS calls per second under 50 clients, with the account budget");
    await budget();
  }
  if (runs("soak")) {
    log("resident memory paging at full speed under MEMORY_LIMIT_MB");
    await memorySoak({ rows, results, log });
  }
  results.seconds = (Date.now() - started) / 1000;
  results.rows = rows;
  // A partial run prints its table but leaves the full run's results in place.
  if (named.length === 0) writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

  const width = Math.max(...rows.map((r) => r.measure.length));
  const valueWidth = Math.max(...rows.map((r) => r.value.length));
  console.log(`${"measure".padEnd(width)}  ${"value".padEnd(valueWidth)}  target`);
  for (const row of rows) {
    console.log(`${row.measure.padEnd(width)}  ${row.value.padEnd(valueWidth)}  ${row.target}${row.met === null ? "" : row.met ? "  met" : "  NOT met"}`);
  }
  console.log(`(${results.seconds} s; ${named.length === 0 ? "bench/results.json written" : `only ${named.join(", ")}: bench/results.json left as it was`})`);
}

await main();
