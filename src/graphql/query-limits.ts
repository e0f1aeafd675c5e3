// Refuses a query before execution when it is too deep, has too many aliases or tokens (graphql-armor),
// or would cost too many AWS calls or nodes in the worst case, from what each field says it costs
// (its `awsCost` extension: only this schema knows which fields call AWS and how they batch).
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { ErrorCode, GatewayError } from "../errors.js";
import { regionsReachable } from "../aws/regions.js";
import { awsCostOf } from "./aws-cost.js";

const stringList = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined);

/** How many accounts an `accounts` argument reaches: omitted, the default one. */
function accountsReachable(value: unknown, reach: AccountsReached): number {
  const names = stringList(value);
  return names?.length ? reach(names) : 1;
}

/** How many accounts some names reach (`*`, an OU), as far as is known without a call. */
export type AccountsReached = (names: readonly string[]) => number;

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxAwsCalls: number;
  maxNodes: number;
  defaultFirst: number;
  /** how many accounts an `accounts` argument reaches: `*` the gateway's own, the configured ones and the organization's */
  accountsReached: AccountsReached;
  /** the describe calls one page of a connection may make (MAX_AWS_CALLS_PER_PAGE) */
  maxAwsCallsPerPage: number;
}

export interface QueryCost {
  awsCalls: number;
  nodes: number;
  /** the most describe calls (list, then describe) that one page of a connection makes */
  detailCallsPerPage: number;
}

const tooCostly = (limit: string, max: number, value: number, message: string) =>
  new GatewayError(ErrorCode.QUERY_TOO_COSTLY, message, { limit, max, value });

/** graphql-armor's checks, their rejections turned into QUERY_TOO_COSTLY with the limit and the value found. */
export function armorPlugins(limits: QueryLimits): Plugin[] {
  const found = (message: string, fallback: number) => Number(/found (\d+)/.exec(message)?.[1] ?? fallback);
  return [
    maxDepthPlugin({
      n: limits.maxDepth,
      propagateOnRejection: false,
      onReject: [(_ctx, error) => { throw tooCostly("depth", limits.maxDepth, found(error.message, limits.maxDepth + 1), `The query is nested deeper than ${limits.maxDepth} levels.`); }],
    }),
    maxAliasesPlugin({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [(_ctx, error) => { throw tooCostly("aliases", limits.maxAliases, found(error.message, limits.maxAliases + 1), `The query uses more than ${limits.maxAliases} aliases.`); }],
    }),
    maxTokensPlugin({
      n: limits.maxTokens,
      propagateOnRejection: false,
      onReject: [() => { throw tooCostly("tokens", limits.maxTokens, limits.maxTokens + 1, `The query is longer than ${limits.maxTokens} tokens.`); }],
    }),
  ] as Plugin[];
}

/** The worst-case cost of an execution's operation, worked out once for a document and its cost variables. */
export type CostOf = (args: ExecutionArgs) => QueryCost;

export function queryCosts(limits: QueryLimits): CostOf {
  const costs = new CostCache();
  return (args) => {
    const operationName = args.operationName ?? undefined;
    const variables = args.variableValues ?? {};
    return costs.get(args.document, operationName, variables, () => estimateCost(args.schema, args.document, operationName, variables, limits.defaultFirst, limits.accountsReached));
  };
}

/** Refuses, before execution, a query whose worst-case AWS calls or nodes exceed the limits. */
export function awsCostPlugin(limits: QueryLimits, costOf: CostOf): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = costOf(args);
      const refusal =
        cost.awsCalls > limits.maxAwsCalls
          ? tooCostly("awsCalls", limits.maxAwsCalls, cost.awsCalls, `The query could cost ${cost.awsCalls} AWS calls, over the limit of ${limits.maxAwsCalls}; ask for smaller pages or fewer nested lists.`)
          : cost.nodes > limits.maxNodes
            ? tooCostly("nodes", limits.maxNodes, cost.nodes, `The query could return ${cost.nodes} nodes, over the limit of ${limits.maxNodes}; ask for smaller pages.`)
            : cost.detailCallsPerPage > limits.maxAwsCallsPerPage
              ? tooCostly(
                  "awsCallsPerPage",
                  limits.maxAwsCallsPerPage,
                  cost.detailCallsPerPage,
                  `A page of the query could need ${cost.detailCallsPerPage} describe calls for the fields it selects, over MAX_AWS_CALLS_PER_PAGE (${limits.maxAwsCallsPerPage}); ask for smaller pages.`,
                )
              : undefined;
      if (refusal) {
        refusal.extensions.cost = cost;
        setResultAndStopExecution({ errors: [refusal] });
      }
    },
  };
}

/**
 * Costs of documents already estimated (Yoga's parse cache hands out the same document for the same
 * query text), by operation and by the values of the variables that `first` and `ids` use: a client
 * walking a listing changes only `after`, so its every page costs one lookup.
 */
class CostCache {
  private readonly byDocument = new WeakMap<DocumentNode, { variables: string[]; costs: Map<string, QueryCost> }>();

