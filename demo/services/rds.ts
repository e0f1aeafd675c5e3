// Seeds RDS in an AWS account (an emulator's): DB instances of several engines, classes and states in
// a VPC of their own (subnet group, security groups), Aurora clusters with writer and reader
// instances, a read replica, tags. Returns the ids it made, so tests can compare links.
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBInstanceReadReplicaCommand,
  CreateDBSubnetGroupCommand,
  RDSClient,
  StopDBClusterCommand,
  StopDBInstanceCommand,
} from "@aws-sdk/client-rds";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeAvailabilityZonesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { clientConfig, teams, envs, type AwsTarget, type Progress } from "../seed.js";

export interface RdsSeedPlan {
  regions: string[];
  /** standalone DB instances per region (a read replica of the first one comes on top, when there are two or more) */
  instancesPerRegion: number;
  /** Aurora clusters per region */
  clustersPerRegion: number;
  /** instances in each cluster but every third one, which is left empty (the first is the writer) */
  instancesPerCluster: number;
}

export interface RdsSeedRegion {
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
  subnetGroupName: string;
  /** every DB instance made, standalone, replica and cluster members, in creation order */
  instanceIds: string[];
  clusterIds: string[];
  /** cluster id -> its instances, writer first */
  members: Record<string, string[]>;
}

export type RdsSeedResult = Record<string, RdsSeedRegion>;


/** engine, a version AWS offers, a class, storage and port of standalone instances */
const engines = [
  { engine: "postgres", version: "16.3", klass: "db.m6g.large", storage: 100 },
  { engine: "mysql", version: "8.0.35", klass: "db.t3.micro", storage: 20 },
  { engine: "mariadb", version: "10.11.6", klass: "db.t3.small", storage: 50 },
  { engine: "postgres", version: "15.7", klass: "db.r6g.xlarge", storage: 500 },
  { engine: "mysql", version: "8.0.36", klass: "db.m5.large", storage: 200 },
] as const;
const auroraEngines = [
  { engine: "aurora-postgresql", version: "15.4", klass: "db.r6g.large" },
  { engine: "aurora-mysql", version: "8.0.mysql_aurora.3.05.2", klass: "db.r5.large" },
] as const;

/** A password for the seed only: AWS and moto take it and never give it back. */
const SEED_PASSWORD = "seed-only-Passw0rd";

const tags = (n: number, extra: Record<string, string> = {}) =>
  Object.entries({ team: teams[n % teams.length]!, env: envs[n % envs.length]!, ...extra }).map(([Key, Value]) => ({ Key, Value }));

/** DB instances and Aurora clusters in a VPC of their own in each region. */
export async function seedRds(target: AwsTarget, plan: RdsSeedPlan, progress: Progress = () => {}): Promise<RdsSeedResult> {
  const result: RdsSeedResult = {};
  for (const [regionIndex, region] of plan.regions.entries()) {
    const ec2 = new EC2Client(clientConfig(target, region));
    const rds = new RDSClient(clientConfig(target, region));
    const vpcId = (
      await ec2.send(
        new CreateVpcCommand({
          CidrBlock: `10.${200 + regionIndex}.0.0/16`,
          TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "databases" }] }],
        }),
      )
    ).Vpc!.VpcId!;
    const subnetIds: string[] = [];
    // a subnet in each of the region's first three zones (their letters differ from region to region)
    const zones = ((await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? []).map((z) => z.ZoneName!).sort().slice(0, 3);
    for (const [s, zone] of zones.entries()) {
      const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${200 + regionIndex}.${s}.0/24`, AvailabilityZone: zone }));
      subnetIds.push(subnet.Subnet!.SubnetId!);
    }
    const securityGroupIds: string[] = [];
    for (const name of ["db-postgres", "db-mysql", "db-admin"]) {
      const group = await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: `${name} access` }));
      securityGroupIds.push(group.GroupId!);
    }
    const subnetGroupName = "databases";
    await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: subnetGroupName, DBSubnetGroupDescription: "private subnets for databases", SubnetIds: subnetIds }));
    const groupsFor = (engine: string, n: number) => [engine.includes("postgres") ? securityGroupIds[0]! : securityGroupIds[1]!, ...(n % 3 === 0 ? [securityGroupIds[2]!] : [])];

    const instanceIds: string[] = [];
    for (let n = 0; n < plan.instancesPerRegion; n += 1) {
      const e = engines[n % engines.length]!;
      const id = `${envs[n % envs.length]}-${teams[n % teams.length]}-${e.engine}-${String(n).padStart(2, "0")}`;
      await rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBInstanceClass: e.klass,
          Engine: e.engine,
          EngineVersion: e.version,
          AllocatedStorage: e.storage,
          StorageType: n % 2 ? "gp3" : "gp2",
          MasterUsername: "dbadmin",
          MasterUserPassword: SEED_PASSWORD,
          DBName: teams[n % teams.length],
          DBSubnetGroupName: subnetGroupName,
          VpcSecurityGroupIds: groupsFor(e.engine, n),
          MultiAZ: n % 3 === 0,
          StorageEncrypted: n % 2 === 0,
          Tags: tags(n),
        }),
      );
      instanceIds.push(id);
      if (n % 7 === 4) await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: id }));
    }
    if (instanceIds.length >= 2) {
      const replica = `${instanceIds[0]}-replica`;
      await rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: replica, SourceDBInstanceIdentifier: instanceIds[0]!, DBInstanceClass: engines[0].klass, Tags: tags(0, { role: "replica" }) }));
      instanceIds.push(replica);
    }

    const clusterIds: string[] = [];
    const members: Record<string, string[]> = {};
    for (let c = 0; c < plan.clustersPerRegion; c += 1) {
      const e = auroraEngines[c % auroraEngines.length]!;
      const clusterId = `${teams[c % teams.length]}-aurora-${String(c).padStart(2, "0")}`;
      await rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: clusterId,
          Engine: e.engine,
          EngineVersion: e.version,
          MasterUsername: "dbadmin",
          // one cluster keeps its password in Secrets Manager, as AWS lets it: the answer then names the secret's ARN only
          ...(c === 1 ? { ManageMasterUserPassword: true } : { MasterUserPassword: SEED_PASSWORD }),
          DBSubnetGroupName: subnetGroupName,
          VpcSecurityGroupIds: groupsFor(e.engine, c),
          StorageEncrypted: true,
          Tags: tags(c, { tier: "aurora" }),
        }),
      );
      clusterIds.push(clusterId);
      members[clusterId] = [];
      const count = c % 3 === 2 ? 0 : plan.instancesPerCluster;
      for (let m = 0; m < count; m += 1) {
        const id = `${clusterId}-${m === 0 ? "writer" : `reader-${m}`}`;
        await rds.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: id,
            DBClusterIdentifier: clusterId,
            DBInstanceClass: e.klass,
            Engine: e.engine,
            DBSubnetGroupName: subnetGroupName,
            Tags: tags(c, { tier: "aurora" }),
          }),
        );
        instanceIds.push(id);
        members[clusterId]!.push(id);
      }
      if (c % 4 === 3) await rds.send(new StopDBClusterCommand({ DBClusterIdentifier: clusterId }));
    }
    result[region] = { vpcId, subnetIds, securityGroupIds, subnetGroupName, instanceIds, clusterIds, members };
    progress(`RDS ${region}: ${instanceIds.length} DB instances, ${clusterIds.length} clusters`);
    ec2.destroy();
    rds.destroy();
  }
  return result;
}
