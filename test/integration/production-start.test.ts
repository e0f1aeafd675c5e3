import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGraphQL } from "../support/gateway.js";
import { freePort, startMoto, type Moto } from "../support/moto.js";

let moto: Moto;
let child: ChildProcess;
let base: string;
let output = "";

beforeAll(async () => {
  moto = await startMoto();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // `npm start` as an operator runs it: the build first, then the bundle (its own process group, so
  // the stop below reaches node under npm).
  child = spawn("npm", ["start"], {
    env: { ...process.env, PORT: String(port), AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", NODE_ENV: "" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not become ready within 90 s: ${output}`);
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
  await moto?.stop();
});

describe("npm start: the built gateway", () => {
  it("serves queries from the bundle, naming AWS operations as the SDK does (a minifier must not rename them)", async () => {
    const answer = await postGraphQL(`${base}/graphql`, "{ ec2Instances(first: 1) { edges { cursor } } iamUsers(first: 1) { edges { cursor } } }");
    expect(answer.errors).toBeUndefined();
    expect(answer.extensions!.aws.operations).toEqual({ DescribeInstances: 1, ListUsers: 1 });
    expect(output).toContain("awsgql serving GraphQL at");
  });

  it("serves GraphiQL from the bundle, with its assets inline", async () => {
    const page = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("<title>awsgql</title>");
    expect(html).toContain("renderYogaGraphiQL");
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\./);
  });
});
