// The SDK clients of the services beyond EC2, S3, IAM and STS, loaded when a request first calls
// them: a client package costs start-up time and memory for its command classes alone, and a
// gateway asked only about EC2 should not pay for twelve more. Declarations name a command by its
// service and class name, typed from the package, and the class is found when the call is sent.
import type { AwsCredentialIdentity, MetadataBearer, Pluggable } from "@smithy/types";
import type { AwsCommand } from "./clients.js";

interface Modules {
  lambda: typeof import("@aws-sdk/client-lambda");
  rds: typeof import("@aws-sdk/client-rds");
  dynamodb: typeof import("@aws-sdk/client-dynamodb");
  ecs: typeof import("@aws-sdk/client-ecs");
  eks: typeof import("@aws-sdk/client-eks");
  ecr: typeof import("@aws-sdk/client-ecr");
  route53: typeof import("@aws-sdk/client-route-53");
  cloudwatch: typeof import("@aws-sdk/client-cloudwatch");
  cloudformation: typeof import("@aws-sdk/client-cloudformation");
  kms: typeof import("@aws-sdk/client-kms");
  sns: typeof import("@aws-sdk/client-sns");
  sqs: typeof import("@aws-sdk/client-sqs");
  tagging: typeof import("@aws-sdk/client-resource-groups-tagging-api");
  organizations: typeof import("@aws-sdk/client-organizations");
}

export type LazyService = keyof Modules;

/** What the gateway does with an SDK client of any service: send commands, read its credentials, plug in, destroy. */
export interface SdkClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: AwsCommand<any>): Promise<any>;
  config: { credentials(): Promise<AwsCredentialIdentity> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  middlewareStack: { use(plugin: Pluggable<any, any>): void };
  destroy(): void;
}

// Each a separate chunk of the build, read at first use.
const LOADERS: { [S in LazyService]: () => Promise<Modules[S]> } = {
  lambda: () => import("@aws-sdk/client-lambda"),
  rds: () => import("@aws-sdk/client-rds"),
  dynamodb: () => import("@aws-sdk/client-dynamodb"),
  ecs: () => import("@aws-sdk/client-ecs"),
  eks: () => import("@aws-sdk/client-eks"),
  ecr: () => import("@aws-sdk/client-ecr"),
  route53: () => import("@aws-sdk/client-route-53"),
  cloudwatch: () => import("@aws-sdk/client-cloudwatch"),
  cloudformation: () => import("@aws-sdk/client-cloudformation"),
  kms: () => import("@aws-sdk/client-kms"),
  sns: () => import("@aws-sdk/client-sns"),
  sqs: () => import("@aws-sdk/client-sqs"),
  tagging: () => import("@aws-sdk/client-resource-groups-tagging-api"),
  organizations: () => import("@aws-sdk/client-organizations"),
};

type ClientName<S extends LazyService> = { [K in keyof Modules[S]]: K extends `${string}Client` ? (Modules[S][K] extends new (config: never) => unknown ? K : never) : never }[keyof Modules[S]];

const CLIENT_CLASSES: { [S in LazyService]: ClientName<S> } = {
  lambda: "LambdaClient",
  rds: "RDSClient",
  dynamodb: "DynamoDBClient",
  ecs: "ECSClient",
  eks: "EKSClient",
  ecr: "ECRClient",
  route53: "Route53Client",
  cloudwatch: "CloudWatchClient",
  cloudformation: "CloudFormationClient",
  kms: "KMSClient",
  sns: "SNSClient",
  sqs: "SQSClient",
  tagging: "ResourceGroupsTaggingAPIClient",
  organizations: "OrganizationsClient",
};

export const isLazyService = (service: string): service is LazyService => Object.hasOwn(LOADERS, service);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandClass = new (input: any) => AwsCommand<any>;

/** The command classes a service's package exports, by name ("ListFunctionsCommand"). */
export type CommandName<S extends LazyService> = {
  [K in keyof Modules[S]]: K extends `${string}Command` ? (Modules[S][K] extends CommandClass ? K : never) : never;
}[keyof Modules[S]] &
  string;

type ClassOf<S extends LazyService, N extends CommandName<S>> = Modules[S][N] extends CommandClass ? Modules[S][N] : never;
export type InputOf<S extends LazyService, N extends CommandName<S>> = ConstructorParameters<ClassOf<S, N>>[0];
export type OutputOf<S extends LazyService, N extends CommandName<S>> = InstanceType<ClassOf<S, N>> extends AwsCommand<infer Output> ? Output : never;

/** A command named, not made: its class is read from the service's package when it is sent. */
export interface NamedCommand<Output extends MetadataBearer> {
  readonly service: LazyService;
  readonly className: string;
  readonly input: object;
  /** the operation, as metrics and `extensions.aws` name it ("ListFunctions") */
  readonly operation: string;
  /** never set: carries the output type */
  readonly output?: Output;
}

export function namedCommand<S extends LazyService, N extends CommandName<S>>(service: S, className: N, input: InputOf<S, N>): NamedCommand<OutputOf<S, N>> {
  return { service, className, input: input as object, operation: className.replace(/Command$/, "") };
}

const loaded = new Map<LazyService, Record<string, unknown>>();
const loading = new Map<LazyService, Promise<void>>();

/** The service's package, loaded once; resolves at once when it is. */
export function loadService(service: LazyService): Promise<void> {
  let pending = loading.get(service);
  if (!pending) {
    pending = LOADERS[service]().then((module) => void loaded.set(service, module as unknown as Record<string, unknown>));
    pending.catch(() => loading.delete(service));
    loading.set(service, pending);
  }
  return pending;
}

export const isLoaded = (service: LazyService) => loaded.has(service);

function exported<T>(service: LazyService, name: string): T {
  const module = loaded.get(service);
  if (!module) throw new Error(`the ${service} client is used before it is loaded`);
  const value = module[name];
  if (typeof value !== "function") throw new Error(`@aws-sdk's ${service} client has no ${name}`);
  return value as T;
}

/** The SDK command a named command names; its service must be loaded. */
export function madeCommand<Output extends MetadataBearer>(named: NamedCommand<Output>): AwsCommand<Output> {
  return new (exported<new (input: object) => AwsCommand<Output>>(named.service, named.className))(named.input);
}

/** A new SDK client of a loaded service. */
export function newLazyClient(service: LazyService, config: object): SdkClient {
  return new (exported<new (config: object) => SdkClient>(service, String(CLIENT_CLASSES[service])))(config);
}
