// Debian's chromium driven by playwright-core, headless, every request it makes recorded.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export interface RecordedPage {
  page: Page;
  /** every URL the page asked for, from its first request on */
  requests: string[];
  /** the requests that left the machine: anything but loopback, data: and blob: URLs */
  outsideLoopback(): string[];
}

/** Starts chromium; fails, saying what is missing, when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium is missing at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (.ci/run does)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-default-apps", "--no-first-run"],
  });
}

export async function recordedPage(browser: Browser): Promise<RecordedPage> {
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  return {
    page,
    requests,
    outsideLoopback: () =>
      requests.filter((url) => {
        if (url.startsWith("data:") || url.startsWith("blob:")) return false;
        const host = new URL(url).hostname;
        return !(host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host));
      }),
  };
}
