// AWS SDK clients, one per service and region, shared by all requests; and the per-request view
// of them that counts calls and retries and turns AWS failures into contract errors.
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Command, MetadataBearer } from "@smithy/types";
import { badInput, ErrorCode, isGatewayError } from "../errors.js";
import { setFailed, startAwsCallSpan, type Span } from "../tracing.js";
import { DEFAULT_ACCOUNT, isAccountId, NotAnAccountError, type Account } from "./accounts.js";
import type { Organization } from "./organization.js";
import type { SharedAnswer, SharedAnswers } from "./answers.js";
import type { AccountBudget } from "./budget.js";
import { classifyAwsError, type AwsCallDescription } from "./errors.js";
import { operationName } from "./operation-name.js";
import { withoutSecrets } from "./secrets.js";
import { AWS_REGIONS } from "./regions.js";
import { isLazyService, isLoaded, loadService, madeCommand, newLazyClient, type LazyService, type NamedCommand, type SdkClient } from "./service-modules.js";

export interface AwsClientOptions {
  defaultRegion: string;
  endpoint?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  /** sockets open to one endpoint at most, never fewer than the SDK's own 50; calls beyond wait for one */
  maxSocketsPerEndpoint?: number;
  /** the accounts reached by assuming a role, beside the gateway's own credentials */
  accounts?: readonly Account[];
  /** the organization whose ACTIVE member accounts (named by id) are reached by assuming its role */
  organization?: Organization;
}

export type Service = "ec2" | "s3" | "iam" | "sts" | LazyService;


/** Assumed-role credentials are renewed this long before they expire. */
const CREDENTIALS_RENEWAL_MS = 5 * 60_000;

/** Observes every AWS call: metrics and logs hang off this. */
export interface AwsCallObserver {
  onCall(call: { service: Service; operation: string; retries: number; error?: string; durationMs: number }): void;
}

export class AwsClients {
  private readonly clients = new Map<string, SdkClient>();
  private readonly requestHandler: NodeHttpHandler;
  private readonly credentials = new Map<string, AwsCredentialIdentityProvider>();
  private readonly accountIds = new Map<string, Promise<string>>();
  private readonly answeredIds = new Map<string, string>();
  private readonly idLookupRetryAt = new Map<string, number>();
  /** the ends of AWS call spans waiting for their account's id, ended without it by destroy() */
  private readonly spansAwaitingId = new Set<(id?: string) => void>();
  private readonly enabledRegions = new Map<string, { regions: Promise<string[]>; until: number }>();

  constructor(
    readonly options: AwsClientOptions,
    readonly observer?: AwsCallObserver,
    /** answers shared between requests (cache, calls in flight); none: every call is made */
    readonly answers?: SharedAnswers,
    /** calls a second per account, region and service; none: no bound of the gateway's own */
    private readonly budget?: AccountBudget,
  ) {
    const maxSockets = Math.max(50, options.maxSocketsPerEndpoint ?? 0);
    this.requestHandler = new NodeHttpHandler({
      connectionTimeout: options.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      // Without it a request past its timeout only logs a warning and goes on waiting.
      throwOnRequestTimeout: true,
      httpAgent: { maxSockets },
      httpsAgent: { maxSockets },
    });
  }

