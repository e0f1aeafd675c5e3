// What the IAM resources share: Marker/IsTruncated paging, path prefixes, names.
import type { MetadataBearer } from "@smithy/types";
import type { AwsCommand } from "../../aws/clients.js";
import { awsListSource } from "../../aws/list-source.js";
import type { GatewayContext } from "../../context.js";
import { badInput, ErrorCode, GatewayError } from "../../errors.js";
import type { PagedSource } from "../../pagination/source.js";

interface IamPage extends MetadataBearer {
  IsTruncated?: boolean;
  Marker?: string;
}

/**
 * An IAM list operation (Marker, MaxItems 1..1000). "More pages" is IsTruncated, never the presence
 * of a marker; a truncated page without a marker cannot be continued, and saying so beats
 * silently ending the listing.
 */
export function iamListSource<Output extends IamPage, Item>(
  ctx: GatewayContext,
  command: (marker: string | undefined, maxItems: number) => AwsCommand<Output>,
  items: (out: Output) => Item[],
): PagedSource<Item> {
  return awsListSource(ctx.aws, {
    service: "iam",
    region: ctx.aws.defaultRegion,
    minPageSize: 1,
    maxPageSize: 1000,
    command,
    items,
    nextToken: (out) => {
      if (!out.IsTruncated) return undefined;
      if (!out.Marker) {
        throw new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, "IAM said the listing goes on but gave no marker to continue from.", {
          reason: "TRUNCATED_WITHOUT_MARKER",
        });
      }
      return out.Marker;
    },
  });
}

/** IAM path prefixes start and end with "/"; the default lists everything. */
export function pathPrefix(prefix: string | null | undefined): string {
  if (prefix === null || prefix === undefined) return "/";
  if (!/^\/([\x21-\x7e]*\/)?$/.test(prefix) || prefix.length > 512) {
    throw badInput('`pathPrefix` must start and end with "/" (for example "/engineering/"), in 512 characters or fewer.', { argument: "pathPrefix" });
  }
  return prefix;
}

export const IAM_NAME = /^[\w+=,.@-]{1,128}$/;

export const iso = (date: Date | undefined) => date?.toISOString();

/** IAM returns policy documents URL-encoded. */
export const policyDocument = (encoded: string | undefined) => (encoded === undefined ? undefined : decodeURIComponent(encoded));
