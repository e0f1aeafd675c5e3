// The organization's accounts (AWS_ORGANIZATION_ROLE), ACTIVE and SUSPENDED alike, in ListAccounts
// order, from the tree the gateway remembers (src/aws/organization.ts), below `parent` at any depth.
// A position names the account it follows, so a page read after the tree is read again goes on
// after that same account.
import { isParentId, NotAnAccountError } from "../../aws/accounts.js";
import type { Organization, OrganizationAccount, OrganizationTree } from "../../aws/organization.js";
import { badInput } from "../../errors.js";
import { listCost } from "../../graphql/aws-cost.js";
import { builder, pagingArgs } from "../../graphql/builder.js";
import { resolveConnection } from "../../graphql/connection.js";
import { connectionType } from "../../graphql/kit/node.js";
import { forbidden } from "../../graphql/policy.js";
import type { ResourceContext } from "../../graphql/resource-context.js";
import type { PagedSource } from "../../pagination/source.js";

/** ListAccounts' largest page, for the cost estimate: the tree itself is read once in a while. */
const ACCOUNTS_PER_CALL = 20;

const OrganizationAccountRef = builder.objectRef<OrganizationAccount>("OrganizationAccount").implement({
  description: "an account of the organization, as AWS Organizations lists it",
  fields: (t) => ({
    accountId: t.exposeString("accountId"),
    name: t.exposeString("name"),
    email: t.exposeString("email", { nullable: true }),
    status: t.exposeString("status", { description: "ACTIVE, SUSPENDED or PENDING_CLOSURE; only ACTIVE accounts are read" }),
    joinedTimestamp: t.exposeString("joinedTimestamp", { nullable: true, description: "ISO-8601: when it joined the organization" }),
    parentId: t.exposeString("parentId", { nullable: true, description: "the root or organizational unit directly above it" }),
  }),
});

const OrganizationAccountConnection = connectionType(OrganizationAccountRef, "OrganizationAccountConnection");

/** Where a page goes on: after this account, or at this index when the account is gone. */
type Position = { after: string; index: number };

/** The accounts a caller may see: its policy must allow the organizations service in that account. */
async function visibleAccounts(ctx: ResourceContext, tree: OrganizationTree, parent: string | undefined): Promise<OrganizationAccount[]> {
  const below = parent === undefined ? undefined : new Set(tree.below.get(parent));
  const accounts = below ? tree.accounts.filter((a) => below.has(a.accountId)) : [...tree.accounts];
  if (!ctx.scope.limited) return accounts;
  const names = await ctx.accounts.namesOf(accounts.map((a) => a.accountId), ctx.aws);
  const allowed = await Promise.all(names.map((account) => ctx.scope.allows("organizations", account, undefined)));
  const visible = accounts.filter((_, i) => allowed[i]);
  if (parent !== undefined && accounts.length > 0 && visible.length === 0) throw forbidden(`the accounts below "${parent}" for organizations`);
  return visible;
}

function accountsSource(ctx: ResourceContext, organization: Organization, parent: string | undefined): PagedSource<OrganizationAccount> {
  return {
    minPageSize: 1,
    maxPageSize: 1000,
    async fetchPage(token, pageSize) {
      const tree = await organization.tree(ctx.aws);
      const accounts = await visibleAccounts(ctx, tree, parent);
      let start = 0;
      if (token !== undefined) {
        const { after, index } = JSON.parse(token) as Position;
        const found = accounts.findIndex((a) => a.accountId === after);
        start = found >= 0 ? found + 1 : Math.min(index, accounts.length);
      }
      const items = accounts.slice(start, start + pageSize);
      const end = start + items.length;
      const nextToken = end < accounts.length ? JSON.stringify({ after: items.at(-1)!.accountId, index: end } satisfies Position) : undefined;
      return { items, nextToken, fetchedAt: tree.readAt };
    },
  };
}

builder.queryField("organizationAccounts", (t) =>
  t.field({
    type: OrganizationAccountConnection,
    description: "the organization's accounts, ACTIVE and SUSPENDED, in ListAccounts order (needs AWS_ORGANIZATION_ROLE); `parent`: only those below that OU or root, at any depth",
    extensions: listCost(ACCOUNTS_PER_CALL),
    args: { parent: t.arg.string({ description: "an organizational unit (ou-...) or root (r-...) id" }), ...pagingArgs(t.arg) },
    resolve: async (_root, args, ctx) => {
      const organization = ctx.accounts.organization;
      if (!organization) throw badInput("organizationAccounts needs the gateway to read an organization: set AWS_ORGANIZATION_ROLE.", { argument: "parent" });
      ctx.scope.checkService("organizations");
      const parent = args.parent ?? undefined;
      if (parent !== undefined && !isParentId(parent)) throw badInput(`\`parent\` takes an organizational unit (ou-...) or root (r-...) id, not "${parent.slice(0, 64)}".`, { argument: "parent" });
      if (parent !== undefined) {
        // before any page is read: an unknown parent, or one with nothing inside the caller's scope
        const tree = await ctx.scope.naming(async () => {
          const read = await organization.tree(ctx.aws);
          if (!read.below.has(parent)) throw new NotAnAccountError(`"${parent}" is not an organizational unit or root of the organization.`, "parent");
          return read;
        });
        await visibleAccounts(ctx, tree, parent);
      }
      return resolveConnection(ctx, { field: "Query.organizationAccounts", args: { parent: parent ?? null } }, args, () => accountsSource(ctx, organization, parent));
    },
  }),
);
