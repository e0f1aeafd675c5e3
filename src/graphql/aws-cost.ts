// What a field costs in AWS calls, carried in the field's own `extensions` so the query-cost walk
// reads it from the schema (GitHub-style: a connection's `first` multiplies everything under it).

export type AwsCost =
  /** a connection: per parent, ceil(first / itemsPerCall) list calls and `first` nodes */
  | { kind: "list"; itemsPerCall: number }
  /** batched lookups: ceil(parents × ids / idsPerCall) calls for all parents together */
  | { kind: "lookup"; idsPerCall: number }
  /** one call for every parent object (no batch API behind the field) */
  | { kind: "perParent" }
  /** a connection's edges: what is under them counts once per item of the connection's page */
  | { kind: "edges" }
  /** a connection's totalCount: as many calls as counting may make (MAX_COUNT_AWS_CALLS) */
  | { kind: "count" };

export const AWS_COST = "awsCost";

export const listCost = (itemsPerCall: number) => ({ [AWS_COST]: { kind: "list", itemsPerCall } satisfies AwsCost });
export const lookupCost = (idsPerCall: number) => ({ [AWS_COST]: { kind: "lookup", idsPerCall } satisfies AwsCost });
export const perParentCost = () => ({ [AWS_COST]: { kind: "perParent" } satisfies AwsCost });
export const edgesCost = () => ({ [AWS_COST]: { kind: "edges" } satisfies AwsCost });
export const countCost = () => ({ [AWS_COST]: { kind: "count" } satisfies AwsCost });

export function awsCostOf(extensions: Readonly<Record<string, unknown>> | null | undefined): AwsCost | undefined {
  return extensions?.[AWS_COST] as AwsCost | undefined;
}
