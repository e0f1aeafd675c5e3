import * as ec2 from "@aws-sdk/client-ec2";
import * as iam from "@aws-sdk/client-iam";
import * as s3 from "@aws-sdk/client-s3";
import * as sts from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { operationName } from "../../src/aws/operation-name.js";

type CommandClass = new (input: object) => object;

const commandsOf = (client: Record<string, unknown>) =>
  Object.entries(client).filter((entry): entry is [string, CommandClass] => /^[A-Z]\w*Command$/.test(entry[0]) && typeof entry[1] === "function");

describe("operation names", () => {
  // The build does not keep class names (a per-request cost), so the name must come from the schema.
  it("name every command of the clients the gateway uses by its operation, as its class is named", () => {
    for (const client of [ec2, iam, s3, sts]) {
      const commands = commandsOf(client);
      expect(commands.length).toBeGreaterThan(10);
      for (const [className, Command] of commands) expect(operationName(new Command({}))).toBe(className.replace(/Command$/, ""));
    }
  });

  it("read a command without an operation schema from its class name", () => {
    class ListThingsCommand {}
    expect(operationName(new ListThingsCommand())).toBe("ListThings");
  });

  it("hold when the class name is not the command's", () => {
    const Renamed = { [`a`]: class extends ec2.DescribeInstancesCommand {} }.a;
    expect(Renamed.name).toBe("a");
    expect(operationName(new Renamed({}))).toBe("DescribeInstances");
  });
});