  get(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>, estimate: () => QueryCost): QueryCost {
    let entry = this.byDocument.get(document);
    if (!entry) {
      entry = { variables: costVariables(document), costs: new Map() };
      this.byDocument.set(document, entry);
    }
    const key =
      entry.variables.length === 0 ? (operationName ?? "") : JSON.stringify([operationName ?? null, entry.variables.map((name) => (name in variables ? [variables[name]] : []))]);
    let cost = entry.costs.get(key);
    if (!cost) {
      cost = estimate();
      if (entry.costs.size >= 100) entry.costs.clear();
      entry.costs.set(key, cost);
    }
    return cost;
  }
}

/** The arguments a query's cost depends on. */
const COST_ARGUMENTS = new Set(["first", "last", "ids", "accounts", "regions"]);

/** The variables a document passes to the arguments its cost depends on. */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(argument) {
      if (!COST_ARGUMENTS.has(argument.name.value)) return;
      visit(argument.value, { Variable: (variable) => void names.add(variable.name.value) });
    },
  });
  return [...names];
}

/**
 * Worst-case cost the way GitHub's API counts it: a connection's `first` multiplies everything under
 * it. A field's `awsCost` says what it costs: a connection (`list`) at least one call per parent,
 * a batched lookup one call per so many ids for all parents together, a `perParent` field one call
 * per parent; a field that says nothing costs nothing.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  defaultFirst: number,
  accountsReached: AccountsReached = (names) => new Set(names).size,
): QueryCost {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const cost: QueryCost = { awsCalls: 0, nodes: 0, detailCallsPerPage: 0 };
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return cost;

  // Only `first`, `last` and `ids` count, read straight from the query: coercing every argument of every
  // field cost more than the rest of the estimate. Bad values fail in the resolver, before any AWS call.
  const variableValues: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableValues[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  Object.assign(variableValues, variables);
  const argumentValue = (node: FieldNode, name: string): unknown => {
    const argument = node.arguments?.find((a) => a.name.value === name);
    return argument && valueFromASTUntyped(argument.value, variableValues);
  };

  // `pageItems`: how many items the connection being walked has on a page, which its edges multiply;
  // `perPage`: how many of the parents one page of the nearest connection holds; `sources`: how
  // many sources (accounts and regions) the nearest connection reads.
  const walk = (selectionSet: SelectionSetNode | undefined, type: GraphQLCompositeType, parents: number, path: ReadonlySet<string>, pageItems = 1, perPage = 1, sources = 1) => {
    if (!selectionSet) return;
    // Fields that share one lookup (a node's detail fields) are charged once per selection; the
    // describe calls of all of a node's groups add up on each page.
    const charged = new Set<unknown>();
    let describedPerPage = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(selection.selectionSet, (condition ?? type) as GraphQLCompositeType, parents, path, pageItems, perPage, sources);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || path.has(fragment.name.value)) continue;
        const condition = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        walk(fragment.selectionSet, condition ?? type, parents, new Set([...path, fragment.name.value]), pageItems, perPage, sources);
        continue;
      }
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      const target = getNamedType(field.type);
      const group = field.extensions?.awsCostGroup;
      const awsCost = group !== undefined && charged.has(group) ? undefined : awsCostOf(field.extensions);
      if (group !== undefined) charged.add(group);
      let below = parents;
      let items = 1;
      let belowPerPage = perPage;
      let belowSources = 1;
      if (awsCost?.kind === "list") {
        // A page backward (`last`) re-reads at most the AWS pages a page forward of that size would.
        const first = Math.max(0, Number(argumentValue(selection, "first") ?? argumentValue(selection, "last") ?? defaultFirst) || 0);
        // Every source (account and region) the field can reach costs at least one call.
        const reached = accountsReachable(argumentValue(selection, "accounts"), accountsReached) * regionsReachable(stringList(argumentValue(selection, "regions")));
        cost.awsCalls += parents * Math.max(reached, Math.ceil(first / awsCost.itemsPerCall));
        belowSources = reached;
        cost.nodes += parents * first;
        items = first;
      } else if (awsCost?.kind === "lookup") {
        const ids = argumentValue(selection, "ids");
        const count = Array.isArray(ids) ? ids.length : 1;
        cost.awsCalls += Math.max(1, Math.ceil((parents * count) / awsCost.idsPerCall));
        below = parents * count;
        // a detail field (a scalar) returns no node
        if (isObjectType(target) || isInterfaceType(target) || isUnionType(target)) cost.nodes += below;
        if (group !== undefined) describedPerPage += Math.ceil((perPage * count) / awsCost.idsPerCall);
      } else if (awsCost?.kind === "perParent") {
        cost.awsCalls += parents;
      } else if (awsCost?.kind === "edges") {
        below = parents * pageItems;
        belowPerPage = pageItems;
      } else if (awsCost?.kind === "count") {
        // a count reads each source it reaches: priced at one call each, checked as it runs
        cost.awsCalls += parents * sources;
      }
      if (isObjectType(target) || isInterfaceType(target) || isUnionType(target)) walk(selection.selectionSet, target, below, path, items, belowPerPage, belowSources);
    }
    cost.detailCallsPerPage = Math.max(cost.detailCallsPerPage, describedPerPage);
  };
  walk(operation.selectionSet, root, 1, new Set());
  return cost;
}
