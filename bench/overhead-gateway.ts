// The gateway of the overhead bench: src/main.ts, bundled as `npm run build` bundles it, with EC2's
// DescribeInstances answered from memory by the SDK client's own `send`, so that a page costs the
// gateway's work and none of AWS's or the SDK's (serializing, signing, HTTP, parsing XML).
import { DescribeInstancesCommand, EC2Client, type DescribeInstancesCommandOutput } from "@aws-sdk/client-ec2";

const page: DescribeInstancesCommandOutput = {
  Reservations: [
    {
      Instances: Array.from({ length: 100 }, (_, i) => ({
        InstanceId: `i-${(0x1000 + i).toString(16).padStart(17, "0")}`,
        State: { Name: "running" as const },
        InstanceType: "t3.micro" as const,
      })),
    },
  ],
  NextToken: "next-page-token-0123456789abcdef",
  $metadata: { attempts: 1 },
};

EC2Client.prototype.send = async function send(command: unknown) {
  if (command instanceof DescribeInstancesCommand) return page;
  throw new Error("only DescribeInstances is answered here");
} as typeof EC2Client.prototype.send;

// After the patch: the server must find it in place from its first request on.
await import("../src/main.js");
