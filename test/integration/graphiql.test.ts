import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, recordedPage, type RecordedPage } from "../support/browser.js";
import { runInstances } from "../support/ec2-fixture.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { startMoto, type Moto } from "../support/moto.js";

const API_KEY = "browser-secret-1";
let browser: Browser;
let open: TestGateway;
let keyed: TestGateway;
let moto: Moto;
let instanceId: string;

beforeAll(async () => {
  moto = await startMoto();
  [instanceId] = (await runInstances(moto.endpoint, 1)) as [string];
  browser = await launchChromium();
  open = await startGateway(motoEnv(moto.endpoint));
  keyed = await startGateway({ ...motoEnv(moto.endpoint), GATEWAY_API_KEYS: `browser:${API_KEY}` });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await open?.close();
  await keyed?.close();
  await moto?.stop();
});

const QUERY = "{ ec2Instances(first: 5) { edges { node { instanceId state } } } }";

/** Opens GraphiQL and waits for its query editor; a page that never gets there says what it asked for. */
async function openGraphiQL(recorded: RecordedPage, url: string) {
  await recorded.page.goto(url);
  try {
    await recorded.page.locator(".graphiql-query-editor .monaco-editor").first().waitFor({ timeout: 20_000 });
  } catch {
    throw new Error(`GraphiQL did not start; requests outside loopback: ${JSON.stringify(recorded.outsideLoopback())}`);
  }
}

/** Replaces the text of the Monaco editor inside `container`, as a person selecting all and typing would. */
async function replaceEditorText(page: Page, container: string, text: string) {
  await page.locator(`${container} .monaco-editor`).first().click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  // insertText types as a paste does: no auto-closed brackets or quotes doubled.
  await page.keyboard.insertText(text);
}

/** Runs what the query editor holds and waits for the result pane to show `expected`. */
async function runAndRead(page: Page, expected: string): Promise<string> {
  await page.locator(".graphiql-execute-button").click();
  const result = page.locator(".graphiql-response");
  await expect.poll(async () => (await result.innerText()).replace(/\s+/g, " "), { timeout: 15_000 }).toContain(expected);
  return (await result.innerText()).replace(/\s+/g, " ");
}

describe("GraphiQL in a real browser, with no internet", () => {
  it("opens, runs a query typed into it and shows the answer, with no request leaving the machine", async () => {
    const recorded = await recordedPage(browser);
    const { page, requests, outsideLoopback } = recorded;
    await openGraphiQL(recorded, open.url);
    expect(await page.title()).toBe("awsgql");
    await replaceEditorText(page, ".graphiql-query-editor", QUERY);
    const shown = await runAndRead(page, instanceId);
    expect(shown).toContain('"state": "running"');
    expect(requests.filter((url) => url.startsWith(open.url)).length).toBeGreaterThan(1); // the page, introspection, the query
    expect(outsideLoopback()).toEqual([]);
    await page.close();
  });

  it("sends the API key from its Headers tab, which opens with the header to fill in", async () => {
    const recorded = await recordedPage(browser);
    const { page, outsideLoopback } = recorded;
    await openGraphiQL(recorded, keyed.url);
    await replaceEditorText(page, ".graphiql-query-editor", QUERY);
    await page.getByRole("tab", { name: "Headers" }).or(page.getByText("Headers", { exact: true })).first().click();
    const headers = page.locator(".graphiql-editor-tool .monaco-editor").last();
    await expect.poll(async () => (await headers.innerText()).replace(/\s+/g, " ")).toContain("Bearer <your API key>");
    expect(await runAndRead(page, "UNAUTHENTICATED")).not.toContain(instanceId);

    await headers.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${API_KEY}` }));
    expect(await runAndRead(page, instanceId)).not.toContain("UNAUTHENTICATED");
    expect(outsideLoopback()).toEqual([]);
    await page.close();
  });
});
