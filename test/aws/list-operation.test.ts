import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listSource, tokens, type AwsAnswers, type ListOperation, type PageInput, type TokenStyle } from "../../src/aws/list-operation.js";
import { ErrorCode, GatewayError } from "../../src/errors.js";
import { mapBuffer, walkListing, type PagingBehaviour } from "../support/fake-sources.js";

/**
 * A fake AWS list operation over `items` that carries its position in the token style's own
 * members: the service-side half of each style, written out as AWS behaves.
 */
interface FakeService {
  style: TokenStyle;
  /** the offset a request starts at, read from the members the style set */
  offsetOf(input: PageInput): number;
  /** the answer's members that say where the next page starts, or that there is none */
  continuation(next: number | undefined): Record<string, unknown>;
}

const services: Record<string, FakeService> = {
  "NextToken (EC2, Lambda, ECS)": {
    style: tokens.field("NextToken"),
    offsetOf: (input) => Number(input.NextToken ?? 0),
    continuation: (next) => (next === undefined ? {} : { NextToken: String(next) }),
  },
  "ContinuationToken in, NextContinuationToken out (S3)": {
    style: tokens.field("ContinuationToken", "NextContinuationToken"),
    offsetOf: (input) => Number(String(input.ContinuationToken ?? "c0").slice(1)),
    continuation: (next) => (next === undefined ? { IsTruncated: false } : { IsTruncated: true, NextContinuationToken: `c${next}` }),
  },
  "Marker and IsTruncated (IAM)": {
    style: tokens.truncated("Marker", "Marker", "IsTruncated"),
    offsetOf: (input) => Number(input.Marker ?? 0),
    // IAM may also hand back a marker on the last page; only IsTruncated says whether it counts
    continuation: (next) => (next === undefined ? { IsTruncated: false, Marker: "stale" } : { IsTruncated: true, Marker: String(next) }),
  },
  "Marker, NextMarker and Truncated (KMS)": {
    style: tokens.truncated("Marker", "NextMarker", "Truncated"),
    offsetOf: (input) => Number(input.Marker ?? 0),
    continuation: (next) => (next === undefined ? { Truncated: false } : { Truncated: true, NextMarker: String(next) }),
  },
  "next record name, type and identifier (Route 53)": {
    style: tokens.fields([["StartRecordName", "NextRecordName"], ["StartRecordType", "NextRecordType"], ["StartRecordIdentifier", "NextRecordIdentifier"]], "IsTruncated"),
    offsetOf: (input) => (input.StartRecordName === undefined ? 0 : Number(/^r(\d+)\.example\.$/.exec(input.StartRecordName)![1]) + (input.StartRecordIdentifier === "b" ? 0.5 : 0)),
    continuation: (next) =>
      next === undefined ? { IsTruncated: false } : { IsTruncated: true, NextRecordName: `r${Math.floor(next)}.example.`, NextRecordType: "A", ...(next % 1 ? { NextRecordIdentifier: "b" } : {}) },
  },
  "ContinuationToken, or StartAfter the last key (S3, keyed)": {
    style: tokens.keyed((out: { Items?: number[] }) => (out.Items?.length ? `k${String(out.Items.at(-1)).padStart(4, "0")}` : undefined)),
    offsetOf: (input) => (input.ContinuationToken !== undefined ? Number(String(input.ContinuationToken).slice(1)) : input.StartAfter !== undefined ? Number(String(input.StartAfter).slice(1)) + 1 : 0),
    continuation: (next) => (next === undefined ? { IsTruncated: false } : { IsTruncated: true, NextContinuationToken: `c${next}` }),
  },
  "ExclusiveStartKey from LastEvaluatedKey (DynamoDB)": {
    style: tokens.startKey("ExclusiveStartKey", "LastEvaluatedKey"),
    offsetOf: (input) => (input.ExclusiveStartKey === undefined ? 0 : Number(input.ExclusiveStartKey.TableName.S.slice(1))),
    continuation: (next) => (next === undefined ? {} : { LastEvaluatedKey: { TableName: { S: `t${next}` } } }),
  },
};

/** Route 53 lists two records under some names (weighted sets), told apart by their identifier. */
const positions = (styleName: string, count: number) =>
  styleName.includes("Route 53") ? Array.from({ length: count }, (_, i) => (i % 3 === 2 ? Math.floor(i / 3) * 3 + 1.5 : i)) : Array.from({ length: count }, (_, i) => i);

function fakeAws(service: FakeService, styleName: string, count: number, behaviour: PagingBehaviour, limits: { min: number; max: number }) {
  const at = positions(styleName, count);
  let calls = 0;
  const aws: AwsAnswers = {
    async answer(_service, _region, command) {
      calls += 1;
      const input = command.input as PageInput;
      const size = input.MaxItems as number;
      if (size < limits.min || size > limits.max) throw new Error(`page size ${size} out of range`);
      const start = at.findIndex((p) => p >= service.offsetOf(input));
      const from = start < 0 ? count : start;
      const length = { honours: size, ignores: count, shortens: Math.max(1, size - 1 - (from % 4)), lengthens: size + 1 + (from % 7), emptyPages: size }[behaviour];
      const end = Math.min(count, from + length);
      const output = { Items: Array.from({ length: end - from }, (_, i) => from + i), ...service.continuation(end < count ? at[end] : undefined), $metadata: {} };
      return { output: output as never, fetchedAt: 0, source: "miss" as const };
    },
  };
  return { aws, calls: () => calls };
}

