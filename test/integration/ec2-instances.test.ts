import { EC2Client, RunInstancesCommand, StopInstancesCommand, paginateDescribeInstances, type Filter } from "@aws-sdk/client-ec2";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";
import { walkConnection } from "../support/walk.js";

const INSTANCES = `query($first: Int, $after: String, $filter: Ec2InstanceFilter, $region: String) {
  ec2Instances(first: $first, after: $after, filter: $filter, region: $region) {
    edges { cursor node { id instanceId state instanceType region tags { key value } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

let moto: Moto;
let gateway: TestGateway;
let ec2: EC2Client;
const reservationSizes = [1, 5, 2, 9, 3, 1, 7, 4, 1, 6, 2, 8];

async function sdkListing(filters?: Filter[]): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 50 }, { Filters: filters })) {
    for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) ids.push(i.InstanceId!);
  }
  return ids;
}

beforeAll(async () => {
  moto = await startMoto();
  ec2 = new EC2Client(motoClientConfig(moto.endpoint));
  let made = 0;
  for (let r = 0; made < 320; r += 1) {
    const count = reservationSizes[r % reservationSizes.length]!;
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-12c6146b",
        MinCount: count,
        MaxCount: count,
        InstanceType: r % 3 === 0 ? "t3.small" : "t2.micro",
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "env", Value: r % 4 === 0 ? "prod" : "dev" }, { Key: "team", Value: `t${r % 5}` }] }],
      }),
    );
    if (r % 7 === 0) await ec2.send(new StopInstancesCommand({ InstanceIds: out.Instances!.map((i) => i.InstanceId!) }));
    made += count;
  }
  gateway = await startGateway(motoEnv(moto.endpoint));
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  ec2?.destroy();
  await moto?.stop();
});

describe("ec2Instances against moto_server", () => {
  it("lists every instance exactly once, in the SDK paginator's order, for several page sizes", async () => {
    const expected = await sdkListing();
    expect(expected.length).toBeGreaterThanOrEqual(320);
    for (const first of [1, 4, 7, 50, 333, 1000]) {
      const walk = await walkConnection(gateway, INSTANCES, ["ec2Instances"], { firsts: [first] });
      expect(walk.nodes.map((n: any) => n.instanceId), `first: ${first}`).toEqual(expected);
      // moto counts MaxResults in reservations, so each AWS page holds at least as many instances as asked
      expect(walk.awsCalls, `AWS calls for first: ${first}`).toBeLessThanOrEqual(Math.ceil(expected.length / Math.max(first, 5)));
    }
  });

  it("resumes after random edges with random page sizes and still lists each instance once", async () => {
    const expected = await sdkListing();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        async (firsts, choices) => {
          const walk = await walkConnection(gateway, INSTANCES, ["ec2Instances"], {
            firsts,
            resumeAt: (count, page) => choices[page % choices.length]! % count,
          });
          expect(walk.nodes.map((n: any) => n.instanceId)).toEqual(expected);
        },
      ),
      { numRuns: 6 },
    );
  });

  it("pushes filters down to EC2 and lists what the SDK lists with the same Filters", async () => {
    const cases: { filter: Record<string, unknown>; filters: Filter[] }[] = [
      { filter: { states: ["stopped"] }, filters: [{ Name: "instance-state-name", Values: ["stopped"] }] },
      { filter: { instanceTypes: ["t3.small"] }, filters: [{ Name: "instance-type", Values: ["t3.small"] }] },
      {
        filter: { tags: [{ key: "env", values: ["prod"] }], states: ["running"] },
        filters: [{ Name: "tag:env", Values: ["prod"] }, { Name: "instance-state-name", Values: ["running"] }],
      },
    ];
    for (const { filter, filters } of cases) {
      const expected = await sdkListing(filters);
      expect(expected.length).toBeGreaterThan(0);
      const walk = await walkConnection(gateway, INSTANCES, ["ec2Instances"], { firsts: [13], variables: { filter } });
      expect(walk.nodes.map((n: any) => n.instanceId)).toEqual(expected);
    }
  });

  it("refuses a cursor reused with another filter as CURSOR_MISMATCH, before calling AWS", async () => {
    const page = await gateway.query(INSTANCES, { first: 5 });
    const cursor = page.data!.ec2Instances.edges[2].cursor;
    const reused = await gateway.query(INSTANCES, { first: 5, after: cursor, filter: { states: ["running"] } });
    expect(reused.errors?.[0]?.extensions?.code).toBe("CURSOR_MISMATCH");
    expect(reused.extensions?.aws?.calls).toBe(0);
    const otherRegion = await gateway.query(INSTANCES, { first: 5, after: cursor, region: "eu-west-1" });
    expect(otherRegion.errors?.[0]?.extensions?.code).toBe("CURSOR_MISMATCH");
  });

  it("refuses first outside 0..MAX_PAGE_SIZE as BAD_USER_INPUT, and an unknown region too", async () => {
    for (const variables of [{ first: -1 }, { first: 1001 }, { first: 5, region: "xx-nowhere-9" }]) {
      const answer = await gateway.query(INSTANCES, variables);
      expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(answer.extensions?.aws?.calls).toBe(0);
    }
  });

  it("answers an empty page with no edges and no next page in a region with no instances", async () => {
    const answer = await gateway.query(INSTANCES, { first: 10, region: "eu-west-3" });
    expect(answer.data!.ec2Instances).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it("fetches one instance by id, null for an id that does not exist, and refetches by node id", async () => {
    const [firstId] = await sdkListing();
    const answer = await gateway.query(`{
      found: ec2Instance(instanceId: "${firstId}") { id instanceId region }
      missing: ec2Instance(instanceId: "i-0123456789abcdef0") { id }
      malformed: ec2Instance(instanceId: "not-an-id") { id }
    }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.found.instanceId).toBe(firstId);
    expect(answer.data!.missing).toBeNull();
    expect(answer.data!.malformed).toBeNull();
    const refetched = await gateway.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Ec2Instance { instanceId } } }`, {
      ids: [answer.data!.found.id, Buffer.from("Ec2Instance:us-east-1/i-0123456789abcdef0").toString("base64")],
    });
    expect(refetched.data!.nodes).toEqual([{ id: answer.data!.found.id, instanceId: firstId }, null]);
  });

  it("answers a node id that is not one of ours with BAD_USER_INPUT", async () => {
    const answer = await gateway.query(`{ node(id: "%%%") { id } }`);
    expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
