// Environment -> typed, validated configuration. A bad value stops the process with one line.
import { createHash } from "node:crypto";
import { accessSync, constants as fsConstants, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { MIN_MEMORY_LIMIT_MB, readContainerLimit, sizeForLimit, type MemorySizing } from "./memory-limit.js";

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

/** The account budget: calls a second per service the gateway calls, sustained, and the largest burst. */
export const DEFAULT_CALL_RATES = {
  ec2: 10,
  iam: 5,
  s3: 50,
  sts: 5,
  lambda: 15,
  rds: 10,
  dynamodb: 100,
  ecs: 20,
  eks: 10,
  ecr: 10,
  route53: 5,
  cloudwatch: 9,
  cloudformation: 5,
  kms: 100,
  sns: 30,
  sqs: 50,
  tagging: 5,
  organizations: 5,
};
export type CallRates = typeof DEFAULT_CALL_RATES;

const isCalledService = (name: string): name is keyof CallRates => Object.hasOwn(DEFAULT_CALL_RATES, name);

/** AWS_CALLS_PER_SECOND: `ec2=10,iam=5`; services not named keep their default. */
const callRates = z.string().transform((raw, ctx) => {
  const rates = { ...DEFAULT_CALL_RATES };
  for (const pair of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z0-9]+)=(\d+(\.\d+)?)$/.exec(pair);
    const rate = match ? Number(match[2]) : NaN;
    const service = match?.[1];
    if (!service || !isCalledService(service) || !(rate > 0) || rate > 100_000) {
      ctx.addIssue({ code: "custom", message: `expected service=calls per second (${Object.keys(rates).join(", ")}; above 0), comma-separated: "${pair.slice(0, 40)}"` });
      return z.NEVER;
    }
    rates[service] = rate;
  }
  return rates;
});

const cursorStore = z.union([
  z.literal("memory"),
  z.string().regex(/^rediss?:\/\/[^\s/]+(:\d+)?(\/\d{1,2})?$/, "expected 'memory', a redis://host:port/db URL or redis-cluster://host:port,host:port"),
  z.string().regex(/^redis-cluster:\/\/[^\s/:,]+:\d+(,[^\s/:,]+:\d+)*$/, "expected 'memory', a redis://host:port/db URL or redis-cluster://host:port,host:port"),
]);

export const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/[\w+=,.@\/-]{1,512}$/;

export interface ConfiguredAccount {
  name: string;
  roleArn: string;
  accountId: string;
  externalId?: string;
}

/** What STS takes as an external id. */
const EXTERNAL_ID = /^[\w+=,.@:\/-]{2,1224}$/;

/** AWS_ACCOUNTS: `name=arn:aws:iam::111111111111:role/Reader,name2=...|externalId`, in configuration order. */
const accounts = z.string().transform((raw, ctx) => {
  const configured: ConfiguredAccount[] = [];
  for (const entry of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
    const equals = entry.indexOf("=");
    const name = entry.slice(0, equals);
    const [roleArn = "", externalId, ...rest] = entry.slice(equals + 1).split("|");
    const accountId = ROLE_ARN.exec(roleArn)?.[1];
    const problem =
      equals <= 0 || !ACCOUNT_NAME.test(name) ? `"${entry.slice(0, 40)}" is not name=roleArn (names: letters, digits, - and _)`
      : name === "default" ? "\"default\" names the gateway's own credentials; pick another name"
      : configured.some((a) => a.name === name) ? `account "${name}" is named twice`
      : !accountId ? `"${name}" needs a role ARN such as arn:aws:iam::111111111111:role/Reader`
      : rest.length > 0 || externalId === "" || (externalId !== undefined && !EXTERNAL_ID.test(externalId)) ? `"${name}" has a malformed external id`
      : undefined;
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    configured.push({ name, roleArn, accountId: accountId!, externalId });
  }
  return configured;
});

/** AWS_ORGANIZATION_ROLE: `RoleName` or `RoleName|externalId`, the role the gateway assumes in each member account. */
const organizationRole = z.string().transform((raw, ctx) => {
  const [roleName = "", externalId, ...rest] = raw.split("|");
  const problem =
    !/^[\w+=,.@-]{1,64}$/.test(roleName) ? "expected a role name such as AwsgqlReader (not an ARN), optionally followed by |externalId"
    : rest.length > 0 || externalId === "" || (externalId !== undefined && !EXTERNAL_ID.test(externalId)) ? "the external id is malformed"
    : undefined;
  if (problem) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return { roleName, externalId };
});
export type OrganizationRole = z.infer<typeof organizationRole>;

