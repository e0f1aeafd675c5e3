// What the EC2 resources share: regional keys, tags, Filters, id-batched loaders, connection fields.
import type { Filter, Tag as AwsTag } from "@aws-sdk/client-ec2";
import type { RequestAws } from "../../aws/clients.js";
import type { GatewayContext } from "../../context.js";
import { badInput } from "../../errors.js";
import type { TagModel } from "../../graphql/builder.js";
import { resolveConnection, type ConnectionArgs } from "../../graphql/connection.js";
import { readAll } from "../../pagination/engine.js";
import type { PagedSource } from "../../pagination/source.js";

/** EC2 ids are unique within a region only: keys and node ids carry both. */
export const regionalKey = (region: string, id: string) => `${region}/${id}`;

export function splitRegionalKey(key: string): { region: string; id: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { region: "", id: key } : { region: key.slice(0, slash), id: key.slice(slash + 1) };
}

export const ec2Tags = (tags: AwsTag[] | undefined): TagModel[] =>
  (tags ?? []).map((tag) => ({ key: tag.Key ?? "", value: tag.Value ?? "" }));

export type Ec2SourceFactory<Model> = (aws: RequestAws, region: string, filters: Filter[]) => PagedSource<Model>;

export interface TagFilterInput {
  key: string;
  values: string[];
}

/**
 * EC2 Filters from named value lists and tag filters, checked against EC2's limits and sorted, so
 * that the same filter always gives the same cursor fingerprint.
 */
export function ec2Filters(named: Record<string, readonly string[] | null | undefined>, tags?: readonly TagFilterInput[] | null): Filter[] {
  const filters: Filter[] = [];
  const add = (name: string, values: readonly string[] | null | undefined) => {
    if (values === null || values === undefined) return;
    if (values.length === 0 || values.length > 200 || values.some((v) => v.length === 0 || v.length > 256)) {
      throw badInput(`Filter "${name}" takes 1 to 200 values of 1 to 256 characters.`, { argument: "filter" });
    }
    filters.push({ Name: name, Values: [...new Set(values)].sort() });
  };
  for (const [name, values] of Object.entries(named)) add(name, values);
  for (const tag of tags ?? []) {
    if (tag.key.length === 0 || tag.key.length > 128) throw badInput("A tag filter's key takes 1 to 128 characters.", { argument: "filter" });
    add(`tag:${tag.key}`, tag.values);
  }
  if (filters.length > 50) throw badInput("At most 50 filters.", { argument: "filter" });
  return filters.sort((a, b) => (a.Name! < b.Name! ? -1 : a.Name! > b.Name! ? 1 : 0));
}

/**
 * The values `pick` finds in an optional AWS list, the absent ones left out. A loop, not flatMap:
 * this runs for every item of every page, and flatMap made mapping a page five times slower.
 */
export function presentValues<T>(list: readonly T[] | undefined, pick: (item: T) => string | undefined): string[] {
  const values: string[] = [];
  for (const item of list ?? []) {
    const value = pick(item);
    if (value) values.push(value);
  }
  return values;
}

/** One value as a filter list (EC2 writes booleans as "true"/"false"), or nothing when the argument is absent. */
export const one = (value: string | boolean | null | undefined) => (value === null || value === undefined ? undefined : [String(value)]);

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const IDS_PER_FILTER = 200;

/**
 * A DataLoader batch function over `region/id` keys: one Describe call per region and 200 ids,
 * null where nothing has that id. Filters, not the Ids parameter: one unknown id would fail a whole
 * batch with *.NotFound.
 */
export function regionalLoader<Model>(spec: {
  filterName: string;
  idPattern: RegExp;
  source: Ec2SourceFactory<Model>;
  idOf: (model: Model) => string;
}) {
  return async (keys: readonly string[], ctx: GatewayContext): Promise<(Model | null)[]> => {
    const found = new Map<string, Model>();
    const byRegion = new Map<string, Set<string>>();
    for (const key of keys) {
      const { region, id } = splitRegionalKey(key);
      if (region && spec.idPattern.test(id)) byRegion.set(region, (byRegion.get(region) ?? new Set()).add(id));
    }
    await Promise.all(
      [...byRegion].flatMap(([region, ids]) =>
        chunk([...ids], IDS_PER_FILTER).map(async (batch) => {
          const source = spec.source(ctx.aws, ctx.aws.region(region), [{ Name: spec.filterName, Values: batch }]);
          for (const model of await readAll(source, ctx.config.MAX_AWS_CALLS_PER_PAGE)) found.set(regionalKey(region, spec.idOf(model)), model);
        }),
      ),
    );
    return keys.map((key) => found.get(key) ?? null);
  };
}

/** Resolves a regional EC2 connection: the region and Filters name the listing. */
export function resolveEc2Connection<Model>(
  ctx: GatewayContext,
  listing: { field: string; parentId?: string; region: string | null | undefined; filters: Filter[] },
  args: ConnectionArgs,
  source: Ec2SourceFactory<Model>,
) {
  const region = ctx.aws.region(listing.region);
  return resolveConnection(ctx, { field: listing.field, parentId: listing.parentId, args: { region, filters: listing.filters } }, args, () =>
    source(ctx.aws, region, listing.filters),
  );
}
