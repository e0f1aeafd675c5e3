// Seeds KMS: customer managed keys of several usages and specs (symmetric, RSA and ECC signing,
// HMAC, multi-Region), some disabled, some pending deletion, most with one or more aliases and tags.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
  type KeySpec,
  type KeyUsageType,
} from "@aws-sdk/client-kms";
import { clientConfig, teams, type AwsTarget, type Progress } from "../seed.js";

export interface KmsSeedPlan {
  regions: string[];
  /** keys per region */
  keys: number;
}

export interface KmsSeedKey {
  keyId: string;
  keyArn: string;
  keyState: "Enabled" | "Disabled" | "PendingDeletion";
  aliases: string[];
}

export interface KmsSeeded {
  /** per region, in creation order */
  keys: Record<string, KmsSeedKey[]>;
}


const purposes = ["s3-bucket", "rds", "ebs", "secrets", "logs", "jwt-signing", "webhook-mac"];
const kinds: { usage: KeyUsageType; spec: KeySpec }[] = [
  { usage: "ENCRYPT_DECRYPT", spec: "SYMMETRIC_DEFAULT" },
  { usage: "ENCRYPT_DECRYPT", spec: "SYMMETRIC_DEFAULT" },
  { usage: "SIGN_VERIFY", spec: "RSA_2048" },
  { usage: "ENCRYPT_DECRYPT", spec: "SYMMETRIC_DEFAULT" },
  { usage: "SIGN_VERIFY", spec: "ECC_NIST_P256" },
  { usage: "GENERATE_VERIFY_MAC", spec: "HMAC_256" },
  { usage: "ENCRYPT_DECRYPT", spec: "RSA_2048" },
];

export async function seedKms(target: AwsTarget, plan: KmsSeedPlan, progress: Progress = () => {}): Promise<KmsSeeded> {
  const seeded: KmsSeeded = { keys: {} };
  for (const region of plan.regions) {
    const kms = new KMSClient(clientConfig(target, region));
    const made: KmsSeedKey[] = [];
    for (let k = 0; k < plan.keys; k += 1) {
      const team = teams[k % teams.length]!;
      const purpose = purposes[k % purposes.length]!;
      const kind = kinds[k % kinds.length]!;
      const created = await kms.send(
        new CreateKeyCommand({
          // some keys have no description, as many do
          Description: k % 6 === 5 ? undefined : `${team} ${purpose} key ${k}`,
          KeyUsage: kind.usage,
          KeySpec: kind.spec,
          MultiRegion: k % 9 === 8 && kind.spec === "SYMMETRIC_DEFAULT",
          Tags: [
            { TagKey: "team", TagValue: team },
            { TagKey: "env", TagValue: ["prod", "staging", "dev"][k % 3]! },
          ],
        }),
      );
      const keyId = created.KeyMetadata!.KeyId!;
      const keyArn = created.KeyMetadata!.Arn!;
      // no alias (one key in four), one, or two (a second name kept while callers migrate)
      const aliases = k % 4 === 2 ? [] : k % 5 === 0 ? [`alias/${team}/${purpose}-${k}`, `alias/legacy-${purpose}-${k}`] : [`alias/${team}/${purpose}-${k}`];
      for (const AliasName of aliases) await kms.send(new CreateAliasCommand({ AliasName, TargetKeyId: keyId }));
      let keyState: KmsSeedKey["keyState"] = "Enabled";
      if (k % 7 === 3) {
        await kms.send(new DisableKeyCommand({ KeyId: keyId }));
        keyState = "Disabled";
      } else if (k % 11 === 6) {
        await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 + (k % 24) }));
        keyState = "PendingDeletion";
      }
      made.push({ keyId, keyArn, keyState, aliases });
    }
    seeded.keys[region] = made;
    const count = (state: string) => made.filter((key) => key.keyState === state).length;
    progress(`KMS ${region}: ${made.length} keys (${count("Disabled")} disabled, ${count("PendingDeletion")} pending deletion)`);
    kms.destroy();
  }
  return seeded;
}
