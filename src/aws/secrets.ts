// Secrets AWS hands back in answers the gateway reads: taken out of the answer as it arrives, so
// that no field, held page, cached answer (in Redis too) or log line can ever carry them.

type Members = Record<string, unknown>;

const isMembers = (value: unknown): value is Members => typeof value === "object" && value !== null && !Array.isArray(value);

/** The objects of an answer's list member. */
const membersOf = (list: unknown): Members[] => (Array.isArray(list) ? list.filter(isMembers) : []);

/** Lambda environment variables: their names stay (the schema serves them), their values go. */
function withoutVariableValues(configuration: unknown): void {
  const environment = isMembers(configuration) ? configuration.Environment : undefined;
  const variables = isMembers(environment) ? environment.Variables : undefined;
  if (isMembers(variables)) for (const name of Object.keys(variables)) variables[name] = "";
}

/** An HTTP(S) endpoint as its origin alone: SNS documents basic-auth passwords and tokens in them. */
export function endpointOrigin(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined || !/^https?:/i.test(endpoint)) return endpoint;
  try {
    return new URL(endpoint).origin;
  } catch {
    return undefined;
  }
}

function withEndpointOrigins(answer: Members): void {
  for (const subscription of membersOf(answer.Subscriptions)) {
    if (typeof subscription.Endpoint === "string") subscription.Endpoint = endpointOrigin(subscription.Endpoint);
  }
}

const SCRUBS: Record<string, (answer: Members) => void> = {
  "lambda ListFunctions": (answer) => membersOf(answer.Functions).forEach(withoutVariableValues),
  "lambda GetFunction": (answer) => withoutVariableValues(answer.Configuration),
  "lambda GetFunctionConfiguration": withoutVariableValues,
  "sns ListSubscriptionsByTopic": withEndpointOrigins,
  "sns ListSubscriptions": withEndpointOrigins,
};

/** The answer without the secrets its operation is known to carry (changed in place, and returned). */
export function withoutSecrets<Output>(service: string, operation: string, output: Output): Output {
  if (isMembers(output)) SCRUBS[`${service} ${operation}`]?.(output);
  return output;
}
