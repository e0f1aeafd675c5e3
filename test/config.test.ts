import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CALL_RATES, loadConfig } from "../src/config.js";

describe("configuration", () => {
  it("has the contract's defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 4000,
      HOST: "127.0.0.1",
      AWS_REGION: "us-east-1",
      CURSOR_STORE: "memory",
      CURSOR_TTL_SECONDS: 900,
      DEFAULT_PAGE_SIZE: 50,
      MAX_PAGE_SIZE: 1000,
      AWS_FANOUT_CONCURRENCY: 64,
      AWS_CACHE_SECONDS: 15,
      MAX_COUNT_AWS_CALLS: 20,
      AWS_CALLS_PER_SECOND: DEFAULT_CALL_RATES,
      AWS_BUDGET_WAIT_MS: 2000,
      CALLER_AWS_CALLS_PER_HOUR: 5000,
      CALLER_BUDGET_WINDOW_SECONDS: 3600,
    });
    expect(config.GATEWAY_API_KEYS).toBeUndefined();
  });

  it("reads AWS_CALLS_PER_SECOND per service, the services not named at their defaults, and a Redis Cluster's nodes", () => {
    expect(loadConfig({ AWS_CALLS_PER_SECOND: "ec2=20, s3=0.5, route53=2" }).AWS_CALLS_PER_SECOND).toEqual({ ...DEFAULT_CALL_RATES, ec2: 20, s3: 0.5, route53: 2 });
    // every service has a default at or below AWS's documented rate (README, Budgets); Route 53's is 5 a second per account
    expect(DEFAULT_CALL_RATES).toMatchObject({ route53: 5, cloudwatch: 9, ecs: 20 });
    expect(Object.keys(DEFAULT_CALL_RATES).sort()).toEqual(
      ["cloudformation", "cloudwatch", "dynamodb", "ec2", "ecr", "ecs", "eks", "iam", "kms", "lambda", "organizations", "rds", "route53", "s3", "sns", "sqs", "sts", "tagging"],
    );
    expect(loadConfig({ CURSOR_STORE: "redis-cluster://10.0.0.1:6379,cache-2.internal:7000" }).CURSOR_STORE).toBe("redis-cluster://10.0.0.1:6379,cache-2.internal:7000");
  });

  it.each([
    ["PORT", "http"],
    ["PORT", "70000"],
    ["AWS_REGION", "mars"],
    ["AWS_ENDPOINT_URL", "not a url"],
    ["CURSOR_STORE", "postgres://x"],
    ["CURSOR_TTL_SECONDS", "-1"],
    ["DEFAULT_PAGE_SIZE", "2000"],
    ["MAX_PAGE_SIZE", "0"],
    ["GATEWAY_API_KEYS", "nocolon"],
    ["GATEWAY_API_KEYS", "dash:short"],
    ["AWS_ACCOUNTS", "prod"],
    ["AWS_ACCOUNTS", "prod=arn:aws:iam::1111:role/Reader"],
    ["AWS_ACCOUNTS", "default=arn:aws:iam::111111111111:role/Reader"],
    ["AWS_ACCOUNTS", "a=arn:aws:iam::111111111111:role/R,a=arn:aws:iam::222222222222:role/R"],
    ["AWS_ACCOUNTS", "bad name=arn:aws:iam::111111111111:role/R"],
    ["AWS_ACCOUNTS", "prod=arn:aws:iam::111111111111:role/R|"],
    ["AWS_FANOUT_CONCURRENCY", "0"],
    ["AWS_FANOUT_CONCURRENCY", "1025"],
    ["AWS_CALLS_PER_SECOND", "ec2"],
    ["AWS_CALLS_PER_SECOND", "ec2=0"],
    ["AWS_CALLS_PER_SECOND", "glacier=5"],
    ["AWS_CALLS_PER_SECOND", "ec2=-1,iam=5"],
    ["AWS_BUDGET_WAIT_MS", "soon"],
    ["CALLER_AWS_CALLS_PER_HOUR", "0"],
    ["CURSOR_STORE", "redis-cluster://"],
    ["CURSOR_STORE", "redis-cluster://host-without-port"],
    ["TRUSTED_DOCUMENTS_FILE", "/nonexistent/persisted-documents.json"],
    ["TRUSTED_DOCUMENTS_ONLY", "true"],
    ["TRUSTED_DOCUMENTS_ONLY", "yes"],
  ])("refuses %s=%s with one line naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(new RegExp(`^invalid ${name}`));
  });

  it("reads AWS_ACCOUNTS in configuration order, with the account id from each role ARN and optional external ids", () => {
    const config = loadConfig({ AWS_ACCOUNTS: "prod=arn:aws:iam::111111111111:role/Reader, stage=arn:aws:iam::222222222222:role/team/Reader|ext-1" });
    expect(config.AWS_ACCOUNTS).toEqual([
      { name: "prod", roleArn: "arn:aws:iam::111111111111:role/Reader", accountId: "111111111111", externalId: undefined },
      { name: "stage", roleArn: "arn:aws:iam::222222222222:role/team/Reader", accountId: "222222222222", externalId: "ext-1" },
    ]);
    expect(loadConfig({}).AWS_ACCOUNTS).toEqual([]);
    expect(loadConfig({}).AWS_FANOUT_CONCURRENCY).toBe(64);
  });

  it("reads API keys as secret -> caller name", () => {
    const config = loadConfig({ GATEWAY_API_KEYS: "dash:s3cr3t-dash, ops:s3cr3t-ops" });
    expect(config.GATEWAY_API_KEYS?.get("s3cr3t-ops")).toBe("ops");
  });

  it("reads OpenID Connect settings as all three or none, with sub and groups as the default claims", () => {
    const oidc = { GATEWAY_JWT_JWKS_URL: "https://idp.example.test/jwks.json", GATEWAY_JWT_ISSUER: "https://idp.example.test", GATEWAY_JWT_AUDIENCE: "awsgql" };
    expect(loadConfig(oidc)).toMatchObject({ ...oidc, GATEWAY_JWT_CALLER_CLAIM: "sub", GATEWAY_JWT_GROUPS_CLAIM: "groups" });
    expect(loadConfig({ ...oidc, GATEWAY_JWT_CALLER_CLAIM: "email", GATEWAY_JWT_GROUPS_CLAIM: "roles" })).toMatchObject({ GATEWAY_JWT_CALLER_CLAIM: "email", GATEWAY_JWT_GROUPS_CLAIM: "roles" });
    expect(loadConfig({}).GATEWAY_JWT_JWKS_URL).toBeUndefined();
    // a partial set names the first one missing, in one line
    expect(() => loadConfig({ GATEWAY_JWT_JWKS_URL: oidc.GATEWAY_JWT_JWKS_URL })).toThrowError(/^invalid GATEWAY_JWT_ISSUER: set GATEWAY_JWT_JWKS_URL, GATEWAY_JWT_ISSUER, GATEWAY_JWT_AUDIENCE together, or none of them$/);
    expect(() => loadConfig({ GATEWAY_JWT_ISSUER: oidc.GATEWAY_JWT_ISSUER, GATEWAY_JWT_AUDIENCE: "awsgql" })).toThrowError(/^invalid GATEWAY_JWT_JWKS_URL: .*together, or none of them$/);
    expect(() => loadConfig({ GATEWAY_JWT_JWKS_URL: oidc.GATEWAY_JWT_JWKS_URL, GATEWAY_JWT_ISSUER: oidc.GATEWAY_JWT_ISSUER })).toThrowError(/^invalid GATEWAY_JWT_AUDIENCE: /);
    expect(() => loadConfig({ ...oidc, GATEWAY_JWT_JWKS_URL: "ftp://idp.example.test/jwks.json" })).toThrowError(/^invalid GATEWAY_JWT_JWKS_URL \(got "ftp:/);
  });

  it("never echoes a secret in its error", () => {
    expect(() => loadConfig({ GATEWAY_API_KEYS: "x:short" })).toThrowError(/^invalid GATEWAY_API_KEYS: (?!.*short)/);
  });

  it("stops npm start with one clear line and no stack trace on a bad value", () => {
    let stderr = "";
    let status = 0;
    try {
      execFileSync(process.execPath, ["--import", "tsx", "src/main.ts"], { env: { ...process.env, PORT: "http" }, stdio: "pipe", timeout: 30_000 });
    } catch (error) {
      const failed = error as { stderr: Buffer; status: number };
      stderr = failed.stderr.toString();
      status = failed.status;
    }
    expect(status).toBe(2);
    const lines = stderr.split("\n").filter((line) => line.trim() && !/npm warn/i.test(line));
    expect(lines).toEqual([expect.stringMatching(/^awsgql: invalid PORT \(got "http"\)/)]);
  });
});

