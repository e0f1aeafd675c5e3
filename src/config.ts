// Environment -> typed, validated configuration. A bad value stops the process with one line.
import { z } from "zod";

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const apiKeys = z
  .string()
  .transform((raw, ctx) => {
    const keys = new Map<string, string>(); // secret -> caller name
    for (const pair of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
      const colon = pair.indexOf(":");
      const name = pair.slice(0, colon);
      const secret = pair.slice(colon + 1);
      if (colon <= 0 || secret.length < 8 || !/^[\w.-]+$/.test(name)) {
        ctx.addIssue({ code: "custom", message: "expected comma-separated name:secret pairs, secrets of 8 characters or more" });
        return z.NEVER;
      }
      keys.set(secret, name);
    }
    if (keys.size === 0) {
      ctx.addIssue({ code: "custom", message: "set at least one name:secret pair, or leave it unset" });
      return z.NEVER;
    }
    return keys;
  });

const cursorStore = z.union([
  z.literal("memory"),
  z.string().regex(/^rediss?:\/\/[^\s/]+(:\d+)?(\/\d{1,2})?$/, "expected 'memory' or a redis://host:port/db URL"),
]);

const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "expected an AWS region such as us-east-1");

const configSchema = z
  .object({
    PORT: integer(0, 65535).default(4000),
    HOST: z.string().min(1).default("127.0.0.1"),
    AWS_REGION: region.default("us-east-1"),
    AWS_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
    CURSOR_STORE: cursorStore.default("memory"),
    CURSOR_TTL_SECONDS: integer(1, 7 * 24 * 3600).default(900),
    CURSOR_SIGNING_KEY: z.string().min(16).optional(),
    CURSOR_STORE_MAX_ENTRIES: integer(1, 100_000_000).default(250_000),
    CURSOR_STORE_MAX_BYTES: integer(1024, 2 ** 40).default(128 * 1024 * 1024),
    PAGE_BUFFER_MAX_BYTES: integer(0, 64 * 1024 * 1024).default(1024 * 1024),
    DEFAULT_PAGE_SIZE: integer(0, 100_000).default(50),
    MAX_PAGE_SIZE: integer(1, 100_000).default(1000),
    MAX_AWS_CALLS_PER_PAGE: integer(1, 10_000).default(50),
    AWS_MAX_ATTEMPTS: integer(1, 10).default(3),
    AWS_REQUEST_TIMEOUT_MS: integer(100, 300_000).default(15_000),
    AWS_CONNECT_TIMEOUT_MS: integer(100, 60_000).default(3_000),
    REDIS_TIMEOUT_MS: integer(50, 60_000).default(1_000),
    GATEWAY_API_KEYS: apiKeys.optional(),
    GRAPHIQL: flag.default(true),
    INTROSPECTION: flag.default(true),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    MAX_QUERY_DEPTH: integer(1, 100).default(12),
    MAX_QUERY_ALIASES: integer(1, 1000).default(30),
    MAX_QUERY_TOKENS: integer(10, 100_000).default(2000),
    MAX_QUERY_AWS_CALLS: integer(1, 1_000_000).default(500),
    MAX_QUERY_NODES: integer(1, 100_000_000).default(100_000),
  })
  .refine((c) => c.DEFAULT_PAGE_SIZE <= c.MAX_PAGE_SIZE, {
    message: "must not exceed MAX_PAGE_SIZE",
    path: ["DEFAULT_PAGE_SIZE"],
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads the configuration from an environment; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((key) => [key, env[key]?.trim()])
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "configuration");
    const shown = name in present && name !== "GATEWAY_API_KEYS" && name !== "CURSOR_SIGNING_KEY" ? ` (got "${present[name]}")` : "";
    throw new ConfigError(`invalid ${name}${shown}: ${issue.message}`);
  }
  return parsed.data;
}
