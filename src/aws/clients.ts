// AWS SDK clients, one per service and region, shared by all requests; and the per-request view
// of them that counts calls and retries and turns AWS failures into contract errors.
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { Command, MetadataBearer } from "@smithy/types";
import { badInput } from "../errors.js";
import { classifyAwsError } from "./errors.js";
import { AWS_REGIONS } from "./regions.js";

export interface AwsClientOptions {
  defaultRegion: string;
  endpoint?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
}

export type Service = "ec2" | "s3" | "iam";
type AnyClient = EC2Client | S3Client | IAMClient;
type ClientFor<S extends Service> = S extends "ec2" ? EC2Client : S extends "s3" ? S3Client : IAMClient;

/** Observes every AWS call: metrics and logs hang off this. */
export interface AwsCallObserver {
  onCall(call: { service: Service; operation: string; retries: number; error?: string; durationMs: number }): void;
}

export class AwsClients {
  private readonly clients = new Map<string, AnyClient>();
  private readonly requestHandler: NodeHttpHandler;

  constructor(
    readonly options: AwsClientOptions,
    readonly observer?: AwsCallObserver,
  ) {
    this.requestHandler = new NodeHttpHandler({
      connectionTimeout: options.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      // Without it a request past its timeout only logs a warning and goes on waiting.
      throwOnRequestTimeout: true,
    });
  }

  /** The SDK client of a service in a region (IAM, being global, is always asked in the default region). */
  client<S extends Service>(service: S, region: string): ClientFor<S> {
    const key = `${service}:${region}`;
    let client = this.clients.get(key);
    if (!client) {
      const common = {
        region,
        endpoint: this.options.endpoint,
        maxAttempts: this.options.maxAttempts,
        // "standard": bounded exponential backoff with a retry quota, suited to a server shared by many callers.
        retryMode: "standard",
        requestHandler: this.requestHandler,
      };
      client =
        service === "ec2" ? new EC2Client(common)
        : service === "s3" ? new S3Client({ ...common, forcePathStyle: this.options.endpoint !== undefined, followRegionRedirects: true })
        : new IAMClient(common);
      this.clients.set(key, client);
    }
    return client as ClientFor<S>;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}

export interface AwsUsage {
  calls: number;
  retries: number;
  /** calls by operation, e.g. { ListObjectsV2: 3, HeadBucket: 1 } */
  operations: Record<string, number>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AwsCommand<Output extends MetadataBearer> = Command<any, any, any, Output, any>;

/** One request's use of AWS: every call goes through `send`, which counts it and classifies failures. */
export class RequestAws {
  readonly usage: AwsUsage = { calls: 0, retries: 0, operations: {} };

  constructor(private readonly clients: AwsClients) {}

  get defaultRegion(): string {
    return this.clients.options.defaultRegion;
  }

  /** The region a field names, or the default; an unknown region is BAD_USER_INPUT. */
  region(region: string | null | undefined): string {
    if (region === null || region === undefined) return this.defaultRegion;
    if (!AWS_REGIONS.has(region)) throw badInput(`Unknown AWS region "${region.slice(0, 40)}".`, { argument: "region" });
    return region;
  }

  async send<Output extends MetadataBearer>(
    service: Service,
    region: string,
    command: AwsCommand<Output>,
    withToken = false,
  ): Promise<Output> {
    const client = this.clients.client(service, region) as unknown as { send(c: AwsCommand<Output>): Promise<Output> };
    const operation = command.constructor.name.replace(/Command$/, "");
    const started = performance.now();
    this.usage.calls += 1;
    this.usage.operations[operation] = (this.usage.operations[operation] ?? 0) + 1;
    try {
      const output = await client.send(command);
      this.record(service, operation, started, output);
      return output;
    } catch (error) {
      const classified = classifyAwsError(error, { service, operation, withToken });
      this.record(service, operation, started, error, classified?.code ?? "INTERNAL");
      throw classified ?? error;
    }
  }

  /** Counts a finished call: outputs and SDK errors alike carry the attempts the SDK's retry strategy made. */
  private record(service: Service, operation: string, started: number, answer: unknown, error?: string): void {
    const retries = Math.max(0, ((answer as MetadataBearer | undefined)?.$metadata?.attempts ?? 1) - 1);
    this.usage.retries += retries;
    this.clients.observer?.onCall({ service, operation, retries, error, durationMs: performance.now() - started });
  }
}
