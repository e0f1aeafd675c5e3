import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type TestGateway } from "../support/gateway.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway({});
});
afterAll(async () => gateway?.close());

const CSRF = { "x-graphql-csrf": "1" };

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

describe("request parameters that are not JSON", () => {
  // Yoga parses a GET's parameters at once and a form post's once its body is read: both ways.
  it("refuse a GET whose variables are not JSON with 400, BAD_USER_INPUT and reason REQUEST_NOT_JSON", async () => {
    const url = `${gateway.url}?query=${encodeURIComponent("{ __typename }")}&variables=${encodeURIComponent("{bad")}`;
    const { status, body } = await answer(await fetch(url, { headers: { accept: "application/json", ...CSRF } }));
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "REQUEST_NOT_JSON" });
  });

  it("refuse a form post whose extensions are not JSON the same way", async () => {
    const form = new URLSearchParams({ query: "{ __typename }", extensions: "{bad" });
    const response = await fetch(gateway.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...CSRF }, body: form.toString() });
    const { status, body } = await answer(response);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "REQUEST_NOT_JSON" });
  });

  it("answer the same requests with JSON parameters", async () => {
    const url = `${gateway.url}?query=${encodeURIComponent("{ __typename }")}&variables=${encodeURIComponent("{}")}`;
    expect(await answer(await fetch(url, { headers: { accept: "application/json", ...CSRF } }))).toMatchObject({ status: 200, body: { data: { __typename: "Query" } } });
    const form = new URLSearchParams({ query: "{ __typename }", extensions: "{}" });
    const response = await fetch(gateway.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...CSRF }, body: form.toString() });
    expect(await answer(response)).toMatchObject({ status: 200, body: { data: { __typename: "Query" } } });
  });
});
