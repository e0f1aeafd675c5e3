// Tests start moto_server the way the demo does, and act in its other accounts as the gateway would.
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { motoClientConfig as clientConfig } from "../../demo/moto.js";

export { freePort, motoClientConfig, startMoto, type Moto } from "../../demo/moto.js";

/** Credentials that act in another account of the emulator: the account's role assumed with STS. */
export async function assumedCredentials(endpoint: string, roleArn: string): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> {
  const sts = new STSClient(clientConfig(endpoint));
  try {
    const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "seed" }))).Credentials!;
    return { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken };
  } finally {
    sts.destroy();
  }
}