const operation = (style: TokenStyle, limits: { min: number; max: number }): ListOperation<{ $metadata: object; Items?: number[] }, number> => ({
  service: "ec2",
  command: (input) => ({ input }) as never,
  tokens: style,
  pageSize: { member: "MaxItems", ...limits },
  items: (out) => out.Items,
});

describe("every AWS token style, as one paged source", () => {
  for (const [styleName, service] of Object.entries(services)) {
    it(`${styleName}: every item exactly once, in AWS order, from any edge, whatever the service does with the page size`, async () => {
      await fc.assert(
        fc.asyncProperty(
          // empty pages with a token are the engine's own tests: a fake of every style cannot give them a token of their own
          fc.constantFrom<PagingBehaviour>("honours", "ignores", "shortens", "lengthens"),
          fc.integer({ min: 0, max: 400 }),
          fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 6 }),
          fc.array(fc.integer({ min: -1, max: 150 }), { minLength: 1, maxLength: 6 }),
          async (behaviour, count, firsts, resumes) => {
            const limits = { min: 5, max: 100 };
            const fake = fakeAws(service, styleName, count, behaviour, limits);
            const source = listSource(fake.aws, "us-east-1", operation(service.style, limits), (n) => n);
            const { seen } = await walkListing(source, { firsts, resumes, buffer: mapBuffer<number>(), maxSteps: 20 * count + 100 });
            expect(seen).toEqual(Array.from({ length: count }, (_, i) => i));
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it("goes on with StartAfter the last key when AWS no longer takes a keyed listing's token, and refuses the position of any other style", async () => {
    const keys = Array.from({ length: 230 }, (_, i) => `k${String(i).padStart(4, "0")}`);
    let refuseTokens = false;
    const aws: AwsAnswers = {
      async answer(_service, _region, command) {
        const input = command.input as PageInput;
        if (refuseTokens && input.ContinuationToken !== undefined) throw new GatewayError(ErrorCode.CURSOR_EXPIRED, "expired");
        const from = input.ContinuationToken !== undefined ? Number(String(input.ContinuationToken).slice(1)) : input.StartAfter !== undefined ? keys.indexOf(String(input.StartAfter)) + 1 : 0;
        const end = Math.min(keys.length, from + Number(input.MaxItems));
        return { output: { Items: keys.slice(from, end), IsTruncated: end < keys.length, NextContinuationToken: `c${end}`, $metadata: {} } as never, fetchedAt: 0, source: "miss" as const };
      },
    };
    const keyedOperation: ListOperation<{ $metadata: object; Items?: string[] }, string> = {
      service: "s3",
      command: (input) => ({ input }) as never,
      tokens: tokens.keyed((out: { Items?: string[] }) => out.Items?.at(-1)),
      pageSize: { member: "MaxItems", min: 1, max: 100 },
      items: (out) => out.Items,
    };
    const keyed = listSource(aws, "us-east-1", keyedOperation, (k) => k);
    const first = await keyed.fetchPage(undefined, 100);
    refuseTokens = true;
    const second = await keyed.fetchPage(first.nextToken, 100);
    expect(second.items).toEqual(keys.slice(100, 200));
    const fielded = listSource(aws, "us-east-1", operation(tokens.field("ContinuationToken", "NextContinuationToken"), { min: 1, max: 100 }), (n) => n);
    await expect(fielded.fetchPage("c100", 100)).rejects.toMatchObject({ code: "CURSOR_EXPIRED" });
  });

  it("refuses a truncated answer with nothing to continue from, instead of ending the listing", async () => {
    const answer = { IsTruncated: true };
    expect(() => tokens.truncated("Marker", "Marker", "IsTruncated").next(answer)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "UPSTREAM_UNAVAILABLE" }) }));
  });

  it("asks a service that takes no page size for none, and takes its fixed page as it comes", async () => {
    const asked: PageInput[] = [];
    const aws: AwsAnswers = {
      async answer(_service, _region, command) {
        const input = command.input as PageInput;
        asked.push(input);
        const from = Number(input.NextToken ?? 0);
        const end = Math.min(250, from + 100);
        return { output: { Items: Array.from({ length: end - from }, (_, i) => from + i), NextToken: end < 250 ? String(end) : undefined, $metadata: {} } as never, fetchedAt: 0, source: "miss" as const };
      },
    };
    const source = listSource(aws, "us-east-1", { ...operation(tokens.field("NextToken"), { min: 1, max: 1 }), pageSize: { min: 100, max: 100 } }, (n) => n, { TopicArn: "arn" });
    const { seen } = await walkListing(source, { firsts: [30, 70], resumes: [-1] });
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(asked.every((input) => !("MaxItems" in input) && input.TopicArn === "arn")).toBe(true);
  });
});
