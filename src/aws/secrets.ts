// Secrets AWS hands back in answers the gateway reads: taken out of the answer as it arrives, so
// that no field, held page, cached answer (in Redis too) or log line can ever carry them.

type Answer = Record<string, unknown>;

/** Lambda environment variables: their names stay (the schema serves them), their values go. */
function withoutVariableValues(configuration: unknown): void {
  const variables = (configuration as { Environment?: { Variables?: Record<string, string> } } | undefined)?.Environment?.Variables;
  if (variables) for (const name of Object.keys(variables)) variables[name] = "";
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

const SCRUBS: Record<string, (answer: Answer) => void> = {
  "lambda ListFunctions": (answer) => (answer.Functions as unknown[] | undefined)?.forEach(withoutVariableValues),
  "lambda GetFunction": (answer) => withoutVariableValues(answer.Configuration),
  "lambda GetFunctionConfiguration": (answer) => withoutVariableValues(answer),
  "sns ListSubscriptionsByTopic": (answer) =>
    (answer.Subscriptions as { Endpoint?: string }[] | undefined)?.forEach((subscription) => (subscription.Endpoint = endpointOrigin(subscription.Endpoint))),
  "sns ListSubscriptions": (answer) =>
    (answer.Subscriptions as { Endpoint?: string }[] | undefined)?.forEach((subscription) => (subscription.Endpoint = endpointOrigin(subscription.Endpoint))),
};

/** The answer without the secrets its operation is known to carry (changed in place, and returned). */
export function withoutSecrets<Output>(service: string, operation: string, output: Output): Output {
  SCRUBS[`${service} ${operation}`]?.(output as Answer);
  return output;
}
