// EC2's filter language: a filter input's fields as EC2 Filters, checked against EC2's limits and
// sorted, with a back-link's own filter kept as its parent sets it.
import type { Filter } from "@aws-sdk/client-ec2";
import { badInput } from "../errors.js";

export type FilterField =
  | { kind: "values" | "value" | "flag"; name: string; description?: string }
  | { kind: "tags"; description?: string };
export type FilterFields = Record<string, FilterField>;

/** How a filter input's fields become EC2 Filters. */
export const filterKit = {
  /** [String!]: any of these values of the EC2 filter `name` */
  values: (name: string, description?: string): FilterField => ({ kind: "values", name, description }),
  /** String: this one value */
  value: (name: string, description?: string): FilterField => ({ kind: "value", name, description }),
  /** Boolean, which EC2 writes "true"/"false" */
  flag: (name: string, description?: string): FilterField => ({ kind: "flag", name, description }),
  /** [TagFilter!]: tag:Key = any of values */
  tags: (description = "tag:Key = any of values, pushed down to AWS"): FilterField => ({ kind: "tags", description }),
};
export type FilterKit = typeof filterKit;

export interface TagFilterInput {
  key: string;
  values: readonly string[];
}

/**
 * EC2 Filters from named value lists and tag filters, checked against EC2's limits and sorted, so
 * that the same filter always gives the same cursor fingerprint.
 */
function ec2Filters(named: Record<string, readonly string[] | null | undefined>, tags?: readonly TagFilterInput[] | null): Filter[] {
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
 * The EC2 Filters an input object asks for, by its declared fields, with a back-link's own filter
 * (an instance's VPC: `vpc-id`) kept as the parent sets it: the input may repeat it, not change it,
 * or the listing would reach past its parent.
 */
export function filtersOf(fields: FilterFields, input: Readonly<Record<string, unknown>> | null | undefined, parent: Filter[] = []): Filter[] {
  const named: Record<string, readonly string[] | undefined> = {};
  let tags: readonly TagFilterInput[] | undefined;
  for (const [argument, field] of Object.entries(fields)) {
    const value = input?.[argument];
    if (value === null || value === undefined) continue;
    if (field.kind === "tags") tags = value as TagFilterInput[];
    else named[field.name] = field.kind === "values" ? (value as string[]) : [String(value)];
  }
  for (const { Name, Values = [] } of parent) {
    const asked = named[Name!];
    if (asked !== undefined && (asked.length !== Values.length || asked.some((v) => !Values.includes(v)))) {
      throw badInput(`This connection lists what is under its parent, which sets the filter "${Name}"; leave it out.`, { argument: "filter" });
    }
    named[Name!] = Values;
  }
  return ec2Filters(named, tags);
}
