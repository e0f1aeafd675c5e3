// KMS keys: ListKeys (Marker -> NextMarker while Truncated, Limit 1..1000) gives ids and ARNs only;
// DescribeKey, one key a call (KMS has no batch describe), only when a selected field needs it.
// `aliases` comes from ListAliases, never DescribeKey: the whole region's list, read once per
// account and region per request, for a page of keys; ListAliases { KeyId } for a key alone.
import type { AliasListEntry, KeyMetadata, ListAliasesCommandOutput } from "@aws-sdk/client-kms";
import { afterType } from "../../graphql/kit/arns.js";
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import type { RequestAws } from "../../aws/clients.js";
import { ErrorCode, isGatewayError } from "../../errors.js";
import { listSource, tokens, type ListOperation, type PageInput } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { lookupCost } from "../../graphql/aws-cost.js";
import { builder } from "../../graphql/builder.js";
import { contractErrorOf } from "../../graphql/contract-errors.js";
import { resource } from "../../graphql/kit/resource.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import { readAll } from "../../pagination/engine.js";
import { ListingTooLongError } from "../../pagination/errors.js";

/** A key id: a UUID, or `mrk-` and 32 hex digits for a multi-Region key (moto keeps the UUID's dashes there). */
const KEY_ID = /^(?:mrk-)?(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const KmsKey = resource({
  name: "KmsKey",
  scope: "regional",
  list: {
    service: "kms",
    command: (input) => namedCommand("kms", "ListKeysCommand", input),
    tokens: tokens.truncated("Marker", "NextMarker", "Truncated"),
    pageSize: { member: "Limit", min: 1, max: 1000 },
    items: (out) => out.Keys,
  },
  query: { list: "kmsKeys", single: "kmsKey" },
  id: { field: "keyId", pattern: KEY_ID },
  fields: (f) => ({
    keyId: f.requiredString((k) => k.KeyId ?? ""),
    keyArn: f.string((k) => k.KeyArn),
  }),
  detail: {
    idsPerCall: 1,
    // NotFoundException (a missing key, or one of another region) is NOT_FOUND: null
    describe: async ([keyId], send): Promise<KeyMetadata[]> => {
      const meta = (await send(namedCommand("kms", "DescribeKeyCommand", { KeyId: keyId }))).KeyMetadata;
      return meta ? [meta] : [];
    },
    id: (meta) => meta.KeyId,
    item: (meta) => ({ KeyId: meta.KeyId, KeyArn: meta.Arn }),
    fields: (f) => ({
      description: f.string((m) => m.Description),
      keyState: f.string((m) => m.KeyState, "Enabled, Disabled, PendingDeletion, PendingImport, PendingReplicaDeletion, Unavailable, Creating or Updating"),
      keyManager: f.string((m) => m.KeyManager, "CUSTOMER or AWS"),
      keyUsage: f.string((m) => m.KeyUsage, "ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC or KEY_AGREEMENT"),
      keySpec: f.string((m) => m.KeySpec),
      creationDate: f.date((m) => m.CreationDate),
      enabled: f.boolean((m) => m.Enabled),
      multiRegion: f.boolean((m) => m.MultiRegion),
      deletionDate: f.date((m) => m.DeletionDate, "when a key pending deletion goes"),
    }),
  },
  arn: { type: "kms:key", id: afterType, of: { field: "keyArn" } },
});

// ---- aliases ----

/** ListAliases: Marker -> NextMarker while Truncated, Limit 1..100. */
const LIST_ALIASES: ListOperation<ListAliasesCommandOutput, AliasListEntry> = {
  service: "kms",
  command: (input) => namedCommand("kms", "ListAliasesCommand", input),
  tokens: tokens.truncated("Marker", "NextMarker", "Truncated"),
  pageSize: { member: "Limit", min: 1, max: 100 },
  items: (out) => out.Aliases,
};

type AliasModel = {
  name: string;
  /** null for AWS's predefined aliases that point at no key yet */
  target: string | null;
};
const aliasModel = (alias: AliasListEntry): AliasModel => ({ name: alias.AliasName ?? "", target: alias.TargetKeyId ?? null });

const listAliases = (aws: RequestAws, region: string, input: PageInput, maxCalls: number) => readAll(listSource(aws, region, LIST_ALIASES, aliasModel, input), maxCalls);

/** `aliases` for P keys costs at most P + floor(P / 2) calls: priced as a lookup of 2/3 of a key a call. */
const ALIAS_KEYS_PER_CALL = 2 / 3;

interface KeyPlace {
  account: string;
  region: string;
  keyId: string;
}

/** The names of one key's aliases: ListAliases { KeyId }, one page unless AWS raises its 50-a-key quota. */
async function aliasesOfKey(ctx: ResourceContext, { account, region, keyId }: KeyPlace): Promise<string[]> {
  try {
    return (await listAliases(ctx.aws.forAccount(account), region, { KeyId: keyId }, ctx.paging.maxAwsCallsPerPage)).map((alias) => alias.name);
  } catch (error) {
    // the key went away since it was listed: it has no aliases
    if (isGatewayError(error, ErrorCode.NOT_FOUND)) return [];
    throw error;
  }
}

/**
 * The region's aliases by target key, or undefined when the walk did not end within `maxCalls`
 * (then the keys are asked one by one, which the query's cost priced). AWS's predefined aliases
 * with no target are left out, and so, by being asked by key id, are aliases of keys ListKeys does
 * not list (moto's reserved `alias/aws/*`).
 */
async function aliasesOfRegion(aws: RequestAws, region: string, maxCalls: number): Promise<Map<string, string[]> | undefined> {
  let all: AliasModel[];
  try {
    all = await listAliases(aws, region, {}, maxCalls);
  } catch (error) {
    if (error instanceof ListingTooLongError) return undefined;
    throw error;
  }
  const byKey = new Map<string, string[]>();
  for (const { name, target } of all) {
    if (target === null) continue;
    const names = byKey.get(target);
    if (names) names.push(name);
    else byKey.set(target, [name]);
  }
  return byKey;
}

/**
 * The request's aliases loader. A batch holds the keys of a page (or of several); per account and
 * region, one key alone is asked with ListAliases { KeyId } (one call), several with the region's
 * whole ListAliases, read once per request (usually one call for the page), while it takes at most
 * half as many calls as there are keys: past that, each key is asked. So P keys cost at most
 * P + floor(P / 2) calls, which is what the field is priced at before execution.
 */
const aliasLoader = createContextCache((ctx: ResourceContext) => {
  const regions = new Map<string, Promise<Map<string, string[]> | undefined>>();
  const regionWide = (account: string, region: string, keys: number) => {
    const at = `${account}\u0000${region}`;
    let read = regions.get(at);
    if (!read) {
      read = aliasesOfRegion(ctx.aws.forAccount(account), region, Math.max(1, Math.min(Math.floor(keys / 2), ctx.paging.maxAwsCallsPerPage)));
      regions.set(at, read);
    }
    return read;
  };
  return new DataLoader<KeyPlace, string[], string>(
    async (places) => {
      const groups = new Map<string, KeyPlace[]>();
      for (const place of places) {
        const at = `${place.account}\u0000${place.region}`;
        const group = groups.get(at);
        if (group) group.push(place);
        else groups.set(at, [place]);
      }
      const answers = new Map<KeyPlace, string[] | Error>();
      await Promise.all(
        [...groups.entries()].map(async ([at, group]) => {
          const { account, region } = group[0]!;
          const perKey = () =>
            Promise.all(
              group.map(async (place) => {
                try {
                  answers.set(place, await aliasesOfKey(ctx, place));
                } catch (error) {
                  answers.set(place, contractErrorOf(error instanceof Error ? error : new Error(String(error))));
                }
              }),
            );
          // A key alone costs one call either way; the region's list, once read, serves every later batch.
          if (group.length === 1 && !regions.has(at)) return perKey();
          let byKey: Map<string, string[]> | undefined;
          try {
            byKey = await regionWide(account, region, group.length);
          } catch (error) {
            const failed = contractErrorOf(error instanceof Error ? error : new Error(String(error)));
            for (const place of group) answers.set(place, failed);
            return;
          }
          if (!byKey) return perKey();
          for (const place of group) answers.set(place, byKey.get(place.keyId) ?? []);
        }),
      );
      return places.map((place) => answers.get(place)!);
    },
    { cacheKeyFn: ({ account, region, keyId }) => JSON.stringify([account, region, keyId]) },
  );
});

builder.objectFields(KmsKey.ref, (t) => ({
  aliases: t.stringList({
    nullable: true,
    description: "the names of the aliases that point at the key (`alias/...`), in no fixed order",
    // Priced at the most it costs, 1.5 ListAliases a key (a key's own call, and the region's list
    // cut off at half as many calls as keys); usually one call serves the whole page.
    extensions: { ...lookupCost(ALIAS_KEYS_PER_CALL), awsCostGroup: "KmsKey.aliases" },
    resolve: (key, _args, ctx) => aliasLoader(ctx).load({ account: key.account, region: key.region ?? ctx.aws.defaultRegion, keyId: key.keyId }),
  }),
}));
