// npm run demo: a local AWS emulator, seeded with a realistic account, and the gateway in front of it.
// DEMO_SCALE (default 1) shrinks or grows the account; Ctrl-C stops everything this started.
import { ConfigError, loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { createGateway, type Gateway } from "../src/server.js";
import { createCursorStore } from "../src/store/index.js";
import { EXAMPLE_QUERIES } from "./examples.js";
import { assumedCredentials, startMoto, type Moto } from "./moto.js";
import { MEMBER_ROLE, seedOrganization } from "./organization.js";
import { seedEc2, seedEc2Extras, seedIam, seedS3 } from "./seed.js";
import { seedServices } from "./services/index.js";

const STAGING_ROLE = "arn:aws:iam::222222222222:role/InventoryReader";

/** Another account of the emulator, reached by assuming its role. */
const assumedTarget = async (endpoint: string, roleArn: string) => ({ endpoint, credentials: await assumedCredentials(endpoint, roleArn) });

const scale = Number(process.env.DEMO_SCALE ?? "1");
if (!(scale > 0 && scale <= 10)) {
  console.error(`awsgql demo: invalid DEMO_SCALE (got "${process.env.DEMO_SCALE}"): expected a number above 0, up to 10`);
  process.exit(2);
}
const count = (n: number) => Math.max(1, Math.round(n * scale));
const progress = (message: string) => console.error(`  seeding: ${message}`);

let moto: Moto | undefined;
let gateway: Gateway | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.error("\nawsgql demo: stopping the gateway and the emulator");
    await gateway?.close(2000).catch(() => undefined);
    await moto?.stop().catch(() => undefined);
  }
  process.exit(code);
}
process.once("SIGINT", () => void stop(0));
process.once("SIGTERM", () => void stop(0));

async function main(): Promise<void> {
  console.error("awsgql demo: starting moto_server");
  moto = await startMoto();
  // The emulator takes any credentials; the SDK's chain reads these. Its Node 22 notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  process.env.AWS_ACCESS_KEY_ID ??= "demo";
  process.env.AWS_SECRET_ACCESS_KEY ??= "demo";
  const target = { endpoint: moto.endpoint, credentials: { accessKeyId: "demo", secretAccessKey: "demo" } };

  const started = Date.now();
  console.error(`awsgql demo: seeding an account on ${moto.endpoint} (DEMO_SCALE=${scale})`);
  await seedEc2(
    target,
    { regions: ["us-east-1", "eu-west-1"], vpcsPerRegion: 4, subnetsPerVpc: 3, groupsPerVpc: 4, instancesPerRegion: count(600), volumesPerRegion: count(150) },
    progress,
  );
  await seedEc2Extras(
    target,
    {
      regions: ["us-east-1", "eu-west-1"],
      keyPairs: 4,
      images: count(8),
      snapshots: count(12),
      networkInterfaces: count(20),
      addresses: count(6),
      natGateways: 3,
      internetGateways: true,
      routeTablesPerVpc: 2,
      launchTemplates: count(6),
    },
    progress,
  );
  // A second account, reached as a configured account would be: its role assumed with STS.
  const staging = await assumedTarget(moto.endpoint, STAGING_ROLE);
  await seedEc2(
    staging,
    { regions: ["us-west-2", "eu-central-1"], vpcsPerRegion: 1, subnetsPerVpc: 2, groupsPerVpc: 2, instancesPerRegion: count(80), volumesPerRegion: count(20) },
    (message) => progress(`staging account: ${message}`),
  );
  await seedEc2Extras(
    staging,
    { regions: ["us-west-2"], keyPairs: 2, images: 2, snapshots: 4, networkInterfaces: 4, addresses: 2, natGateways: 1, internetGateways: true, routeTablesPerVpc: 1, launchTemplates: 2 },
    (message) => progress(`staging account: ${message}`),
  );
  await seedIam(staging, { users: count(20), roles: count(5), groups: 2, policies: 3 }, (message) => progress(`staging account: ${message}`));
  const buckets = Object.fromEntries(
    Array.from({ length: Math.max(3, count(20)) }, (_, i) => [
      i === 0 ? "demo-data-lake" : i === 1 ? "demo-empty" : `demo-${["assets", "logs", "backups", "reports", "exports"][i % 5]}-${String(i).padStart(2, "0")}`,
      ["us-east-1", "eu-west-1", "ap-southeast-2"][i % 3]!,
    ]),
  );
  await seedS3(target, { buckets, bigBucket: "demo-data-lake", bigBucketKeys: count(10_000), keysPerBucket: 12, emptyBuckets: ["demo-empty"] }, progress);
  await seedIam(target, { users: count(300), roles: count(60), groups: 10, policies: 24 }, progress);
  await seedServices(target, count, progress);
  // The emulator's own account is an organization's management account, with members in OUs two deep.
  progress("an organization: OUs, member accounts and their instances");
  await seedOrganization(
    moto.endpoint,
    {
      ous: [["Workloads", "root"], ["Prod", "Workloads"], ["Dev", "Workloads"], ["Sandbox", "root"]],
      members: [
        { name: "payments-prod", parent: "Prod", instances: { "us-east-1": count(6), "eu-west-1": count(4) } },
        { name: "web-prod", parent: "Prod", instances: { "us-east-1": count(8) } },
        { name: "web-dev", parent: "Dev", instances: { "eu-west-1": count(3) } },
        { name: "retired", parent: "Dev", instances: { "us-east-1": 1 }, closed: true },
        { name: "sandbox", parent: "Sandbox", instances: { "us-east-1": count(2) } },
      ],
      managementInstances: {},
    },
    target.credentials,
  );
  console.error(`awsgql demo: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const config = loadConfig({ AWS_ACCOUNTS: `staging=${STAGING_ROLE}`, AWS_ORGANIZATION_ROLE: MEMBER_ROLE, ...process.env, AWS_ENDPOINT_URL: moto.endpoint });
  const logger = createLogger(config.LOG_LEVEL);
  const store = await createCursorStore(config);
  gateway = createGateway({ config, store, logger, graphiqlQuery: EXAMPLE_QUERIES });
  const url = await gateway.listen(config.PORT, config.HOST);
  console.log(`awsgql demo: open ${url} in a browser (GraphiQL, with example queries); Ctrl-C stops it`);
}

main().catch((error: unknown) => {
  console.error(`awsgql demo: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});
