// KMS as AWS pages it, which moto does not: ListKeys honours Limit (Marker -> NextMarker while
// Truncated), ListAliases honours Limit (at most 100) and lists AWS's predefined aliases with no
// TargetKeyId. What `aliases` costs: the region's ListAliases walked once for a page of P keys when
// it ends within floor(P / 2) calls, ListAliases { KeyId } for each key otherwise: never more than
// P + floor(P / 2) calls, the price the query was given before execution.
import { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand, type AliasListEntry, type ListAliasesCommandInput, type ListKeysCommandInput } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { estimateCost } from "../../src/graphql/query-limits.js";
import { schema } from "../../src/schema.js";
import { awsError, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const ACCOUNT = "123456789012";
const keyIds = Array.from({ length: 130 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
// 3 aliases for each of the first 90 keys and AWS's predefined ones: three pages of 100
const aliases: AliasListEntry[] = [
  ...["alias/aws/ebs", "alias/aws/s3", "alias/aws/rds"].map((AliasName) => ({ AliasName })),
  ...keyIds.slice(0, 90).flatMap((id, k) => [0, 1, 2].map((n) => ({ AliasName: `alias/key-${k}/${n}`, TargetKeyId: id }))),
];
const aliasesOf = (k: number) => (k < 90 ? [0, 1, 2].map((n) => `alias/key-${k}/${n}`) : []);

const page = <T>(all: T[], marker: string | undefined, limit: number) => {
  const from = marker ? Number(marker.slice(2)) : 0;
  const items = all.slice(from, from + limit);
  const truncated = from + items.length < all.length;
  return { items, Truncated: truncated, NextMarker: truncated ? `m-${from + items.length}` : undefined };
};

const kms = mockClient(KMSClient);
const gateway = useMockedGateway([kms], () => {
  kms.on(ListKeysCommand).callsFake((input: ListKeysCommandInput) => {
    const limit = input.Limit ?? 100;
    if (limit < 1 || limit > 1000) throw awsError("ValidationException");
    const { items, ...rest } = page(keyIds, input.Marker, limit);
    return { Keys: items.map((KeyId) => ({ KeyId, KeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KeyId}` })), ...rest };
  });
  kms.on(ListAliasesCommand).callsFake((input: ListAliasesCommandInput) => {
    const limit = input.Limit ?? 50;
    if (limit < 1 || limit > 100) throw awsError("ValidationException");
    const { items, ...rest } = page(input.KeyId ? aliases.filter((a) => a.TargetKeyId === input.KeyId) : aliases, input.Marker, limit);
    return { Aliases: items, ...rest };
  });
  kms.on(DescribeKeyCommand).callsFake(({ KeyId }) => {
    if (!keyIds.includes(KeyId)) throw awsError("NotFoundException");
    return { KeyMetadata: { KeyId, Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KeyId}`, AWSAccountId: ACCOUNT, KeyState: "Enabled" } };
  });
});

const KEYS = `query($first: Int, $after: String) { kmsKeys(first: $first, after: $after) { edges { cursor node { keyId } } pageInfo { hasNextPage endCursor } } }`;
const ALIASES = `query($first: Int, $after: String) { kmsKeys(first: $first, after: $after) { edges { node { keyId aliases } } } }`;
const listAliasCalls = () => kms.commandCalls(ListAliasesCommand).map((c) => c.args[0].input);

describe("KMS as AWS pages it (Limit honoured, which moto does not)", () => {
  it("walks every key once, following NextMarker while Truncated, with Limit at most the page", async () => {
    for (const first of [7, 50]) {
      kms.resetHistory();
      const walk = await walkConnection(gateway, KEYS, ["kmsKeys"], { firsts: [first] });
      expect(walk.nodes.map((n: any) => n.keyId)).toEqual(keyIds);
      expect(kms.commandCalls(ListKeysCommand).length, `first: ${first}`).toBe(Math.ceil(keyIds.length / first));
      expect(kms.commandCalls(ListKeysCommand).every((c) => c.args[0].input.Limit! <= first)).toBe(true);
    }
  });

  it("aliases of a page: the region's ListAliases walked once (three pages for ten keys), predefined aliases left out", async () => {
    const answer = await gateway.query(ALIASES, { first: 10 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.kmsKeys.edges.map((e: any) => e.node.aliases)).toEqual(keyIds.slice(0, 10).map((_, k) => aliasesOf(k)));
    expect(listAliasCalls().map((input) => [input.KeyId, input.Marker ?? null])).toEqual([[undefined, null], [undefined, "m-100"], [undefined, "m-200"]]);
    expect(answer.extensions!.aws.operations).toEqual({ ListKeys: 1, ListAliases: 3 });
  });

  it("aliases of a small page: asked per key once the region's list takes more than floor(P / 2) calls", async () => {
    for (const first of [2, 5]) {
      kms.resetHistory();
      const answer = await gateway.query(`query($first: Int) { kmsKeys(first: $first) { edges { node { keyId aliases } } } }`, { first });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.kmsKeys.edges.map((e: any) => e.node.aliases)).toEqual(keyIds.slice(0, first).map((_, k) => aliasesOf(k)));
      const calls = listAliasCalls();
      // floor(P / 2) region-wide pages, then one call per key
      expect(calls.filter((input) => input.KeyId === undefined), `first: ${first}`).toHaveLength(Math.floor(first / 2));
      expect(calls.filter((input) => input.KeyId !== undefined).map((input) => input.KeyId)).toEqual(keyIds.slice(0, first));
      // the worst case, and still within the price the query was given before execution
      const priced = estimateCost(schema, parse(`{ kmsKeys(first: ${first}) { edges { node { keyId aliases } } } }`), undefined, {}, 50).awsCalls;
      expect(answer.extensions!.aws.calls).toBeLessThanOrEqual(priced);
    }
  });

  it("aliases of a key alone: ListAliases { KeyId }, one call; a key with none has none", async () => {
    const answer = await gateway.query(`query($a: String!, $b: String!) { a: kmsKey(keyId: $a) { aliases } b: kmsKey(keyId: $b) { aliases } }`, { a: keyIds[4], b: keyIds[120] });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ a: { aliases: aliasesOf(4) }, b: { aliases: [] } });
    expect(answer.extensions!.aws.operations.DescribeKey).toBe(2);
    // the two keys come in one batch: one page of the region's list, then a call for each
    expect(listAliasCalls().map((input) => input.KeyId)).toEqual([undefined, keyIds[4], keyIds[120]]);
    const alone = await gateway.query(`query($a: String!) { kmsKey(keyId: $a) { aliases } }`, { a: keyIds[7] });
    expect(alone.data).toEqual({ kmsKey: { aliases: aliasesOf(7) } });
    expect(alone.extensions!.aws.operations).toEqual({ DescribeKey: 1, ListAliases: 1 });
    expect(listAliasCalls().at(-1)!.KeyId).toBe(keyIds[7]);
  });
});
