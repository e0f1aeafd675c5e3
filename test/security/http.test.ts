import { auditServer } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type TestGateway } from "../support/gateway.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway({});
});
afterAll(async () => gateway.close());

describe("GraphQL over HTTP", () => {
  it("passes every MUST and every SHOULD of graphql-http's audits (a client sends a non-simple header, as CSRF prevention asks)", async () => {
    const results = await auditServer({
      url: gateway.url,
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "x-graphql-csrf": "1" } }),
    });
    // A failed MUST is an "error", a failed SHOULD a "warn"; only MAYs may fall short ("notice").
    const failed = results.filter((r) => r.status === "error" || r.status === "warn");
    expect(failed.map((r) => `${r.status} ${r.name}: ${"reason" in r ? r.reason : ""}`)).toEqual([]);
    expect(results.filter((r) => r.name.startsWith("SHOULD")).length).toBeGreaterThan(5);
  });

  it("answers a POST whose body is not JSON with 400, whatever the client accepts", async () => {
    for (const accept of ["application/json", "application/graphql-response+json", undefined]) {
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(accept ? { accept } : {}) },
        body: "{bad json",
      });
      expect(response.status, String(accept)).toBe(400);
    }
  });

  it("refuses cross-site simple requests (GET, form posts) that lack a CSRF header", async () => {
    const get = await fetch(`${gateway.url}?query=${encodeURIComponent("{ __typename }")}`);
    expect(get.status).toBe(403);
    const form = await fetch(gateway.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "query={__typename}" });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    const withHeader = await fetch(`${gateway.url}?query=${encodeURIComponent("{ __typename }")}`, { headers: { "x-graphql-csrf": "1" } });
    expect(withHeader.status).toBe(200);
  });

  it("answers malformed requests with BAD_USER_INPUT and no parser detail", async () => {
    const badJson = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: "{bad json",
    });
    const body = (await badJson.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(badJson.status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(body)).not.toMatch(/position 1|originalError/);
    for (const query of ["{ ec2Instances(first: 1) { edges { cursor }", "{ nope }", `{ ec2Instances(first: "x") { edges { cursor } } }`]) {
      const answer = await gateway.query(query);
      expect(answer.errors?.[0]?.extensions?.code, query).toBe("BAD_USER_INPUT");
    }
  });
});
