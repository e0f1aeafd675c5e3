// ECR repositories: DescribeRepositories (nextToken, maxResults 1..1000); looked up by name with
// DescribeRepositories { repositoryNames } (100 a call, no maxResults/nextToken beside them). A
// batch naming one missing repository fails whole (RepositoryNotFoundException): the lookup asks
// again one name at a time, so the others still resolve.
import type { DescribeRepositoriesCommandInput } from "@aws-sdk/client-ecr";
import { afterType } from "../../graphql/kit/arns.js";
import { tokens, type PageInput } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { resource } from "../../graphql/kit/resource.js";

/** A repository name: lower-case segments joined by `.`, `_`, `__` or dashes, namespaced by `/`, 2..256 characters. */
const SEGMENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
export const REPOSITORY_NAME = new RegExp(`^(?=.{2,256}$)${SEGMENT}(?:/${SEGMENT})*$`);

/** maxResults and nextToken cannot go with repositoryNames (AWS refuses the call): a lookup sends the names alone. */
const describeRepositories = (input: PageInput): DescribeRepositoriesCommandInput =>
  input.repositoryNames ? { repositoryNames: input.repositoryNames } : input;

export const EcrRepository = resource({
  name: "EcrRepository",
  scope: "regional",
  list: {
    service: "ecr",
    command: (input) => namedCommand("ecr", "DescribeRepositoriesCommand", describeRepositories(input)),
    tokens: tokens.field("nextToken"),
    pageSize: { member: "maxResults", min: 1, max: 1000 },
    items: (out) => out.repositories,
  },
  query: { list: "ecrRepositories", single: "ecrRepository" },
  id: {
    field: "repositoryName",
    pattern: REPOSITORY_NAME,
    lookup: { input: (names) => ({ repositoryNames: names }), idsPerCall: 100 },
  },
  fields: (f) => ({
    repositoryName: f.requiredString((r) => r.repositoryName ?? ""),
    repositoryArn: f.string((r) => r.repositoryArn),
    repositoryUri: f.string((r) => r.repositoryUri),
    createdAt: f.date((r) => r.createdAt),
    imageTagMutability: f.string((r) => r.imageTagMutability, "MUTABLE, IMMUTABLE, or either *_WITH_EXCLUSION"),
    encryptionType: f.string((r) => r.encryptionConfiguration?.encryptionType, "AES256, KMS or KMS_DSSE"),
    kmsKeyArn: f.string((r) => r.encryptionConfiguration?.kmsKey, "the KMS key the repository is encrypted with, when encryptionType is KMS"),
    scanOnPush: f.boolean((r) => r.imageScanningConfiguration?.scanOnPush),
  }),
  arn: { type: "ecr:repository", id: afterType, of: { field: "repositoryArn" } },
});
