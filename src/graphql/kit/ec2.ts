// The EC2 preset of the declaration kit: a regional Describe call with Filters, MaxResults and
// NextToken (or none, for calls AWS does not page), ids looked up 200 at a time by a filter or an
// ids parameter, a filter input in EC2's filter language, and links `under` an EC2 filter.
import type { MetadataBearer } from "@smithy/types";
import type { AwsCommand } from "../../aws/clients.js";
import { filterKit, filtersOf, type FilterFields, type FilterKit } from "../../aws/ec2-filters.js";
import { ec2Paging, type PageInput } from "../../aws/list-operation.js";
import { IDS_PER_LOOKUP } from "../../aws/lookups.js";
import { TagFilter } from "../builder.js";
import type { FieldKit, FieldSpecs, ModelOf } from "./fields.js";
import { afterType } from "./arns.js";
import { links, resource, unpaged, type DeclaredResource, type InputFieldBuilder, type Link, type LinkKit, type Placed, type Resource } from "./resource.js";

/** Every EC2 model knows its account and region. */
export type Regional = Placed & { region: string };

/** The items of nested AWS lists, flattened with loops (EC2 instances come in reservations). */
export function flatten<Outer, Inner>(outer: readonly Outer[] | undefined, inner: (item: Outer) => readonly Inner[] | undefined): Inner[] {
  const items: Inner[] = [];
  for (const item of outer ?? []) for (const value of inner(item) ?? []) items.push(value);
  return items;
}

function filterInputFields(t: InputFieldBuilder, fields: FilterFields) {
  return Object.fromEntries(
    Object.entries(fields).map(([argument, field]) => [
      argument,
      field.kind === "values" ? t.stringList({ description: field.description })
      : field.kind === "value" ? t.string({ description: field.description })
      : field.kind === "flag" ? t.boolean({ description: field.description })
      : t.field({ type: [TagFilter], description: field.description }),
    ]),
  );
}

export interface Ec2ResourceSpec<Output extends MetadataBearer, Item, Fields extends FieldSpecs<Item>> {
  /** the GraphQL type, e.g. "Ec2NatGateway" */
  name: string;
  /** the connection field on Query, e.g. "ec2NatGateways" */
  listField: string;
  /** the single-item field on Query, e.g. "ec2NatGateway", taking the id field as its argument */
  singleField: string;
  /** the Describe command for one page: the kit's Filters, token and size go into its input */
  request: (page: PageInput) => AwsCommand<Output>;
  /** MaxResults' limits, or "unpaged" for a call that answers everything at once */
  pageSize: { min: number; max: number } | "unpaged";
  items: (output: Output) => readonly Item[] | undefined;
  id: {
    /** the field holding the AWS id, also the single-item field's argument */
    field: keyof Fields & string;
    /** what an id looks like; anything else is null without a call */
    pattern: RegExp;
    /** how a batch of ids is looked up: by this EC2 filter, or by the command's ids parameter (asked unpaged) */
    lookup: { filter: string } | { idsMember: string };
  };
  fields: (f: FieldKit<Item>) => Fields;
  /** the filter input's fields, pushed down as EC2 Filters */
  filter?: (f: FilterKit) => FilterFields;
  /** arguments of the list field itself that are filters too (`ec2Subnets(vpcId:)`) */
  listArguments?: (f: FilterKit) => FilterFields;
  /** the resource type of its ARN (arn:aws:ec2:region:account:instance/i-0abc), and whether the ARN leaves the account out (images, snapshots) */
  arn?: { type: string; withoutAccount?: boolean; idField?: keyof Fields & string };
}

export type Ec2Resource<Model extends Regional, Item = unknown> = DeclaredResource<Model, Item>;

export function ec2Resource<Output extends MetadataBearer, Item, Fields extends FieldSpecs<Item>>(
  spec: Ec2ResourceSpec<Output, Item, Fields>,
): DeclaredResource<ModelOf<Fields> & Regional, Item> {
  const filterFields = spec.filter?.(filterKit) ?? {};
  const listArguments = spec.listArguments?.(filterKit) ?? {};
  const allFilters = { ...filterFields, ...listArguments };
  const lookup = spec.id.lookup;
  const declared = resource({
    name: spec.name,
    scope: "regional",
    list: { service: "ec2", command: spec.request, items: spec.items, ...(spec.pageSize === "unpaged" ? unpaged : ec2Paging(spec.pageSize)) },
    query: { list: spec.listField, single: spec.singleField },
    id: {
      field: spec.id.field,
      pattern: spec.id.pattern,
      // With an ids parameter one unknown id fails the whole call (`*.NotFound`); a filter just leaves it out.
      lookup:
        "filter" in lookup
          ? { input: (ids) => ({ Filters: [{ Name: lookup.filter, Values: ids }] }), idsPerCall: IDS_PER_LOOKUP }
          : { input: (ids) => ({ [lookup.idsMember]: ids }), idsPerCall: IDS_PER_LOOKUP, unpaged: true },
    },
    fields: spec.fields,
    arn: spec.arn && {
      type: `ec2:${spec.arn.type}`,
      // an ARN that names another id than the node's (a key pair's key-0123, not its name) finds no node
      id: (arn) => (spec.arn!.idField === undefined ? afterType(arn) : undefined),
      of: { build: (model, accountId) => `arn:aws:ec2:${model.region ?? ""}:${spec.arn!.withoutAccount ? "" : accountId}:${spec.arn!.type}/${String(model[spec.arn!.idField ?? spec.id.field] ?? "")}` },
    },
    filters: {
      fields: spec.filter && ((t) => filterInputFields(t, filterFields)),
      arguments: spec.listArguments && ((t) => filterInputFields(t, listArguments)),
      input: ({ filter, args, parent }) => {
        const filters = filtersOf(allFilters, { ...filter, ...args }, parent?.Filters);
        return filters.length ? { Filters: filters } : {};
      },
    },
  });
  // Regional by declaration: every model carries its region.
  return declared as DeclaredResource<ModelOf<Fields> & Regional, Item>;
}

/** The EC2 links: the kit's, and `under`, a connection over what lists this model under an EC2 filter. */
function ec2LinkKit<Model extends Regional>(l: LinkKit<Model>) {
  return {
    ...l,
    /** a connection over what lists this model under the EC2 filter `filterName` (an instance's VPC: `vpc-id`) */
    under: <Target extends Regional>(target: () => Resource<Target>, filterName: string, parentId: (model: Model) => string, description?: string): Link<Model> =>
      l.children(target, (model) => ({ Filters: [{ Name: filterName, Values: [parentId(model)] }] }), description),
  };
}

export function ec2Links<Model extends Regional>(resource: Resource<Model>, declare: (l: ReturnType<typeof ec2LinkKit<Model>>) => Record<string, Link<Model>>): void {
  links(resource, (l) => declare(ec2LinkKit(l)));
}
