// One AWS list operation, declared as the SDK's createPaginator names a paginator: its command, how
// a page's token goes in and comes out, its page size, and its items. A declaration becomes a
// PagedSource, so no resource writes a paging loop of its own.
import type { MetadataBearer } from "@smithy/types";
import { ErrorCode, GatewayError, isGatewayError } from "../errors.js";
import type { JsonSafe, PagedSource } from "../pagination/source.js";
import type { AwsCommand, RequestAws, Service } from "./clients.js";
import type { SharedAnswer } from "./answers.js";
import type { NamedCommand } from "./service-modules.js";

/** What a list source asks of a request's AWS (RequestAws): one answer, shared or its own. */
export type AwsAnswers = Pick<RequestAws, "answer">;

/**
 * The members of a page's input that the declaration sets: the token and the page size. Typed
 * loosely on purpose: every SDK input type takes them, under the names the declaration gives.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PageInput = { [member: string]: any };

/** How an operation's token goes into a request and comes out of an answer, as one string. */
export interface TokenStyle {
  /** the input members that carry a token (none on the first page) */
  input(token: string | undefined): PageInput;
  /** the next page's token, undefined when the listing ends */
  next(output: object): string | undefined;
  /**
   * Where a listing that is ordered by key can go on when AWS refuses the token (S3 after its
   * continuation token has expired): the input members that start after the last key listed.
   */
  fallback?(token: string): PageInput | undefined;
}

const member = (output: object, name: string): unknown => (output as Record<string, unknown>)[name];
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

function truncatedWithoutToken(flag: string): GatewayError {
  return new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, `AWS said the listing goes on (${flag}) but gave nothing to continue from.`, {
    reason: "TRUNCATED_WITHOUT_MARKER",
  });
}

/** The ways AWS list operations carry their tokens. */
export const tokens = {
  /** one member each way: NextToken (EC2, Lambda, ECS ...), ContinuationToken -> NextContinuationToken (S3) */
  field: (input: string, output: string = input): TokenStyle => ({
    input: (token) => (token === undefined ? {} : { [input]: token }),
    next: (out) => text(member(out, output)),
  }),
  /**
   * A marker that counts only while a flag says the listing is truncated (IAM's Marker and
   * IsTruncated, KMS's NextMarker and Truncated). "More pages" is the flag, never the presence of a
   * marker; a truncated page without one cannot be continued, and saying so beats ending silently.
   */
  truncated: (input: string, output: string, flag: string): TokenStyle => ({
    input: (token) => (token === undefined ? {} : { [input]: token }),
    next: (out) => {
      if (member(out, flag) !== true) return undefined;
      return text(member(out, output)) ?? (() => { throw truncatedWithoutToken(flag); })();
    },
  }),
  /**
   * Several members together (Route 53's next record name, type and identifier), carried as one
   * JSON array; the listing goes on while `flag` is set, or while the first member is given.
   */
  fields: (pairs: readonly (readonly [input: string, output: string])[], flag?: string): TokenStyle => ({
    input: (token) => {
      if (token === undefined) return {};
      const values = JSON.parse(token) as (string | null)[];
      const input: PageInput = {};
      pairs.forEach(([name], i) => {
        if (values[i] !== null && values[i] !== undefined) input[name] = values[i];
      });
      return input;
    },
    next: (out) => {
      const values = pairs.map(([, name]) => text(member(out, name)) ?? null);
      const goesOn = flag === undefined ? values[0] !== null : member(out, flag) === true;
      if (!goesOn) return undefined;
      if (values[0] === null) throw truncatedWithoutToken(flag ?? pairs[0]![1]);
      return JSON.stringify(values);
    },
  }),
  /** a key object (DynamoDB's ExclusiveStartKey from LastEvaluatedKey), carried as JSON */
  startKey: (input: string, output: string): TokenStyle => ({
    input: (token) => (token === undefined ? {} : { [input]: JSON.parse(token) }),
    next: (out) => {
      const key = member(out, output);
      return key === undefined || key === null || (typeof key === "object" && Object.keys(key).length === 0) ? undefined : JSON.stringify(key);
    },
  }),
  /** one answer holds the whole listing */
  none: (): TokenStyle => ({ input: () => ({}), next: () => undefined }),
  /**
   * A listing in key order (S3's ListObjectsV2): the continuation token and the last key listed
   * travel together, so a page whose token S3 no longer takes is asked again with `StartAfter`
   * that key. `lastKey` says where an answer ends (for a folder, after everything under its last
   * common prefix); the listing goes on while `IsTruncated`.
   */
  keyed: <Output extends object>(lastKey: (output: Output) => string | undefined): TokenStyle => ({
    input: (token) => {
      if (token === undefined) return {};
      const { c, a } = JSON.parse(token) as { c?: string; a?: string };
      return c === undefined ? { StartAfter: a } : { ContinuationToken: c };
    },
    next: (out) => {
      // The declaration pairs the style with its own operation, whose answers are Outputs.
      const last = lastKey(out as Output);
      if (member(out, "IsTruncated") !== true) return undefined;
      const c = text(member(out, "NextContinuationToken"));
      if (last === undefined && c === undefined) throw truncatedWithoutToken("IsTruncated");
      return JSON.stringify({ c, a: last });
    },
    fallback: (token) => {
      const { a } = JSON.parse(token) as { a?: string };
      return a === undefined ? undefined : { StartAfter: a };
    },
  }),
};

