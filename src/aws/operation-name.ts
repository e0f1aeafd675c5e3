// The AWS operation an SDK command calls, as metrics, traces and `extensions.aws` name it.

const names = new WeakMap<object, string>();

/**
 * "DescribeInstances" for a DescribeInstancesCommand: read from the operation schema the SDK gives
 * every command (`[9, namespace, name, …]`), so that it holds whatever the build makes of class
 * names; from the class name for a command without one. Worked out once per command class.
 */
export function operationName(command: object): string {
  const type = command.constructor;
  let name = names.get(type);
  if (name === undefined) {
    const schema = (command as { schema?: unknown }).schema;
    name = Array.isArray(schema) && schema[0] === 9 && typeof schema[2] === "string" ? schema[2] : type.name.replace(/Command$/, "");
    names.set(type, name);
  }
  return name;
}
