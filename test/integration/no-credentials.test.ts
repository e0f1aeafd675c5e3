import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/moto.js";

describe("npm start without AWS credentials", () => {
  it("still serves, and a query answers with a clear error saying how to provide credentials", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: "silent", AWS_ENDPOINT_URL: `http://127.0.0.1:${await freePort()}` };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_PROFILE;
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env, stdio: "pipe" });
    try {
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          if ((await fetch(`${url}/healthz`)).ok) break;
        } catch {
          if (Date.now() > deadline) throw new Error("npm start did not serve /healthz within 30 s");
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ ec2Instances(first: 5) { edges { cursor } } }" }),
      });
      const answer = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(answer.errors[0]!.extensions.code).toBe("UPSTREAM_UNAVAILABLE");
      expect(answer.errors[0]!.extensions.reason).toBe("NO_CREDENTIALS");
      expect(answer.errors[0]!.message).toMatch(/AWS_ACCESS_KEY_ID/);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
