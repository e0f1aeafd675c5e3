// An EC2 estate on moto_server for a test file: the emulator, SDK clients per region straight to it,
// the seed, and a gateway in front of it; stopped after the file's tests.
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll } from "vitest";
import type { AwsTarget } from "../../demo/seed.js";
import { motoEnv, startGateway, type TestGateway } from "./gateway.js";
import { motoClientConfig, startMoto, type Moto } from "./moto.js";

export interface Ec2Fixture {
  /** the gateway, once the estate is seeded */
  readonly gateway: TestGateway;
  /** an SDK client straight to the emulator, for what a test compares the gateway with */
  ec2(region: string): EC2Client;
}

export function useEc2Fixture(regions: string[], seed: (target: AwsTarget) => Promise<void>): Ec2Fixture {
  let moto: Moto | undefined;
  let gateway: TestGateway | undefined;
  const clients = new Map<string, EC2Client>();
  beforeAll(async () => {
    moto = await startMoto();
    for (const region of regions) clients.set(region, new EC2Client(motoClientConfig(moto.endpoint, region)));
    await seed({ endpoint: moto.endpoint });
    gateway = await startGateway(motoEnv(moto.endpoint));
  }, 180_000);
  afterAll(async () => {
    await gateway?.close();
    for (const client of clients.values()) client.destroy();
    await moto?.stop();
  });
  return {
    get gateway() {
      if (!gateway) throw new Error("the EC2 fixture is not started yet");
      return gateway;
    },
    ec2: (region) => clients.get(region)!,
  };
}

/** Runs `count` plain instances on moto in one region and gives their ids, in launch order. */
export async function runInstances(endpoint: string, count: number, region = "us-east-1"): Promise<string[]> {
  const ec2 = new EC2Client(motoClientConfig(endpoint, region));
  try {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", InstanceType: "t3.micro", MinCount: count, MaxCount: count }));
    return run.Instances!.map((i) => i.InstanceId!);
  } finally {
    ec2.destroy();
  }
}
