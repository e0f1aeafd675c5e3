import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/moto.js";

describe("npm run demo", () => {
  it("starts the emulator, seeds it, serves GraphiQL with examples, and Ctrl-C stops everything", async () => {
    const port = await freePort();
    const child = spawn("npm", ["run", "demo"], {
      env: { ...process.env, PORT: String(port), DEMO_SCALE: "0.02", LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
      // its own process group, which Ctrl-C in a terminal signals as a whole
      detached: true,
    });
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    try {
      const deadline = Date.now() + 150_000;
      while (!/open (http:\S+)/.test(stdout)) {
        if (child.exitCode !== null) throw new Error(`demo exited: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`demo did not print its URL: ${stderr}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const url = /open (http:\S+)/.exec(stdout)![1]!;
      expect(url).toBe(`http://127.0.0.1:${port}/graphql`);
      expect(stderr).toMatch(/seeding: EC2/);
      const emulator = Number(/seeding an account on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)![1]);

      const answer = (await (
        await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: `{ ec2Instances(first: 5) { edges { node { instanceId vpc { vpcId } } } } s3Bucket(name: "demo-data-lake") { objects(first: 5) { edges { node { key } } } } iamUsers(first: 5) { edges { node { userName } } } }` }),
        })
      ).json()) as { data: any; errors?: unknown };
      expect(answer.errors).toBeUndefined();
      expect(answer.data.ec2Instances.edges).toHaveLength(5);
      expect(answer.data.s3Bucket.objects.edges.length).toBeGreaterThan(0);
      expect(answer.data.iamUsers.edges.length).toBeGreaterThan(0);

      const second = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ ec2Instances(accounts: ["*"], regions: ["us-west-2"], first: 3) { edges { node { accountName accountId region } } failedSources { accountName } } }` }),
      }).then((r) => r.json());
      expect(second.errors).toBeUndefined();
      expect(second.data.ec2Instances.edges[0].node).toEqual({ accountName: "staging", accountId: "222222222222", region: "us-west-2" });

      // the example that crosses services: a function's role (IAM), VPC and security groups (EC2)
      const services = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `{ lambdaFunctions(first: 50) { edges { node { functionName role { roleName } vpc { vpcId } securityGroups { groupId } } } }
            dynamodbTables(first: 5) { totalCount } ecsClusters(first: 5) { totalCount } eksClusters(first: 5) { totalCount } ecrRepositories(first: 5) { totalCount }
            route53HostedZones(first: 5) { totalCount } cloudwatchAlarms(first: 5) { totalCount } cloudformationStacks(first: 5) { totalCount } kmsKeys(first: 5) { totalCount }
            snsTopics(first: 5) { totalCount } sqsQueues(first: 5) { totalCount } rdsDbInstances(first: 5) { totalCount } rdsDbClusters(first: 5) { totalCount } }`,
        }),
      }).then((r) => r.json());
      expect(services.errors).toBeUndefined();
      const functions = services.data.lambdaFunctions.edges.map((e: any) => e.node);
      expect(functions.every((f: any) => f.role?.roleName)).toBe(true);
      expect(functions.some((f: any) => f.securityGroups.length > 0)).toBe(true);
      for (const [field, connection] of Object.entries<any>(services.data)) if (field !== "lambdaFunctions") expect(connection.totalCount, field).toBeGreaterThan(0);

      // the organization: its accounts, and the instances of its Prod OU reached through the member role
      const organization = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ organizationAccounts(first: 20) { edges { node { name status parentId } } } }` }),
      }).then((r) => r.json());
      expect(organization.errors).toBeUndefined();
      const members = organization.data.organizationAccounts.edges.map((e: any) => e.node);
      expect(members.map((m: any) => [m.name, m.status])).toEqual([
        ["master", "ACTIVE"], ["payments-prod", "ACTIVE"], ["web-prod", "ACTIVE"], ["web-dev", "ACTIVE"], ["retired", "SUSPENDED"], ["sandbox", "ACTIVE"],
      ]);
      const prod = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `query($ou: String!) { ec2Instances(accounts: [$ou], regions: ["us-east-1", "eu-west-1"], first: 0) { countBy(field: ACCOUNT) { count } } }`, variables: { ou: members[1].parentId } }),
      }).then((r) => r.json());
      expect(prod.errors).toBeUndefined();
      // at DEMO_SCALE 0.02 each region of a member holds one instance: payments-prod two regions, web-prod one
      expect(prod.data.ec2Instances.countBy.map((g: any) => g.count)).toEqual([2, 1]);

      const page = await (await fetch(url, { headers: { accept: "text/html" } })).text();
      expect(page).toContain("TheOrganization");
      expect(page).toContain("WhoHasWhat");
      expect(page).toContain("FunctionsAndTheirNetwork");

      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      signalGroup("SIGINT");
      await exited;
      // npm itself dies of the SIGINT; the demo under it stops what it started, then exits
      for (let i = 0; i < 50 && !/stopping the gateway and the emulator/.test(stderr); i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(stderr).toMatch(/stopping the gateway and the emulator/);
      await new Promise((r) => setTimeout(r, 1000));
      await expect(fetch(`http://127.0.0.1:${emulator}/moto-api/`)).rejects.toThrow();
    } finally {
      signalGroup("SIGKILL");
    }
  }, 200_000);
});
