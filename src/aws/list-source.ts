// A PagedSource over one AWS list operation, declared by its command, items and next token.
import type { MetadataBearer } from "@smithy/types";
import type { JsonSafe, PagedSource } from "../pagination/source.js";
import type { AwsCommand, RequestAws, Service } from "./clients.js";

export interface AwsListOperation<Output extends MetadataBearer, Item> {
  service: Service;
  region: string;
  minPageSize: number;
  maxPageSize: number;
  /** the command for one page; `token` is undefined on the first */
  command(token: string | undefined, pageSize: number): AwsCommand<Output>;
  items(output: Output): Item[];
  /** the next page's token, only when the service says there is a next page */
  nextToken(output: Output): string | undefined;
}

export function awsListSource<Output extends MetadataBearer, Item extends JsonSafe>(
  aws: RequestAws,
  operation: AwsListOperation<Output, Item>,
): PagedSource<Item> {
  return {
    minPageSize: operation.minPageSize,
    maxPageSize: operation.maxPageSize,
    async fetchPage(token, pageSize) {
      const { output, fetchedAt } = await aws.answer(operation.service, operation.region, operation.command(token, pageSize), token !== undefined);
      const nextToken = operation.nextToken(output);
      return { items: operation.items(output), nextToken: nextToken === "" ? undefined : nextToken, fetchedAt };
    },
  };
}
