// ECR as AWS answers it, where moto differs: DescribeRepositories pages (maxResults honoured,
// nextToken), and refuses maxResults or nextToken beside repositoryNames (InvalidParameterException);
// a batch of names with one missing fails whole (RepositoryNotFoundException).
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  type DescribeImagesCommandInput,
  type DescribeRepositoriesCommandInput,
  type Repository,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { awsError, useMockedGateway } from "../support/services.js";
import { walkConnection } from "../support/walk.js";

const ACCOUNT = "123456789012";
const repository = (repositoryName: string): Repository => ({
  repositoryName,
  registryId: ACCOUNT,
  repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${repositoryName}`,
  repositoryUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${repositoryName}`,
  createdAt: new Date(Date.UTC(2026, 0, 1)),
  imageTagMutability: "MUTABLE",
});
const names = Array.from({ length: 23 }, (_, i) => `team-${i % 3}/service-${i}`);
const digest = (i: number) => `sha256:${String(i).padStart(64, "0")}`;

const ecr = mockClient(ECRClient);
const gateway = useMockedGateway([ecr], () => {
  ecr.on(DescribeRepositoriesCommand).callsFake((input: DescribeRepositoriesCommandInput) => {
    if (input.repositoryNames) {
      if (input.maxResults !== undefined || input.nextToken !== undefined) throw awsError("InvalidParameterException", "maxResults and nextToken cannot be used with repositoryNames");
      const missing = input.repositoryNames.find((name) => !names.includes(name));
      if (missing) throw awsError("RepositoryNotFoundException", `The repository with name '${missing}' does not exist in the registry with id '${ACCOUNT}'`);
      return { repositories: input.repositoryNames.map(repository) };
    }
    const from = input.nextToken ? Number(input.nextToken.slice(2)) : 0;
    const page = names.slice(from, from + (input.maxResults ?? 100));
    return { repositories: page.map(repository), nextToken: from + page.length < names.length ? `t-${from + page.length}` : undefined };
  });
  ecr.on(DescribeImagesCommand).callsFake((input: DescribeImagesCommandInput) => {
    const all = [0, 1, 2].map((i) => ({ repositoryName: input.repositoryName, registryId: ACCOUNT, imageDigest: digest(i), imagePushedAt: new Date(0) }));
    if (!input.imageIds) return { imageDetails: all };
    const found = all.filter((image) => input.imageIds!.some((id) => id.imageDigest === image.imageDigest));
    if (found.length === 0) throw awsError("ImageNotFoundException");
    return { imageDetails: found };
  });
});

describe("ECR as AWS answers it", () => {
  it("walks every repository once, following nextToken, with maxResults at most the page", async () => {
    const walk = await walkConnection(gateway, `query($first: Int, $after: String) { ecrRepositories(first: $first, after: $after) {
      edges { cursor node { repositoryName } } pageInfo { hasNextPage endCursor } } }`, ["ecrRepositories"], { firsts: [5] });
    expect(walk.nodes.map((n: any) => n.repositoryName)).toEqual(names);
    expect(ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(Math.ceil(names.length / 5));
  });

  it("looks names up in one call of repositoryNames alone, and again one by one when one is missing", async () => {
    const answer = await gateway.query(`{
      a: ecrRepository(repositoryName: "team-0/service-0") { repositoryName }
      b: ecrRepository(repositoryName: "team-1/service-4") { repositoryName }
      gone: ecrRepository(repositoryName: "team-1/gone") { repositoryName } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ a: { repositoryName: "team-0/service-0" }, b: { repositoryName: "team-1/service-4" }, gone: null });
    const inputs = ecr.commandCalls(DescribeRepositoriesCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({ repositoryNames: ["team-0/service-0", "team-1/service-4", "team-1/gone"] });
    expect(inputs.slice(1).map((input) => input.repositoryNames)).toEqual([["team-0/service-0"], ["team-1/service-4"], ["team-1/gone"]]);
  });

  it("an image is found again by its node id, and links back to its repository", async () => {
    const listed = await gateway.query(`{ ecrRepository(repositoryName: "team-2/service-2") { images(first: 5) { edges { node { id imageReference imageDigest } } } } }`);
    const images = listed.data!.ecrRepository.images.edges.map((e: any) => e.node);
    expect(images.map((i: any) => i.imageReference)).toEqual([0, 1, 2].map((i) => `team-2/service-2@${digest(i)}`));
    const node = await gateway.query(`query($id: ID!) { node(id: $id) { ... on EcrImage { imageDigest repository { repositoryName } } } }`, { id: images[1].id });
    expect(node.errors).toBeUndefined();
    expect(node.data!.node).toEqual({ imageDigest: digest(1), repository: { repositoryName: "team-2/service-2" } });
    expect(ecr.commandCalls(DescribeImagesCommand).at(-1)!.args[0].input).toEqual({ repositoryName: "team-2/service-2", imageIds: [{ imageDigest: digest(1) }] });
  });
});
