// A real frontend client against the gateway and moto_server: Apollo Client's relayStylePagination
// walks backward from the last page to the first with fetchMore.
import { ApolloClient, gql, HttpLink, InMemoryCache } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";
import { CreateBucketCommand, PutObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { filter, firstValueFrom } from "rxjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const OBJECTS = 57;
const PAGE_SIZE = 10;

let moto: Moto;
let gateway: TestGateway;
const listed: string[] = [];

beforeAll(async () => {
  moto = await startMoto();
  const s3 = new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "apollo-pages" }));
  await Promise.all(Array.from({ length: OBJECTS }, (_, o) => s3.send(new PutObjectCommand({ Bucket: "apollo-pages", Key: `daily/${String(o).padStart(3, "0")}.json`, Body: "{}" }))));
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: "apollo-pages" })) listed.push(...page.Contents!.map((o) => o.Key!));
  gateway = await startGateway(motoEnv(moto.endpoint));
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await moto?.stop();
});

const OBJECTS_QUERY = gql`
  query Objects($first: Int, $after: String, $last: Int, $before: String) {
    s3Bucket(name: "apollo-pages") {
      id
      objects(first: $first, after: $after, last: $last, before: $before) {
        edges {
          cursor
          node {
            id
            key
          }
        }
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
      }
    }
  }
`;

interface ObjectsPage {
  s3Bucket: {
    objects: {
      edges: { cursor: string; node: { key: string } }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    };
  };
}

const newClient = () =>
  new ApolloClient({
    link: new HttpLink({ uri: gateway.url }),
    cache: new InMemoryCache({ typePolicies: { S3Bucket: { fields: { objects: relayStylePagination(["prefix"]) } } } }),
  });

describe("Apollo Client relayStylePagination", () => {
  it("walks backward from the last page to the first: the same listing, reversed page by page, merged in order in its cache", async () => {
    // Forward first, as a dashboard does, to know the pages and a cursor right before the last one.
    const forward = newClient();
    const forwardPages: string[][] = [];
    let after: string | null = null;
    let beforeLast: string | null = null;
    for (;;) {
      const answer = await forward.query<ObjectsPage>({ query: OBJECTS_QUERY, variables: { first: PAGE_SIZE, after }, fetchPolicy: "no-cache" });
      const objects: ObjectsPage["s3Bucket"]["objects"] = answer.data!.s3Bucket.objects;
      forwardPages.push(objects.edges.map((e) => e.node.key));
      if (!objects.pageInfo.hasNextPage) break;
      beforeLast = after = objects.pageInfo.endCursor;
    }
    expect(forwardPages.flat()).toEqual(listed);

    // A new client opens on the last page and goes back with fetchMore(last, before: startCursor).
    const client = newClient();
    const watched = client.watchQuery<ObjectsPage>({ query: OBJECTS_QUERY, variables: { first: PAGE_SIZE, after: beforeLast } });
    // Apollo Client 4's ObservableQuery is an RxJS observable: watched while the walk goes on.
    const subscription = watched.subscribe(() => {});
    const lastPage = (await firstValueFrom(watched.pipe(filter((result) => !result.loading)))).data as ObjectsPage;
    const backwardPages: string[][] = [lastPage.s3Bucket.objects.edges.map((e) => e.node.key)];
    let pageInfo = lastPage.s3Bucket.objects.pageInfo;
    expect(pageInfo.hasNextPage).toBe(false);
    while (pageInfo.hasPreviousPage) {
      const more = await watched.fetchMore<ObjectsPage>({ variables: { first: null, after: null, last: PAGE_SIZE, before: pageInfo.startCursor } });
      const page = more.data!.s3Bucket.objects;
      backwardPages.push(page.edges.map((e) => e.node.key));
      pageInfo = client.readQuery<ObjectsPage>({ query: OBJECTS_QUERY, variables: { first: PAGE_SIZE, after: beforeLast } })!.s3Bucket.objects.pageInfo;
    }
    expect(backwardPages).toEqual([...forwardPages].reverse());

    const merged = client.readQuery<ObjectsPage>({ query: OBJECTS_QUERY, variables: { first: PAGE_SIZE, after: beforeLast } })!.s3Bucket.objects;
    expect(merged.edges.map((e) => e.node.key)).toEqual(listed);
    expect(merged.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
    subscription.unsubscribe();
  });
});
