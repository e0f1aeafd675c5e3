// KMS through the gateway against moto_server: `kmsKeys` (ListKeys, then DescribeKey per key only for the
// fields that need it, and the key's aliases) and `kmsKey(keyId)`, compared with what the SDK reads from the
// same emulator.
//
// moto (5.x) does not page KMS: ListKeys and ListAliases ignore `Limit`, answer everything at once with
// `Truncated: false` and no `NextMarker` (checked below). It also lists the reserved `alias/aws/*`
// aliases in ListAliases (pointing at keys ListKeys does not list), and every key is `CUSTOMER` managed.
import {
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  paginateListAliases,
  paginateListKeys,
  type KeyListEntry,
  type KeyMetadata,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedKms, type KmsSeeded } from "../../../demo/services/kms.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, checkRandomWalks, dataOf, regionalClients, walkThereAndBack } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGIONS = ["us-east-1", "eu-west-1"];

let moto: Moto;
let gateway: TestGateway;
const seeded: KmsSeeded = { keys: {} };
const kms = regionalClients((region) => new KMSClient(motoClientConfig(moto.endpoint, region)));

beforeAll(async () => {
  moto = await startMoto();
  // forty keys where the walks page, a few in the second region
  const [main, second] = await Promise.all([
    seedKms({ endpoint: moto.endpoint }, { regions: ["us-east-1"], keys: 40 }),
    seedKms({ endpoint: moto.endpoint }, { regions: ["eu-west-1"], keys: 8 }),
  ]);
  Object.assign(seeded.keys, main.keys, second.keys);
  gateway = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  kms.destroy();
  await moto?.stop();
});

