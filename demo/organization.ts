// An AWS Organization seeded in moto_server, for the demo and the tests: OUs under the root or under each
// other, member accounts moved into them, instances in each (run through the account's
// OrganizationAccountAccessRole, which moto makes in every account it creates), some closed.
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { assumedCredentials, motoClientConfig } from "./moto.js";

/** moto's own account, where the organization is made: its management account. */
export const MANAGEMENT_ID = "123456789012";
/** The role moto makes in every account CreateAccount creates. */
export const MEMBER_ROLE = "OrganizationAccountAccessRole";
export const memberRole = (accountId: string) => `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`;

export interface OrganizationSpec<Ou extends string> {
  /** each OU and its parent ("root" or an OU named before it) */
  ous: readonly (readonly [Ou, Ou | "root"])[];
  /** member accounts in creation order (so ListAccounts order), where each sits, its instances per region */
  members: readonly { name: string; parent: Ou | "root"; instances: Record<string, number>; closed?: true }[];
  /** the management account's own instances per region */
  managementInstances: Record<string, number>;
}

export interface SeededOrganization<Ou extends string> {
  rootId: string;
  ouIds: Record<Ou, string>;
  /** member name -> account id */
  ids: Record<string, string>;
  instances: { instanceId: string; accountId: string; region: string }[];
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export async function seedOrganization<Ou extends string>(endpoint: string, spec: OrganizationSpec<Ou>, credentials?: Credentials): Promise<SeededOrganization<Ou>> {
  const organizations = new OrganizationsClient({ ...motoClientConfig(endpoint), ...(credentials && { credentials }) });
  const seeded: SeededOrganization<Ou> = { rootId: "", ouIds: {} as Record<Ou, string>, ids: {}, instances: [] };
  const parentId = (parent: Ou | "root") => (parent === "root" ? seeded.rootId : seeded.ouIds[parent]);
  const runInstances = async (accountId: string, perRegion: Record<string, number>, credentials: Credentials) => {
    for (const [region, count] of Object.entries(perRegion)) {
      const ec2 = new EC2Client({ ...motoClientConfig(endpoint, region), credentials });
      const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: count, MaxCount: count }));
      for (const instance of run.Instances!) seeded.instances.push({ instanceId: instance.InstanceId!, accountId, region });
      ec2.destroy();
    }
  };
  try {
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    seeded.rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    for (const [name, parent] of spec.ous) {
      seeded.ouIds[name] = (await organizations.send(new CreateOrganizationalUnitCommand({ Name: name, ParentId: parentId(parent) }))).OrganizationalUnit!.Id!;
    }
    for (const member of spec.members) {
      const accountId = (await organizations.send(new CreateAccountCommand({ AccountName: member.name, Email: `${member.name}@example.com` }))).CreateAccountStatus!.AccountId!;
      seeded.ids[member.name] = accountId;
      if (member.parent !== "root") await organizations.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: seeded.rootId, DestinationParentId: parentId(member.parent) }));
    }
    await Promise.all([
      runInstances(MANAGEMENT_ID, spec.managementInstances, credentials ?? motoClientConfig(endpoint).credentials),
      ...spec.members.map(async (member) => runInstances(seeded.ids[member.name]!, member.instances, await assumedCredentials(endpoint, memberRole(seeded.ids[member.name]!)))),
    ]);
    // closed after its instances are run: they stay in the account, which is never listed
    for (const member of spec.members) if (member.closed) await organizations.send(new CloseAccountCommand({ AccountId: seeded.ids[member.name] }));
    return seeded;
  } finally {
    organizations.destroy();
  }
}