describe("AWS_ORGANIZATION_ROLE and AWS_ORGANIZATION_CACHE_SECONDS", () => {
  it("take a role name, optionally with |externalId, and whole seconds up to a day", () => {
    expect(loadConfig({}).AWS_ORGANIZATION_CACHE_SECONDS).toBe(600);
    expect(loadConfig({ AWS_ORGANIZATION_CACHE_SECONDS: "0" }).AWS_ORGANIZATION_CACHE_SECONDS).toBe(0);
    expect(loadConfig({ AWS_ORGANIZATION_CACHE_SECONDS: "86400" }).AWS_ORGANIZATION_CACHE_SECONDS).toBe(86_400);
    expect(() => loadConfig({ AWS_ORGANIZATION_ROLE: "OrganizationAccountAccessRole" })).not.toThrow();
    expect(() => loadConfig({ AWS_ORGANIZATION_ROLE: "AwsgqlReader|ext-id-1" })).not.toThrow();
    expect(() => loadConfig({ AWS_ORGANIZATION_ROLE: "arn:aws:iam::1:role/x" })).toThrow(ConfigError);
  });

  it.each([
    ["AWS_ORGANIZATION_ROLE", "arn:aws:iam::111111111111:role/Reader"],
    ["AWS_ORGANIZATION_ROLE", "a b"],
    ["AWS_ORGANIZATION_ROLE", "Reader|"],
    ["AWS_ORGANIZATION_ROLE", "Reader|ext|more"],
    ["AWS_ORGANIZATION_CACHE_SECONDS", "-1"],
    ["AWS_ORGANIZATION_CACHE_SECONDS", "1.5"],
    ["AWS_ORGANIZATION_CACHE_SECONDS", "86401"],
    ["AWS_ORGANIZATION_CACHE_SECONDS", "soon"],
  ])("refuses %s=%s with one line naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(new RegExp(`^invalid ${name}`));
  });
});