/**
 * The page size's limits, and the member that asks for it; without a member the service decides
 * (SNS's fixed 100, a Describe call AWS does not page) and the limits say what it returns.
 */
export interface PageSize {
  member?: string;
  min: number;
  max: number;
}

/** One AWS list operation. */
export interface ListOperation<Output extends MetadataBearer, Item> {
  service: Service;
  /** the command for one page, given the declaration's members and the caller's own */
  command(input: PageInput): AwsCommand<Output> | NamedCommand<Output>;
  tokens: TokenStyle;
  pageSize: PageSize;
  /** the page's items; `input` is the request's, for items that name only themselves (a cluster's nodegroups) */
  items(output: Output, input: PageInput): readonly Item[] | undefined;
}

/**
 * The operation as a PagedSource in one account's region, its items mapped to models, with
 * `input` (filters, a parent's name, a prefix) in every request.
 */
export function listSource<Output extends MetadataBearer, Item, Model extends JsonSafe>(
  aws: AwsAnswers,
  region: string,
  operation: ListOperation<Output, Item>,
  toModel: (item: Item) => Model,
  input: PageInput = {},
): PagedSource<Model> {
  const { member, min, max } = operation.pageSize;
  return {
    minPageSize: min,
    maxPageSize: max,
    async fetchPage(token, pageSize) {
      const sized = member === undefined ? input : { ...input, [member]: pageSize };
      let request = { ...sized, ...operation.tokens.input(token) };
      let answer: SharedAnswer<Output>;
      try {
        answer = await aws.answer(operation.service, region, operation.command(request), token !== undefined);
      } catch (error) {
        const startAfter = token === undefined || !isGatewayError(error, ErrorCode.CURSOR_EXPIRED) ? undefined : operation.tokens.fallback?.(token);
        if (!startAfter) throw error;
        request = { ...sized, ...startAfter };
        answer = await aws.answer(operation.service, region, operation.command(request), true);
      }
      const { output, fetchedAt } = answer;
      const models: Model[] = [];
      for (const item of operation.items(output, request) ?? []) models.push(toModel(item));
      return { items: models, nextToken: operation.tokens.next(output), fetchedAt };
    },
  };
}

/** IAM's list calls: Marker while IsTruncated, MaxItems 1..1000, global (asked in the default region). */
export const IAM_PAGING = { tokens: tokens.truncated("Marker", "Marker", "IsTruncated"), pageSize: { member: "MaxItems", min: 1, max: 1000 } };

/** EC2's Describe calls: NextToken, MaxResults within the call's own limits. */
export const ec2Paging = (limits: { min: number; max: number }) => ({ tokens: tokens.field("NextToken"), pageSize: { member: "MaxResults", ...limits } });

/** An IAM list call as a PagedSource in an account (IAM is global: asked in the default region). */
export function iamListSource<Output extends MetadataBearer, Item, Model extends JsonSafe>(
  aws: RequestAws,
  command: (input: PageInput) => AwsCommand<Output>,
  items: (output: Output) => readonly Item[] | undefined,
  toModel: (item: Item) => Model,
): PagedSource<Model> {
  return listSource(aws, aws.defaultRegion, { service: "iam", command, items, ...IAM_PAGING }, toModel);
}