/** The SDK's own listing: every page at the largest page size. */
const keys = (region: string): Promise<KeyListEntry[]> => all(paginateListKeys({ client: kms(region), pageSize: 1000 }, {}), (page) => page.Keys);
const describeKey = async (region: string, KeyId: string): Promise<KeyMetadata> => (await kms(region).send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
const aliasesOf = async (region: string, KeyId: string): Promise<string[]> =>
  (await all(paginateListAliases({ client: kms(region), pageSize: 100 }, { KeyId }), (page) => page.Aliases)).map((a) => a.AliasName!);

const iso = (value: Date | undefined) => (value ? value.toISOString() : null);
const isoOf = (value: string | null) => (value === null ? null : new Date(value).toISOString());
// The contract does not fix the order of a key's aliases: compared as sets
const sorted = (names: string[]) => [...names].sort();

const PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
const KEYS = `query($first: Int, $after: String, $last: Int, $before: String, $region: String) {
  kmsKeys(first: $first, after: $after, last: $last, before: $before, region: $region) { edges { cursor node { id region keyId } } ${PAGE_INFO} } }`;

/** What the gateway should say of a key, from DescribeKey and ListAliases. */
async function expectedKey(region: string, keyId: string) {
  const meta = await describeKey(region, keyId);
  return {
    accountId: meta.AWSAccountId,
    accountName: "default",
    region,
    keyId: meta.KeyId,
    keyArn: meta.Arn,
    // a key created without a description has Description "" (AWS and moto): the gateway may say "" or null
    description: meta.Description || null,
    keyState: meta.KeyState,
    keyManager: meta.KeyManager,
    keyUsage: meta.KeyUsage,
    creationDate: iso(meta.CreationDate),
    aliases: sorted(await aliasesOf(region, keyId)),
  };
}
const asServed = (node: any) => ({ ...node, id: undefined, description: node.description || null, creationDate: isoOf(node.creationDate), aliases: sorted(node.aliases) });

describe("KMS against moto_server", () => {
  it("is seeded with keys in every state, with and without aliases, and moto answers ListKeys and ListAliases in one page whatever Limit says", async () => {
    const region = "us-east-1";
    const listed = await keys(region);
    expect(listed.map((k) => k.KeyId)).toEqual(seeded.keys[region]!.map((k) => k.keyId));
    const states = await Promise.all(listed.map(async (k) => (await describeKey(region, k.KeyId!)).KeyState));
    expect(new Set(states)).toEqual(new Set(["Enabled", "Disabled", "PendingDeletion"]));
    const aliasCounts = await Promise.all(listed.map(async (k) => (await aliasesOf(region, k.KeyId!)).length));
    expect(new Set(aliasCounts)).toEqual(new Set([0, 1, 2]));
    const small = await kms(region).send(new ListKeysCommand({ Limit: 3 }));
    expect(small.Keys).toHaveLength(40);
    expect([small.Truncated, small.NextMarker]).toEqual([false, undefined]);
    const aliases = await kms(region).send(new ListAliasesCommand({ Limit: 3 }));
    expect(aliases.Aliases!.length).toBeGreaterThan(3);
    expect([aliases.Truncated, aliases.NextMarker]).toEqual([false, undefined]);
    // the reserved AWS managed aliases come with every region's ListAliases, pointing at no listed key
    const keyIds = new Set(listed.map((k) => k.KeyId));
    expect(aliases.Aliases!.filter((a) => a.AliasName!.startsWith("alias/aws/")).every((a) => !keyIds.has(a.TargetKeyId))).toBe(true);
  });

  it("kmsKeys: walks with random page sizes, resumed after random edges, equal ListKeys in each region", async () => {
    for (const region of REGIONS) {
      const expected = (await keys(region)).map((k) => k.KeyId!);
      await checkRandomWalks(gateway, KEYS, ["kmsKeys"], { maxFirst: 12, runs: 3, variables: { region } }, (walk) => {
        expect(walk.nodes.map((n: any) => n.keyId)).toEqual(expected);
        expect(walk.nodes.every((n: any) => n.region === region)).toBe(true);
      });
    }
  });

  it("kmsKeys: moto's one ListKeys answer is read once and paged from there, with no DescribeKey for the id", async () => {
    const walk = await walkConnection(gateway, KEYS, ["kmsKeys"], { firsts: [7] });
    expect(walk.nodes).toHaveLength(40);
    expect(walk.operations).toEqual({ ListKeys: 1 });
  });

  it("kmsKeys: lists several regions in the order named, as one listing", async () => {
    const expected = [...(await keys("us-east-1")).map((k) => `us-east-1 ${k.KeyId}`), ...(await keys("eu-west-1")).map((k) => `eu-west-1 ${k.KeyId}`)];
    const query = `query($first: Int, $after: String) { kmsKeys(regions: ["us-east-1", "eu-west-1"], first: $first, after: $after) {
      edges { cursor node { region keyId } } pageInfo { hasNextPage endCursor } } }`;
    const walk = await walkConnection(gateway, query, ["kmsKeys"], { firsts: [9, 13] });
    expect(walk.nodes.map((n: any) => `${n.region} ${n.keyId}`)).toEqual(expected);
  });

  it("kmsKeys: a walk back from the end with `last`/`before` is the forward listing reversed", async () => {
    const expected = (await keys("us-east-1")).map((k) => k.KeyId!);
    for (const size of [6, 11]) {
      const { forward, backward } = await walkThereAndBack(gateway, KEYS, ["kmsKeys"], { first: size, last: size });
      expect(forward.map((n) => n.keyId)).toEqual(expected);
      expect(backward.map((n) => n.keyId)).toEqual(expected);
    }
  });

  it("kmsKeys: totalCount is ListKeys' count in each region, counted without DescribeKey", async () => {
    for (const region of REGIONS) {
      const answer = await gateway.query(`query($region: String) { kmsKeys(region: $region, first: 1) { totalCount } }`, { region });
      expect(dataOf(answer).kmsKeys.totalCount, region).toBe((await keys(region)).length);
      expect(answer.extensions!.aws.operations.DescribeKey).toBeUndefined();
    }
  });

  it("kmsKeys: a page of ids, ARNs and node ids makes no DescribeKey call; a describe-only field makes one per key of the page", async () => {
    const listed = await keys("us-east-1");
    const idsAnswer = await gateway.query(`{ kmsKeys(first: 10) { edges { node { id keyId keyArn } } } }`);
    expect(dataOf(idsAnswer).kmsKeys.edges.map((e: any) => [e.node.keyId, e.node.keyArn])).toEqual(listed.slice(0, 10).map((k) => [k.KeyId, k.KeyArn]));
    expect(idsAnswer.extensions!.aws.operations).toEqual({ ListKeys: 1 });

    const described = await gateway.query(`{ kmsKeys(first: 10) { edges { node { keyId keyState } } } }`);
    dataOf(described);
    expect(described.extensions!.aws.operations).toEqual({ ListKeys: 1, DescribeKey: 10 });

    // aliases come from ListAliases (one call a key, or the region's whole list): never DescribeKey
    const aliased = await gateway.query(`{ kmsKeys(first: 10) { edges { node { keyId aliases } } } }`);
    dataOf(aliased);
    const operations = aliased.extensions!.aws.operations;
    expect(operations.ListKeys).toBe(1);
    expect(operations.DescribeKey).toBeUndefined();
    expect(operations.ListAliases).toBeGreaterThanOrEqual(1);
    expect(operations.ListAliases).toBeLessThanOrEqual(10);
  });

  it("kmsKeys: every field of a key is what DescribeKey and ListAliases say, in each region", async () => {
    for (const region of REGIONS) {
      // pages of 20: DescribeKey per key and the aliases' worst case stay within MAX_AWS_CALLS_PER_PAGE (50)
      const pages: any[] = [];
      for (let after: string | null = null; ; ) {
        const page: any = dataOf(
          await gateway.query(
            `query($region: String, $after: String) { kmsKeys(region: $region, first: 20, after: $after) { fetchedAt failedSources { region code } pageInfo { hasNextPage endCursor } edges { node {
            id accountId accountName region keyId keyArn description keyState keyManager keyUsage creationDate aliases } } } }`,
            { region, after },
          ),
        ).kmsKeys;
        pages.push(page);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      const data = { kmsKeys: { ...pages[0], edges: pages.flatMap((page) => page.edges) } };
      const listed = await keys(region);
      const nodes = data.kmsKeys.edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => n.keyId)).toEqual(listed.map((k) => k.KeyId));
      expect(data.kmsKeys.failedSources).toEqual([]);
      expect(Number.isNaN(Date.parse(data.kmsKeys.fetchedAt))).toBe(false);
      for (const node of nodes) {
        expect(typeof node.id).toBe("string");
        expect(asServed(node), node.keyId).toEqual(await expectedKey(region, node.keyId));
      }
      expect(new Set(nodes.map((n: any) => n.id)).size).toBe(nodes.length);
      // the seed's variety reaches the gateway
      expect(new Set(nodes.map((n: any) => n.keyState))).toEqual(new Set(seeded.keys[region]!.map((k) => k.keyState)));
      expect(nodes.some((n: any) => n.aliases.length === 0) && nodes.some((n: any) => n.aliases.length > 0)).toBe(true);
      expect(nodes.some((n: any) => n.aliases.some((a: string) => a.startsWith("alias/aws/")))).toBe(false);
    }
  });

  it("kmsKey: finds a key in the region asked, with one DescribeKey, refetches it by node id, and answers null for a key that does not exist", async () => {
    for (const region of REGIONS) {
      const seededKeys = seeded.keys[region]!;
      for (const key of [seededKeys[0]!, seededKeys.find((k) => k.keyState === "Disabled")!, seededKeys.find((k) => k.keyState === "PendingDeletion") ?? seededKeys[2]!]) {
        const answer = await gateway.query(
          `query($keyId: String!, $region: String) {
            found: kmsKey(keyId: $keyId, region: $region) { id accountId accountName region keyId keyArn description keyState keyManager keyUsage creationDate aliases } }`,
          { keyId: key.keyId, region },
        );
        const data = dataOf(answer);
        expect(asServed(data.found)).toEqual(await expectedKey(region, key.keyId));
        expect(answer.extensions!.aws.operations.DescribeKey).toBe(1);
        const node = dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { __typename id ... on KmsKey { region keyId keyState } } }`, { id: data.found.id }));
        expect(node.node).toEqual({ __typename: "KmsKey", id: data.found.id, region, keyId: key.keyId, keyState: key.keyState });
      }
      // DescribeKey says NotFoundException for both, in moto and in AWS
      const missing = dataOf(
        await gateway.query(
          `query($region: String) {
            missing: kmsKey(keyId: "0b1c2d3e-0000-4000-8000-000000000000", region: $region) { id }
            malformed: kmsKey(keyId: "not a key id", region: $region) { id } }`,
          { region },
        ),
      );
      expect(missing).toEqual({ missing: null, malformed: null });
    }
  });

  it("kmsKey: a key of one region is not found in another", async () => {
    const [key] = seeded.keys["eu-west-1"]!;
    const data = dataOf(await gateway.query(`query($keyId: String!) { kmsKey(keyId: $keyId, region: "us-east-1") { keyId } }`, { keyId: key!.keyId }));
    expect(data.kmsKey).toBeNull();
  });
});