  /**
   * The SDK client of a service in a region, for an account (IAM, being global, is always asked in
   * the default region). A service loaded on demand must be loaded (loadService) first.
   */
  client(service: Service, region: string, account: string = DEFAULT_ACCOUNT): SdkClient {
    const key = `${account}:${service}:${region}`;
    let client = this.clients.get(key);
    if (!client) {
      const common = {
        region,
        endpoint: this.options.endpoint,
        maxAttempts: this.options.maxAttempts,
        // "standard": bounded exponential backoff with a retry quota, suited to a server shared by many callers.
        retryMode: "standard",
        requestHandler: this.requestHandler,
        credentials: account === DEFAULT_ACCOUNT ? undefined : this.assumedRole(account),
      };
      client =
        service === "ec2" ? new EC2Client(common)
        : service === "s3" ? new S3Client({ ...common, forcePathStyle: this.options.endpoint !== undefined, followRegionRedirects: true })
        : service === "iam" ? new IAMClient(common)
        : service === "sts" ? new STSClient(common)
        // SQS sends a call to the host its queue URL names unless told not to: a queue URL from a
        // query would take signed requests anywhere, and pass by the endpoint set.
        : newLazyClient(service, service === "sqs" ? { ...common, useQueueUrlAsEndpoint: false } : common);
      if (this.budget) client.middlewareStack.use(this.budget.plugin(this.budgetAccount(account), region, service));
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * The credentials of a configured account: its role assumed with STS (with its external id),
   * once for every client of the account, renewed before they expire; a failed assumption is
   * asked again on the next call.
   */
  private assumedRole(name: string): AwsCredentialIdentityProvider {
    let provider = this.credentials.get(name);
    if (!provider) {
      const account = this.roleOf(name);
      if (!account?.roleArn) throw new Error(`no role configured for account ${name}`);
      const assume = fromTemporaryCredentials({
        params: { RoleArn: account.roleArn, RoleSessionName: "awsgql", ExternalId: account.externalId },
        clientConfig: { region: this.options.defaultRegion, endpoint: this.options.endpoint, maxAttempts: this.options.maxAttempts, requestHandler: this.requestHandler },
        // AssumeRole is a call of the gateway's own account, and spends its STS budget.
        clientPlugins: this.budget ? [this.budget.plugin(this.budgetAccount(DEFAULT_ACCOUNT), this.options.defaultRegion, "sts")] : [],
      });
      let current: { credentials: Promise<AwsCredentialIdentity>; renewAt: number } | undefined;
      provider = () => {
        if (!current || Date.now() >= current.renewAt) {
          const credentials = assume();
          const entry = { credentials, renewAt: Number.POSITIVE_INFINITY };
          current = entry;
          credentials.then(
            (c) => (entry.renewAt = (c.expiration?.getTime() ?? Date.now() + 15 * 60_000) - CREDENTIALS_RENEWAL_MS),
            () => (entry.renewAt = 0),
          );
        }
        return current.credentials;
      };
      this.credentials.set(name, provider);
    }
    return provider;
  }

  /** A configured account, or a member of the organization named by its id, with the role to assume in it. */
  private roleOf(name: string): { roleArn?: string; externalId?: string; accountId?: string } | undefined {
    const configured = this.options.accounts?.find((a) => a.name === name);
    if (configured) return configured;
    const organization = this.options.organization;
    if (!organization || !isAccountId(name)) return undefined;
    return { roleArn: organization.roleArnOf(name, this.options.defaultRegion), externalId: organization.externalId, accountId: name };
  }

  /**
   * Before anything is made or asked for an account named by a 12-digit id (a member of the
   * organization): BAD_USER_INPUT unless it is ACTIVE in the organization and is neither the
   * gateway's own account nor a configured one, which have names of their own. Undefined when
   * there is nothing to check (a configured name, "default").
   */
  memberCheck(account: string): Promise<void> | undefined {
    const organization = this.options.organization;
    if (!organization || !isAccountId(account) || this.options.accounts?.some((a) => a.name === account)) return undefined;
    return (async () => {
      const gateway = new RequestAws(this);
      if (this.options.accounts?.some((a) => a.accountId === account) || account === (await this.accountId(gateway))) {
        throw new NotAnAccountError(`Account ${account} is reached under another name, not by its id.`);
      }
      await organization.checkMember(gateway, account);
    })();
  }

  /** The id of an account reached by a role: from its role ARN, or a member's own; undefined for the gateway's own. */
  private configuredId(name: string): string | undefined {
    return this.roleOf(name)?.accountId;
  }

  /** Whose budget an account's calls spend: its id where configured (names for one account share it), else its name. */
  private budgetAccount(name: string): string {
    return this.configuredId(name) ?? name;
  }

  /** The twelve-digit id of an account: from its role ARN, or asked of STS once for the gateway's own. */
  accountId(aws: RequestAws): Promise<string> {
    const known = this.configuredId(aws.account);
    if (known) return Promise.resolve(known);
    let id = this.accountIds.get(aws.account);
    if (!id) {
      id = aws.send("sts", this.options.defaultRegion, new GetCallerIdentityCommand({})).then((out) => out.Account ?? "");
      id.then(
        (answered) => {
          if (answered) this.answeredIds.set(aws.account, answered);
        },
        () => this.accountIds.delete(aws.account),
      );
      this.accountIds.set(aws.account, id);
    }
    return id;
  }

  /** The id of an account when it is known without a call: configured, or answered by STS before. */
  knownAccountId(account: string): string | undefined {
    return this.configuredId(account) ?? this.answeredIds.get(account);
  }

  /**
   * The id of an account for the spans of its calls: asked of STS once outside any request (not
   * counted in its usage, not traced), and after a failure not again for a minute.
   */
  accountIdForTraces(account: string): Promise<string | undefined> {
    const known = this.knownAccountId(account);
    if (known !== undefined || Date.now() < (this.idLookupRetryAt.get(account) ?? 0)) return Promise.resolve(known);
    return this.accountId(new RequestAws(this, account)).catch(() => {
      this.idLookupRetryAt.set(account, Date.now() + 60_000);
      return undefined;
    });
  }

  /**
   * Ends the span of a call in `account` now, naming the account's id: the first spans of an
   * account that is not configured wait (ending at the time they end now) until STS has told it.
   */
  endCallSpan(span: Span, account: string): void {
    const known = this.knownAccountId(account);
    if (known !== undefined) {
      span.setAttribute("cloud.account.id", known);
      span.end();
      return;
    }
    const endedAt = performance.now();
    const end = (id?: string) => {
      if (!this.spansAwaitingId.delete(end)) return;
      if (id) span.setAttribute("cloud.account.id", id);
      span.end(endedAt);
    };
    this.spansAwaitingId.add(end);
    void this.accountIdForTraces(account).then(end);
  }

  /** How long a command has waited for the account budget, in milliseconds. */
  budgetWaitMs(command: object): number {
    return this.budget?.waitedFor(command) ?? 0;
  }

  /** The regions enabled for an account (DescribeRegions), remembered for `ttlMs`. */
  regionsEnabled(aws: RequestAws, describe: () => Promise<string[]>, ttlMs: number): Promise<string[]> {
    const cached = this.enabledRegions.get(aws.account);
    if (cached && cached.until > Date.now()) return cached.regions;
    const regions = describe();
    const entry = { regions, until: Date.now() + ttlMs };
    regions.catch(() => (entry.until = 0));
    this.enabledRegions.set(aws.account, entry);
    return regions;
  }

  destroy(): void {
    for (const end of [...this.spansAwaitingId]) end();
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}

export interface AwsUsage {
  calls: number;
  retries: number;
  /** AWS answers used without a call of this request's own: from the cache, or an identical call under way */
  cached: number;
  /** calls by operation, e.g. { ListObjectsV2: 3, HeadBucket: 1 } */
  operations: Record<string, number>;
  /**
   * The (account, region, service) each call and cached answer touched, each once, for the audit
   * log: kept out of sight (not enumerable), so `extensions.aws` does not show it.
   */
  readonly sources?: Map<string, AwsSourceTouched>;
}

/** One source a request's AWS answers came from: the account by its name in the gateway. */
export interface AwsSourceTouched {
  account: string;
  region: string;
  service: Service;
}

/** Notes that a request's usage touched a source. */
function touch(usage: AwsUsage, account: string, region: string, service: Service): void {
  let sources = usage.sources;
  if (!sources) {
    sources = new Map();
    Object.defineProperty(usage, "sources", { value: sources, enumerable: false });
  }
  const key = `${account}\u0000${region}\u0000${service}`;
  if (!sources.has(key)) sources.set(key, { account, region, service });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AwsCommand<Output extends MetadataBearer> = Command<any, any, any, Output, any>;

interface SendingClient<Output extends MetadataBearer> {
  send(command: AwsCommand<Output>): Promise<Output>;
  config: { credentials(): Promise<AwsCredentialIdentity> };
}

/**
 * Who a client acts as, for keying what is shared: its credentials' access key id. Credentials
 * that cannot be had fail as the call itself would (NO_CREDENTIALS, a role that cannot be assumed).
 */
async function identityOf(client: { config: SendingClient<MetadataBearer>["config"] }, call: AwsCallDescription): Promise<string> {
  try {
    return (await client.config.credentials()).accessKeyId;
  } catch (error) {
    throw classifyAwsError(error, call) ?? error;
  }
}

/** One request's use of AWS: every call goes through `send`, which counts it and classifies failures. */
export class RequestAws {
  /** whether this view's account was found ACTIVE in the organization, once for the view (a request) */
  private memberChecked = false;

  constructor(
    private readonly clients: AwsClients,
    /** the account this view calls AWS in */
    readonly account: string = DEFAULT_ACCOUNT,
    /** what the request's AWS calls cost, shared by its views of every account */
    readonly usage: AwsUsage = { calls: 0, retries: 0, cached: 0, operations: {} },
    /** read AWS afresh (Cache-Control: no-cache), refreshing the cache */
    readonly fresh = false,
    /** the request's span, which the spans of its AWS calls go under; none when not tracing */
    readonly requestSpan?: Span,
  ) {}

  /** The same request's AWS in another account (configured, or "default"). */
  forAccount(account: string): RequestAws {
    return account === this.account ? this : new RequestAws(this.clients, account, this.usage, this.fresh, this.requestSpan);
  }

  /**
   * The sources this request's calls and cached answers touched, each once, in the order first
   * touched: an account by its id when known without a call, else by its name.
   */
  sourcesTouched(): { accountId: string; region: string; service: Service }[] {
    return [...(this.usage.sources?.values() ?? [])].map(({ account, region, service }) => ({ accountId: this.clients.knownAccountId(account) ?? account, region, service }));
  }

  /** The same account's AWS for work of the gateway's own, beside the request: read afresh, not counted in its usage, not traced under it. */
  detached(): RequestAws {
    return new RequestAws(this.clients, this.account, undefined, true);
  }

  /** The twelve-digit id of this view's account. */
  accountId(): Promise<string> {
    return this.clients.accountId(this);
  }

  /** The regions enabled for this view's account, remembered for a while. */
  regionsEnabled(describe: () => Promise<string[]>, ttlMs: number): Promise<string[]> {
    return this.clients.regionsEnabled(this, describe, ttlMs);
  }

  get defaultRegion(): string {
    return this.clients.options.defaultRegion;
  }

  /** The region a field names, or the default; an unknown region is BAD_USER_INPUT. */
  region(region: string | null | undefined): string {
    if (region === null || region === undefined) return this.defaultRegion;
    if (!AWS_REGIONS.has(region)) throw badInput(`Unknown AWS region "${region.slice(0, 40)}".`, { argument: "region" });
    return region;
  }

  async send<Output extends MetadataBearer>(service: Service, region: string, command: AwsCommand<Output> | NamedCommand<Output>, withToken = false): Promise<Output> {
    return (await this.answer(service, region, command, withToken)).output;
  }

  /**
   * AWS's answer to a command, with when AWS gave it: shared with other requests by the cache or
   * an identical call under way (never across AWS identities), or from a call of its own.
   */
  answer<Output extends MetadataBearer>(service: Service, region: string, named: AwsCommand<Output> | NamedCommand<Output>, withToken = false): Promise<SharedAnswer<Output>> {
    if (isNamed(named) && !isLoaded(named.service)) return loadService(named.service).then(() => this.answer(service, region, named, withToken));
    const checking = this.memberChecked ? undefined : this.clients.memberCheck(this.account);
    if (checking) return checking.then(() => ((this.memberChecked = true), this.answer(service, region, named, withToken)));
    const command = isNamed(named) ? madeCommand(named) : named;
    touch(this.usage, this.account, region, service);
    const client: SendingClient<Output> = this.clients.client(service, region, this.account);
    const operation = operationName(command);
    const span = startAwsCallSpan(this.requestSpan, service, operation, region);
    // Not async itself: untraced, the answer is answerOf's own promise, with no turn of waiting on top.
    if (!span) return this.answerOf(client, service, region, operation, command, withToken);
    return this.tracedAnswer(client, service, region, operation, command, withToken, span);
  }

  private async tracedAnswer<Output extends MetadataBearer>(
    client: SendingClient<Output>,
    service: Service,
    region: string,
    operation: string,
    command: AwsCommand<Output>,
    withToken: boolean,
    span: Span,
  ): Promise<SharedAnswer<Output>> {
    try {
      const answer = await this.answerOf(client, service, region, operation, command, withToken, span);
      span.setAttribute("awsgql.answer", answer.source);
      return answer;
    } catch (error) {
      setFailed(span, isGatewayError(error) ? error.code : "INTERNAL_SERVER_ERROR");
      throw error;
    } finally {
      this.clients.endCallSpan(span, this.account);
    }
  }

  private async answerOf<Output extends MetadataBearer>(
    client: SendingClient<Output>,
    service: Service,
    region: string,
    operation: string,
    command: AwsCommand<Output>,
    withToken: boolean,
    span?: Span,
  ): Promise<SharedAnswer<Output>> {
    const answers = this.clients.answers;
    if (!answers) return { output: await this.call(client, service, operation, command, withToken, span), fetchedAt: Date.now(), source: "miss" };
    const identity = await identityOf(client, { service, operation, withToken });
    const answer = await answers.answer({ identity, region, service, operation, input: command.input }, () => this.call(client, service, operation, command, withToken, span), this.fresh);
    if (answer.source !== "miss") this.usage.cached += 1;
    return answer;
  }

  /**
   * Looks ids up one by one in the cache before asking AWS for the rest: `lookup` is called with
   * the ids not kept (none when all are), and what it finds is kept per id. Models are JSON-safe.
   */
  async lookupKept<Model>(
    service: Service,
    region: string,
    kind: string,
    ids: readonly string[],
    lookup: (missing: string[]) => Promise<{ id: string; model: Model }[]>,
  ): Promise<{ id: string; model: Model }[]> {
    const answers = this.clients.answers;
    if (!answers) return lookup([...ids]);
    if (isLazyService(service)) await loadService(service);
    if (!this.memberChecked) await this.clients.memberCheck(this.account);
    this.memberChecked = true;
    touch(this.usage, this.account, region, service);
    const client: SendingClient<MetadataBearer> = this.clients.client(service, region, this.account);
    const scope = { identity: await identityOf(client, { service, operation: kind, withToken: false }), region, kind };
    const kept = this.fresh ? ids.map(() => undefined) : await answers.items(scope, ids);
    const found: { id: string; model: Model }[] = [];
    const missing: string[] = [];
    for (const [i, id] of ids.entries()) {
      if (kept[i] === undefined) missing.push(id);
      else found.push({ id, model: JSON.parse(kept[i]!) as Model });
    }
    if (missing.length === 0) {
      this.usage.cached += 1;
      return found;
    }
    const looked = await lookup(missing);
    await answers.keepItems(scope, looked.map(({ id, model }) => ({ id, json: JSON.stringify(model) })));
    return [...found, ...looked];
  }

  private async call<Output extends MetadataBearer>(
    client: SendingClient<Output>,
    service: Service,
    operation: string,
    command: AwsCommand<Output>,
    withToken: boolean,
    span?: Span,
  ): Promise<Output> {
    const started = performance.now();
    this.usage.calls += 1;
    this.usage.operations[operation] = (this.usage.operations[operation] ?? 0) + 1;
    span?.setAttribute("awsgql.answer", "miss");
    try {
      const output = withoutSecrets(service, operation, await client.send(command));
      this.record(service, operation, started, output);
      if (span) this.describeCall(span, command, output);
      return output;
    } catch (error) {
      if (span) this.describeCall(span, command, error);
      if (isGatewayError(error, ErrorCode.AWS_THROTTLED) && error.extensions.reason === "GATEWAY_BUDGET") {
        // Refused by the gateway's own budget before it reached AWS: not a call made.
        this.usage.calls -= 1;
        this.usage.operations[operation]! -= 1;
        if (this.usage.operations[operation] === 0) delete this.usage.operations[operation];
        throw error;
      }
      const classified = classifyAwsError(error, { service, operation, withToken });
      this.record(service, operation, started, error, classified?.code ?? "INTERNAL");
      throw classified ?? error;
    }
  }

  /** Counts a finished call: outputs and SDK errors alike carry the attempts the SDK's retry strategy made. */
  private record(service: Service, operation: string, started: number, answer: unknown, error?: string): void {
    const retries = retriesOf(answer);
    this.usage.retries += retries;
    this.clients.observer?.onCall({ service, operation, retries, error, durationMs: performance.now() - started });
  }

  /** What a call of its own adds to its span: AWS's request id, the retries, the time waited for the budget. */
  private describeCall(span: Span, command: object, answer: unknown): void {
    const requestId = metadataOf(answer)?.requestId;
    if (requestId) span.setAttribute("aws.request_id", requestId);
    span.setAttribute("awsgql.retries", retriesOf(answer));
    span.setAttribute("awsgql.budget_wait_ms", this.clients.budgetWaitMs(command));
  }
}

const isNamed = <Output extends MetadataBearer>(command: AwsCommand<Output> | NamedCommand<Output>): command is NamedCommand<Output> => "className" in command;

/** The SDK's metadata of an output or an error: request id, attempts. */
function metadataOf(answer: unknown): MetadataBearer["$metadata"] | undefined {
  return typeof answer === "object" && answer !== null && "$metadata" in answer && typeof answer.$metadata === "object" && answer.$metadata !== null ? answer.$metadata : undefined;
}

function retriesOf(answer: unknown): number {
  return Math.max(0, (metadataOf(answer)?.attempts ?? 1) - 1);
}
