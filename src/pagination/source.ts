// PagedSource: how one AWS list operation pages, reduced to a token and a page size.

/** One AWS page: its items in AWS order, and the token of the next page when AWS says there is one. */
export interface SourcePage<Item> {
  items: Item[];
  nextToken?: string;
}

/**
 * One AWS list operation. `NextToken`, `Marker` and `ContinuationToken` all become `token`;
 * `MaxResults`, `MaxItems` and `MaxKeys` all become `pageSize`, always within min..max.
 */
export interface PagedSource<Item> {
  readonly minPageSize: number;
  readonly maxPageSize: number;
  fetchPage(token: string | undefined, pageSize: number): Promise<SourcePage<Item>>;
}
