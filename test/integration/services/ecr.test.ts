// ECR through the gateway against moto_server: `ecrRepositories`, `ecrRepository(repositoryName)` and each
// repository's `images` connection, compared with what the SDK reads from the same emulator.
//
// moto (5.x) does not page ECR: DescribeRepositories and DescribeImages ignore `maxResults` and answer
// everything at once without a `nextToken` (checked below), so the gateway's own paging over a held
// AWS page is what these walks exercise here.
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, paginateDescribeImages, paginateDescribeRepositories, type ImageDetail, type Repository } from "@aws-sdk/client-ecr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedEcr, type EcrSeeded } from "../../../demo/services/ecr.js";
import { motoEnv, startGateway, UNBOUNDED_BUDGET, type TestGateway } from "../../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../../support/moto.js";
import { all, checkRandomWalks, dataOf, regionalClients, walkThereAndBack } from "../../support/services.js";
import { walkConnection } from "../../support/walk.js";

const REGIONS = ["us-east-1", "eu-west-1"];
const PLAN = { regions: REGIONS, repositories: 14, imagesPerRepository: 25 };

let moto: Moto;
let gateway: TestGateway;
let seeded: EcrSeeded;
const ecr = regionalClients((region) => new ECRClient(motoClientConfig(moto.endpoint, region)));

beforeAll(async () => {
  moto = await startMoto();
  seeded = await seedEcr({ endpoint: moto.endpoint }, PLAN);
  gateway = await startGateway({ ...motoEnv(moto.endpoint), ...UNBOUNDED_BUDGET });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  ecr.destroy();
  await moto?.stop();
});

/** The SDK's own listing: every page at the largest page size. */
const repositories = (region: string): Promise<Repository[]> => all(paginateDescribeRepositories({ client: ecr(region), pageSize: 1000 }, {}), (page) => page.repositories);
const images = (region: string, repositoryName: string): Promise<ImageDetail[]> =>
  all(paginateDescribeImages({ client: ecr(region), pageSize: 1000 }, { repositoryName }), (page) => page.imageDetails);

const iso = (value: Date | undefined) => (value ? value.toISOString() : null);
const isoOf = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/** The repository with the most images in a region (the one that pages). */
const biggest = (region: string) => [...seeded.repositories[region]!].sort((a, b) => b.imageDigests.length - a.imageDigests.length)[0]!;

const PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
const REPOSITORIES = `query($first: Int, $after: String, $last: Int, $before: String, $region: String) {
  ecrRepositories(first: $first, after: $after, last: $last, before: $before, region: $region) { edges { cursor node { id region repositoryName } } ${PAGE_INFO} } }`;
const IMAGES = `query($name: String!, $region: String, $first: Int, $after: String, $last: Int, $before: String) {
  ecrRepository(repositoryName: $name, region: $region) {
    images(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { imageDigest } } ${PAGE_INFO} } } }`;

/** Walks to the end with `first: size`, then back from the last page's start with `last: size`: the `id` of each node, read forward and backward. */
async function backward(query: string, path: string[], id: string, variables: Record<string, unknown>, size: number): Promise<{ forward: string[]; backward: string[] }> {
  const walked = await walkThereAndBack(gateway, query, path, { first: size, last: size, variables });
  return { forward: walked.forward.map((node) => node[id]), backward: walked.backward.map((node) => node[id]) };
}

