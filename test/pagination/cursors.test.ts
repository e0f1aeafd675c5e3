import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contractErrorOf } from "../../src/graphql/contract-errors.js";
import { CursorMap } from "../../src/pagination/cursor-records.js";
import { listingFingerprint } from "../../src/pagination/fingerprint.js";
import { HeldPages } from "../../src/pagination/held-pages.js";
import { END, START, fillPage } from "../../src/pagination/engine.js";
import { MemoryCursorStore } from "../../src/store/memory.js";
import { fakeSource } from "../support/fake-sources.js";

const items = Array.from({ length: 200 }, (_, i) => `item-${i}`);

function setup(ttlMs = 60_000) {
  const store = new MemoryCursorStore({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });
  const cursors = new CursorMap(store, { ttlMs });
  const held = new HeldPages(store, { ttlMs, maxBytes: 1024 * 1024 });
  const source = fakeSource(items, "honours");
  const fingerprint = listingFingerprint("Query.things", undefined, { region: "us-east-1" });
  const page = async (from = START as Parameters<typeof fillPage>[1], first = 10) => {
    const filled = await fillPage(source, from, first, { maxCalls: 50, buffer: held.of() });
    return { filled, issued: await cursors.issue(filled, fingerprint, "alice") };
  };
  return { store, cursors, source, fingerprint, page };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (contractErrorOf(error) as { extensions?: { code?: string } }).extensions?.code ?? String(error),
  );

describe("cursor map", () => {
  it("resumes right after the cursor's edge, for any edge of the page", async () => {
    const { cursors, fingerprint, page } = setup();
    const { issued } = await page(START, 10);
    for (let edge = 0; edge < 10; edge += 1) {
      const from = await cursors.resolve(issued.edges[edge]!, fingerprint, "alice");
      const next = await page(from, 3);
      expect(next.filled.items).toEqual(items.slice(edge + 1, edge + 4));
    }
  });

  it("issues short cursors that carry no AWS token, account id or argument", async () => {
    const { issued } = await setup().page(START, 10);
    for (const cursor of issued.edges) {
      expect(cursor.length).toBeLessThanOrEqual(48);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]{16}\.\d+\.[A-Za-z0-9_-]{12}$/);
      expect(cursor).not.toContain("us-east-1");
      // the record's id is 12 random bytes: it names no item and not the AWS token "10" of the next page
      // (random bytes may hold two digits by chance, as a token-shaped pattern would flag 1 run in 60)
      const id = Buffer.from(cursor.split(".")[0]!, "base64url");
      expect(id).toHaveLength(12);
      expect(id.toString("latin1")).not.toMatch(/item|10/);
    }
  });

  it("refuses random strings as CURSOR_INVALID without any AWS call", async () => {
    const { cursors, fingerprint, source } = setup();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (text) => {
        expect(await code(cursors.resolve(text, fingerprint, "alice"))).toBe("CURSOR_INVALID");
      }),
      { numRuns: 300 },
    );
    expect(source.calls).toBe(0);
  });

  it("refuses truncated and altered cursors as CURSOR_INVALID", async () => {
    const { cursors, fingerprint, page } = setup();
    const { issued } = await page(START, 10);
    const callsBefore = setup().source.calls;
    const cursor = issued.edges[4]!;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(..."ABCabc012_-.xyz"), async (at, char) => {
        const altered = cursor.slice(0, at) + char + cursor.slice(at + 1);
        // changing the index to another edge's gives that edge's cursor, which is one of ours
        fc.pre(!issued.edges.includes(altered));
        expect(await code(cursors.resolve(altered, fingerprint, "alice"))).toBe("CURSOR_INVALID");
        expect(await code(cursors.resolve(cursor.slice(0, at), fingerprint, "alice"))).toBe("CURSOR_INVALID");
      }),
      { numRuns: 200 },
    );
    expect(callsBefore).toBe(0);
  });

  it("refuses an edge index past the page as CURSOR_INVALID", async () => {
    const { cursors, fingerprint, page } = setup();
    const { issued } = await page(START, 10);
    const [id, , tag] = issued.edges[9]!.split(".");
    for (const index of [10, 11, 99999]) {
      expect(await code(cursors.resolve(`${id}.${index}.${tag}`, fingerprint, "alice"))).toBe("CURSOR_INVALID");
    }
  });

  it("refuses another caller's cursor as CURSOR_INVALID, the same answer as an unknown one", async () => {
    const { cursors, fingerprint, page } = setup();
    const { issued } = await page();
    expect(await code(cursors.resolve(issued.edges[0]!, fingerprint, "mallory"))).toBe("CURSOR_INVALID");
  });

  it("refuses a cursor used with other arguments or another field as CURSOR_MISMATCH", async () => {
    const { cursors, page } = setup();
    const { issued } = await page();
    const otherRegion = listingFingerprint("Query.things", undefined, { region: "eu-west-1" });
    const otherField = listingFingerprint("Query.others", undefined, { region: "us-east-1" });
    const otherParent = listingFingerprint("Query.things", "parent-2", { region: "us-east-1" });
    for (const fingerprint of [otherRegion, otherField, otherParent]) {
      expect(await code(cursors.resolve(issued.edges[0]!, fingerprint, "alice"))).toBe("CURSOR_MISMATCH");
    }
  });

  it("fingerprints arguments whatever the order of their keys", () => {
    expect(listingFingerprint("f", undefined, { a: 1, b: { c: 2, d: [3] } })).toBe(
      listingFingerprint("f", undefined, { b: { d: [3], c: 2 }, a: 1 }),
    );
  });

  it("refuses a cursor past its TTL as CURSOR_EXPIRED", async () => {
    const { cursors, fingerprint, page } = setup(30);
    const { issued } = await page();
    await new Promise((r) => setTimeout(r, 60));
    expect(await code(cursors.resolve(issued.edges[0]!, fingerprint, "alice"))).toBe("CURSOR_EXPIRED");
  });

  it("refuses an evicted cursor as CURSOR_EXPIRED", async () => {
    const store = new MemoryCursorStore({ maxEntries: 2, maxBytes: 1024 * 1024 });
    const cursors = new CursorMap(store, { ttlMs: 60_000 });
    const fingerprint = listingFingerprint("f", undefined, {});
    const source = fakeSource(items, "honours");
    const issue = async () => cursors.issue(await fillPage(source, START, 5, { maxCalls: 5 }), fingerprint, "alice");
    const oldest = await issue();
    await issue();
    await issue();
    expect(await code(cursors.resolve(oldest.edges[0]!, fingerprint, "alice"))).toBe("CURSOR_EXPIRED");
    expect((await store.stats()).evictions).toBeGreaterThan(0);
  });

  it("gives an empty page that has more to come an end cursor of its own", async () => {
    const { cursors, fingerprint } = setup();
    const source = fakeSource(items, "emptyPages");
    const filled = await fillPage(source, START, 10, { maxCalls: 1 });
    expect(filled.items).toEqual([]);
    const issued = await cursors.issue(filled, fingerprint, "alice");
    const from = await cursors.resolve(issued.end!, fingerprint, "alice");
    const next = await fillPage(source, from, 10, { maxCalls: 10 });
    expect(next.items).toEqual(items.slice(0, 10));
  });

  it("resolves the last edge of the listing to its end", async () => {
    const { cursors, fingerprint, page } = setup();
    const { issued } = await page(START, 200);
    expect(await cursors.resolve(issued.edges[199]!, fingerprint, "alice")).toBe(END);
  });
});