/** AUDIT_LOG: a file the gateway may append to (made if missing), checked here so a bad path stops it at start. */
const auditLogPath = z.string().superRefine((path, ctx) => {
  const problem = (() => {
    try {
      const existing = statSync(path, { throwIfNoEntry: false });
      if (existing?.isDirectory()) return "it is a directory; name a file";
      accessSync(existing ? path : dirname(path), fsConstants.W_OK);
      if (!existing && !statSync(dirname(path)).isDirectory()) return "its directory is not a directory";
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === "ENOENT" || code === "ENOTDIR" ? "its directory does not exist" : `the file cannot be opened to append (${code ?? "error"})`;
    }
  })();
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * TRUSTED_DOCUMENTS_FILE: a JSON object from document id (`sha256:<hex>` or the hex alone) to
 * document text, as GraphQL Codegen's client preset (persisted-documents.json) and Relay write it.
 * Every id must be the SHA-256 of its text. Read once, at start: id (hex) -> text.
 */
const trustedDocuments = z.string().transform((path, ctx) => {
  const refuse = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    return refuse(error instanceof SyntaxError ? "the file is not JSON" : `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    return refuse("expected a JSON object from document id to document text, such as GraphQL Codegen's persisted-documents.json");
  }
  const documents = new Map<string, string>();
  for (const [id, text] of Object.entries(manifest)) {
    const shown = JSON.stringify(id.slice(0, 80));
    const hex = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(id)?.[1]?.toLowerCase();
    if (!hex) return refuse(`${shown} is not a document id: expected sha256:<hex> or the 64 hex digits alone`);
    if (typeof text !== "string") return refuse(`document ${shown} is not text`);
    if (createHash("sha256").update(text, "utf8").digest("hex") !== hex) return refuse(`document ${shown} is not the SHA-256 of its text`);
    if (documents.has(hex)) return refuse(`document ${shown} is listed twice`);
    documents.set(hex, text);
  }
  return { path, documents };
});


/** One entry of the policy file: what a caller (or a group) may read; a dimension left out allows everything in it. */
const policyEntry = z
  .object({
    accounts: z.array(z.string().regex(/^(\*|\d{12}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}|[A-Za-z0-9_-]{1,64})$/, "expected an account name, a 12-digit id, an ou-/r- id or \"*\"")).optional(),
    regions: z.array(z.string().regex(/^[a-z0-9*-]{1,40}$/, "expected a region name or pattern such as \"eu-*\"")).optional(),
    services: z.array(z.enum(Object.keys(DEFAULT_CALL_RATES) as [keyof CallRates, ...(keyof CallRates)[]])).optional(),
    explore: z.boolean().optional(),
  })
  .strict();
export type PolicyEntry = z.infer<typeof policyEntry>;
const policyDocument = z.object({ callers: z.record(z.string(), policyEntry).optional(), groups: z.record(z.string(), policyEntry).optional() }).strict();

/**
 * GATEWAY_POLICY_FILE: who may see what, `{ callers?: {name: Entry}, groups?: {name: Entry} }`.
 * Read once, at start; account names are checked against AWS_ACCOUNTS below.
 */
const policyFile = z.string().transform((path, ctx) => {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof SyntaxError ? "the file is not JSON" : `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` });
    return z.NEVER;
  }
  const parsed = policyDocument.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    ctx.addIssue({ code: "custom", message: `${issue.path.length ? issue.path.join(".") : "the file"}: ${issue.message}` });
    return z.NEVER;
  }
  return { path, callers: parsed.data.callers ?? {}, groups: parsed.data.groups ?? {} };
});
export type PolicyFile = z.infer<typeof policyFile>;

const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "expected an AWS region such as us-east-1");

const configSchema = z
  .object({
    PORT: integer(0, 65535).default(4000),
    MAX_REQUEST_BYTES: integer(1024, 1024 ** 3).default(1024 * 1024),
    HOST: z.string().min(1).default("127.0.0.1"),
    AWS_REGION: region.default("us-east-1"),
    AWS_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
    AWS_ACCOUNTS: accounts.default([]),
    AWS_ORGANIZATION_ROLE: organizationRole.optional(),
    AWS_ORGANIZATION_CACHE_SECONDS: integer(0, 86_400).default(600),
    // Sources of one page read at once. The account budget bounds each account, region and service;
    // this only caps sockets to one endpoint and first pages held in memory.
    AWS_FANOUT_CONCURRENCY: integer(1, 1024).default(64),
    AWS_CACHE_SECONDS: integer(0, 3600).default(15),
    CURSOR_STORE: cursorStore.default("memory"),
    CURSOR_TTL_SECONDS: integer(1, 7 * 24 * 3600).default(900),
    CURSOR_SIGNING_KEY: z.string().min(16).optional(),
    CURSOR_STORE_MAX_ENTRIES: integer(1, 100_000_000).default(250_000),
    CURSOR_STORE_MAX_BYTES: integer(1024, 2 ** 40).default(128 * 1024 * 1024),
    MEMORY_LIMIT_MB: z.coerce
      .number()
      .int("expected a whole number of MB")
      .min(MIN_MEMORY_LIMIT_MB, `expected at least ${MIN_MEMORY_LIMIT_MB} MB: the gateway idles at about 115 MB`)
      .max(16 * 1024 * 1024)
      .optional(),
    PAGE_BUFFER_MAX_BYTES: integer(0, 64 * 1024 * 1024).default(1024 * 1024),
    DEFAULT_PAGE_SIZE: integer(0, 100_000).default(50),
    MAX_PAGE_SIZE: integer(1, 100_000).default(1000),
    MAX_AWS_CALLS_PER_PAGE: integer(1, 10_000).default(50),
    AWS_MAX_ATTEMPTS: integer(1, 10).default(3),
    AWS_REQUEST_TIMEOUT_MS: integer(100, 300_000).default(15_000),
    AWS_CONNECT_TIMEOUT_MS: integer(100, 60_000).default(3_000),
    REDIS_TIMEOUT_MS: integer(50, 60_000).default(1_000),
    GATEWAY_API_KEYS: apiKeys.optional(),
    // OpenID Connect tokens: all three, or none (checked below)
    GATEWAY_JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    GATEWAY_JWT_ISSUER: z.string().min(1).optional(),
    GATEWAY_JWT_AUDIENCE: z.string().min(1).optional(),
    GATEWAY_JWT_CALLER_CLAIM: z.string().min(1).default("sub"),
    GATEWAY_JWT_GROUPS_CLAIM: z.string().min(1).default("groups"),
    GRAPHIQL: flag.default(true),
    INTROSPECTION: flag.default(true),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    MAX_QUERY_DEPTH: integer(1, 100).default(12),
    MAX_QUERY_ALIASES: integer(1, 1000).default(30),
    MAX_QUERY_TOKENS: integer(10, 100_000).default(2000),
    MAX_QUERY_AWS_CALLS: integer(1, 1_000_000).default(500),
    MAX_QUERY_NODES: integer(1, 100_000_000).default(100_000),
    MAX_COUNT_AWS_CALLS: integer(1, 10_000).default(20),
    AWS_CALLS_PER_SECOND: callRates.default(DEFAULT_CALL_RATES),
    AWS_BUDGET_WAIT_MS: integer(0, 60_000).default(2000),
    CALLER_AWS_CALLS_PER_HOUR: integer(1, 1_000_000_000).default(5000),
    CALLER_BUDGET_WINDOW_SECONDS: integer(1, 7 * 24 * 3600).default(3600),
    TRUSTED_DOCUMENTS_FILE: trustedDocuments.optional(),
    TRUSTED_DOCUMENTS_ONLY: flag.default(false),
    GATEWAY_POLICY_FILE: policyFile.optional(),
    AUDIT_LOG: auditLogPath.optional(),
  })
  .refine((c) => c.DEFAULT_PAGE_SIZE <= c.MAX_PAGE_SIZE, {
    message: "must not exceed MAX_PAGE_SIZE",
    path: ["DEFAULT_PAGE_SIZE"],
  })
  .refine((c) => !c.TRUSTED_DOCUMENTS_ONLY || c.TRUSTED_DOCUMENTS_FILE !== undefined, {
    message: "needs TRUSTED_DOCUMENTS_FILE, the trusted documents to allow",
    path: ["TRUSTED_DOCUMENTS_ONLY"],
  })
  .superRefine((c, ctx) => {
    // The policy names accounts of AWS_ACCOUNTS (or "default", an id, "*", and with an organization
    // an OU or root id). Never an Organizations name: a member account may rename itself, and
    // would then widen a scope.
    const named = new Set(["default", ...c.AWS_ACCOUNTS.map((a) => a.name)]);
    for (const [kind, entries] of Object.entries({ callers: c.GATEWAY_POLICY_FILE?.callers ?? {}, groups: c.GATEWAY_POLICY_FILE?.groups ?? {} })) {
      for (const [who, entry] of Object.entries(entries)) {
        const unknown = entry.accounts?.find((a) => a !== "*" && !/^(\d{12}|ou-.*|r-.*)$/.test(a) && !named.has(a));
        const parent = c.AWS_ORGANIZATION_ROLE ? undefined : entry.accounts?.find((a) => /^(ou-.*|r-.*)$/.test(a));
        const problem =
          unknown !== undefined ? `"${unknown}" is not "default" nor an account of AWS_ACCOUNTS (name an organization's accounts by id or OU)`
          : parent !== undefined ? `"${parent}" is an organizational unit or root, which needs AWS_ORGANIZATION_ROLE`
          : undefined;
        if (problem) {
          ctx.addIssue({ code: "custom", message: `${kind}.${who}.accounts: ${problem}`, path: ["GATEWAY_POLICY_FILE"] });
          return;
        }
      }
    }
  })
  .superRefine((c, ctx) => {
    const jwt = ["GATEWAY_JWT_JWKS_URL", "GATEWAY_JWT_ISSUER", "GATEWAY_JWT_AUDIENCE"] as const;
    const missing = jwt.filter((name) => c[name] === undefined);
    if (missing.length > 0 && missing.length < jwt.length) {
      ctx.addIssue({ code: "custom", message: `set ${jwt.join(", ")} together, or none of them`, path: [missing[0]!] });
    }
  });

export type Config = z.infer<typeof configSchema> & {
  /** MEMORY_LIMIT_MB or the container's limit, and what it sets: V8's heap cap, the store's bound */
  memory: MemorySizing;
};

export class ConfigError extends Error {}

/** Reads the configuration from an environment; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env, options: { cgroupRoot?: string } = {}): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((key) => [key, env[key]?.trim()])
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "configuration");
    const shown = name in present && !["GATEWAY_API_KEYS", "CURSOR_SIGNING_KEY", "AWS_ACCOUNTS", "AWS_ORGANIZATION_ROLE"].includes(name) ? ` (got "${present[name]}")` : "";
    throw new ConfigError(`invalid ${name}${shown}: ${issue.message}`);
  }
  const memory = sizeMemory(parsed.data, "CURSOR_STORE_MAX_BYTES" in present, options.cgroupRoot);
  return { ...parsed.data, CURSOR_STORE_MAX_BYTES: memory.storeMaxBytes, memory };
}

/** MEMORY_LIMIT_MB, else the container's limit, sizes the heap and the store; without either, as before. */
function sizeMemory(config: z.infer<typeof configSchema>, storeBoundSet: boolean, cgroupRoot?: string): MemorySizing {
  const container = config.MEMORY_LIMIT_MB === undefined ? readContainerLimit(cgroupRoot) : undefined;
  if (container && container.limitMb < MIN_MEMORY_LIMIT_MB) {
    throw new ConfigError(
      `invalid MEMORY_LIMIT_MB: the container's memory limit is ${container.limitMb} MB (${container.file}), below the ${MIN_MEMORY_LIMIT_MB} MB a replica needs; give it more memory or set MEMORY_LIMIT_MB`,
    );
  }
  const limitMb = config.MEMORY_LIMIT_MB ?? container?.limitMb;
  const storeMaxSource = storeBoundSet ? "CURSOR_STORE_MAX_BYTES" : "default";
  if (limitMb === undefined) return { storeMaxBytes: config.CURSOR_STORE_MAX_BYTES, storeMaxSource };
  const limitSource = config.MEMORY_LIMIT_MB !== undefined ? "MEMORY_LIMIT_MB" : container!.source;
  const sized = sizeForLimit(limitMb);
  if (storeBoundSet && config.CURSOR_STORE === "memory" && config.CURSOR_STORE_MAX_BYTES > sized.storeMaxBytes) {
    const limit = limitSource === "MEMORY_LIMIT_MB" ? `MEMORY_LIMIT_MB=${limitMb}` : `the container's memory limit (${limitMb} MB, ${container!.file})`;
    throw new ConfigError(
      `invalid CURSOR_STORE_MAX_BYTES (got "${config.CURSOR_STORE_MAX_BYTES}"): ${limit} leaves the store at most ${sized.storeMaxBytes} bytes (half of V8's ${sized.heapCapMb} MB heap); lower it or raise the limit`,
    );
  }
  return {
    limitMb,
    limitSource,
    heapCapMb: sized.heapCapMb,
    semiSpaceMb: sized.semiSpaceMb,
    storeMaxBytes: storeBoundSet ? config.CURSOR_STORE_MAX_BYTES : sized.storeMaxBytes,
    storeMaxSource: storeBoundSet ? "CURSOR_STORE_MAX_BYTES" : "MEMORY_LIMIT_MB",
    storeMaxAllowedBytes: sized.storeMaxBytes,
  };
}