describe("ECR against moto_server", () => {
  it("is seeded with varied repositories and images, and moto answers ECR in one page whatever maxResults says", async () => {
    const region = "us-east-1";
    const all = await repositories(region);
    expect(all.map((r) => r.repositoryName)).toEqual(seeded.repositories[region]!.map((r) => r.repositoryName));
    expect(new Set(all.map((r) => r.imageTagMutability))).toEqual(new Set(["MUTABLE", "IMMUTABLE"]));
    // moto ignores maxResults and never gives a nextToken
    const small = await ecr(region).send(new DescribeRepositoriesCommand({ maxResults: 3 }));
    expect(small.repositories).toHaveLength(PLAN.repositories);
    expect(small.nextToken).toBeUndefined();
    const big = biggest(region);
    expect(big.imageDigests.length).toBe(PLAN.imagesPerRepository);
    const smallImages = await ecr(region).send(new DescribeImagesCommand({ repositoryName: big.repositoryName, maxResults: 2 }));
    expect(smallImages.imageDetails).toHaveLength(PLAN.imagesPerRepository);
    expect(smallImages.nextToken).toBeUndefined();
    const details = await images(region, big.repositoryName);
    expect(details.some((i) => !i.imageTags?.length), "untagged images").toBe(true);
    expect(details.some((i) => (i.imageTags?.length ?? 0) > 1), "images with several tags").toBe(true);
    expect(seeded.repositories[region]!.some((r) => r.imageDigests.length === 0), "an empty repository").toBe(true);
  });

  it("ecrRepositories: walks with random page sizes, resumed after random edges, equal DescribeRepositories in each region", async () => {
    for (const region of REGIONS) {
      const expected = (await repositories(region)).map((r) => r.repositoryName!);
      await checkRandomWalks(gateway, REPOSITORIES, ["ecrRepositories"], { maxFirst: 6, runs: 3, variables: { region } }, (walk) => {
        expect(walk.nodes.map((n: any) => n.repositoryName)).toEqual(expected);
        expect(walk.nodes.every((n: any) => n.region === region)).toBe(true);
      });
    }
  });

  it("ecrRepositories: moto's one answer is read once and paged from there", async () => {
    const walk = await walkConnection(gateway, REPOSITORIES, ["ecrRepositories"], { firsts: [3] });
    expect(walk.nodes).toHaveLength(PLAN.repositories);
    expect(walk.requests).toBeGreaterThan(4);
    expect(walk.operations).toEqual({ DescribeRepositories: 1 });
  });

  it("ecrRepositories: lists several regions in the order named, as one listing", async () => {
    const expected = [...(await repositories("us-east-1")).map((r) => `us-east-1 ${r.repositoryName}`), ...(await repositories("eu-west-1")).map((r) => `eu-west-1 ${r.repositoryName}`)];
    const query = `query($first: Int, $after: String) { ecrRepositories(regions: ["us-east-1", "eu-west-1"], first: $first, after: $after) {
      edges { cursor node { region repositoryName } } pageInfo { hasNextPage endCursor } } }`;
    const walk = await walkConnection(gateway, query, ["ecrRepositories"], { firsts: [5, 9] });
    expect(walk.nodes.map((n: any) => `${n.region} ${n.repositoryName}`)).toEqual(expected);
  });

  it("ecrRepositories: a walk back from the end with `last`/`before` is the forward listing reversed", async () => {
    const expected = (await repositories("us-east-1")).map((r) => r.repositoryName!);
    for (const size of [4, 5]) {
      const { forward, backward: back } = await backward(REPOSITORIES, ["ecrRepositories"], "repositoryName", {}, size);
      expect(forward).toEqual(expected);
      expect(back).toEqual(expected);
    }
  });

  it("ecrRepositories: totalCount is DescribeRepositories' count in each region", async () => {
    for (const region of REGIONS) {
      const data = dataOf(await gateway.query(`query($region: String) { ecrRepositories(region: $region, first: 1) { totalCount } }`, { region }));
      expect(data.ecrRepositories.totalCount, region).toBe((await repositories(region)).length);
    }
  });

  it("ecrRepositories: every field of a repository is what DescribeRepositories says", async () => {
    for (const region of REGIONS) {
      const data = dataOf(
        await gateway.query(
          `query($region: String) { ecrRepositories(region: $region, first: 100) { fetchedAt failedSources { region code } edges { node {
            id accountId accountName region repositoryName repositoryArn repositoryUri createdAt imageTagMutability } } } }`,
          { region },
        ),
      );
      const described = await repositories(region);
      const nodes = data.ecrRepositories.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(described.length);
      expect(data.ecrRepositories.failedSources).toEqual([]);
      expect(Number.isNaN(Date.parse(data.ecrRepositories.fetchedAt))).toBe(false);
      for (const [index, node] of nodes.entries()) {
        const aws = described[index]!;
        expect(typeof node.id).toBe("string");
        expect({ ...node, id: undefined, createdAt: isoOf(node.createdAt) }).toEqual({
          id: undefined,
          accountId: aws.registryId,
          accountName: "default",
          region,
          repositoryName: aws.repositoryName,
          repositoryArn: aws.repositoryArn,
          repositoryUri: aws.repositoryUri,
          createdAt: iso(aws.createdAt),
          imageTagMutability: aws.imageTagMutability,
        });
      }
      expect(new Set(nodes.map((n: any) => n.id)).size).toBe(nodes.length);
    }
  });

  it("ecrRepository: finds a repository in the region asked, refetches it by node id, and answers null for a name that does not exist", async () => {
    for (const region of REGIONS) {
      const [aws] = (await ecr(region).send(new DescribeRepositoriesCommand({ repositoryNames: [seeded.repositories[region]![3]!.repositoryName] }))).repositories!;
      // AWS refuses a malformed name with InvalidParameterException, moto with RepositoryNotFoundException: null either way
      const data = dataOf(
        await gateway.query(
          `query($name: String!, $region: String) {
            found: ecrRepository(repositoryName: $name, region: $region) { id region repositoryName repositoryArn repositoryUri createdAt imageTagMutability }
            missing: ecrRepository(repositoryName: "nobody/none-here", region: $region) { id }
            malformed: ecrRepository(repositoryName: "Not A Name!", region: $region) { id } }`,
          { name: aws!.repositoryName, region },
        ),
      );
      expect({ ...data.found, id: undefined, createdAt: isoOf(data.found.createdAt) }).toEqual({
        id: undefined,
        region,
        repositoryName: aws!.repositoryName,
        repositoryArn: aws!.repositoryArn,
        repositoryUri: aws!.repositoryUri,
        createdAt: iso(aws!.createdAt),
        imageTagMutability: aws!.imageTagMutability,
      });
      expect(data.missing).toBeNull();
      expect(data.malformed).toBeNull();
      const node = dataOf(await gateway.query(`query($id: ID!) { node(id: $id) { __typename id ... on EcrRepository { region repositoryArn } } }`, { id: data.found.id }));
      expect(node.node).toEqual({ __typename: "EcrRepository", id: data.found.id, region, repositoryArn: aws!.repositoryArn });
    }
  });

  it("images: walks with random page sizes, resumed after random edges, equal DescribeImages for each repository", async () => {
    const region = "us-east-1";
    const big = biggest(region).repositoryName;
    const expected = (await images(region, big)).map((i) => i.imageDigest!);
    expect(expected.length).toBeGreaterThan(10);
    await checkRandomWalks(gateway, IMAGES, ["ecrRepository", "images"], { maxFirst: 8, runs: 3, variables: { name: big, region } }, (walk) => {
      expect(walk.nodes.map((n: any) => n.imageDigest)).toEqual(expected);
    });
    // every repository of the other region, the empty one too, at one page size
    for (const { repositoryName } of seeded.repositories["eu-west-1"]!) {
      const walk = await walkConnection(gateway, IMAGES, ["ecrRepository", "images"], { firsts: [4], variables: { name: repositoryName, region: "eu-west-1" } });
      expect(walk.nodes.map((n: any) => n.imageDigest), repositoryName).toEqual((await images("eu-west-1", repositoryName)).map((i) => i.imageDigest));
    }
  });

  it("images: a walk costs no more DescribeImages calls than pages of the service's answers", async () => {
    const region = "us-east-1";
    const big = biggest(region);
    const walk = await walkConnection(gateway, IMAGES, ["ecrRepository", "images"], { firsts: [4], variables: { name: big.repositoryName, region } });
    expect(walk.nodes).toHaveLength(big.imageDigests.length);
    // moto answers every image in one call; contract bound: about ceil(N / min(P, 1000)) list calls
    expect(walk.operations.DescribeImages).toBeGreaterThanOrEqual(1);
    expect(walk.operations.DescribeImages).toBeLessThanOrEqual(Math.ceil(big.imageDigests.length / 4));
  });

  it("images: a walk back from the end with `last`/`before` is the forward listing reversed", async () => {
    const region = "us-east-1";
    const big = biggest(region).repositoryName;
    const expected = (await images(region, big)).map((i) => i.imageDigest!);
    const { forward, backward: back } = await backward(IMAGES, ["ecrRepository", "images"], "imageDigest", { name: big, region }, 6);
    expect(forward).toEqual(expected);
    expect(back).toEqual(expected);
  });

  it("images: totalCount is DescribeImages' count, zero for an empty repository", async () => {
    const region = "us-east-1";
    for (const { repositoryName } of seeded.repositories[region]!.slice(0, 7)) {
      const data = dataOf(await gateway.query(`query($name: String!) { ecrRepository(repositoryName: $name) { images(first: 1) { totalCount edges { node { imageDigest } } pageInfo { hasNextPage } } } }`, { name: repositoryName }));
      const count = (await images(region, repositoryName)).length;
      expect(data.ecrRepository.images.totalCount, repositoryName).toBe(count);
      expect(data.ecrRepository.images.edges).toHaveLength(Math.min(1, count));
      expect(data.ecrRepository.images.pageInfo.hasNextPage).toBe(count > 1);
    }
  });

  it("images: every field of an image is what DescribeImages says, from the listing of repositories too", async () => {
    const region = "us-east-1";
    const data = dataOf(
      await gateway.query(`{ ecrRepositories(first: 20) { edges { node { repositoryName images(first: 100) { edges { node {
        imageDigest imageTags imagePushedAt imageSizeInBytes } } } } } } }`),
    );
    const repositoriesOf = data.ecrRepositories.edges.map((e: any) => e.node);
    expect(repositoriesOf.map((r: any) => r.repositoryName)).toEqual((await repositories(region)).map((r) => r.repositoryName));
    for (const repository of repositoriesOf) {
      const described = await images(region, repository.repositoryName);
      const nodes = repository.images.edges.map((e: any) => e.node);
      expect(
        nodes.map((n: any) => ({ ...n, imagePushedAt: isoOf(n.imagePushedAt), imageSizeInBytes: n.imageSizeInBytes === null ? null : Number(n.imageSizeInBytes) })),
        repository.repositoryName,
      ).toEqual(
        described.map((i) => ({
          imageDigest: i.imageDigest,
          // DescribeImages leaves imageTags out for an untagged image
          imageTags: i.imageTags ?? [],
          imagePushedAt: iso(i.imagePushedAt),
          imageSizeInBytes: i.imageSizeInBytes ?? null,
        })),
      );
    }
  });
});
