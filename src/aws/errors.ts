// AWS SDK errors -> contract error codes, in one place. Raw AWS messages never reach the client:
// they can name the account, a resource ARN or a token.
import { ErrorCode, GatewayError } from "../errors.js";

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

const ACCESS_DENIED = new Set([
  "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthFailure", "InvalidClientTokenId",
  "SignatureDoesNotMatch", "InvalidAccessKeyId", "UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException",
  "AllAccessDisabled", "AccountProblem", "OptInRequired",
  // the gateway's account reads no organization (AWS_ORGANIZATION_ROLE set for an account outside one)
  "AWSOrganizationsNotInUseException",
]);
const THROTTLED = new Set([
  "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
  "RequestThrottled", "RequestThrottledException", "SlowDown", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded",
  "EC2ThrottledException", "PriorRequestNotComplete",
]);
// EC2's InvalidVpcID.NotFound, S3's NoSuchBucket, RDS's DBInstanceNotFoundFault, ECS's
// ClusterNotFoundException, DynamoDB's ResourceNotFoundException, SQS's NonExistentQueue.
const NOT_FOUND = /NotFound(Exception|Fault)?$|^NoSuch|\.Malformed$|NonExistentQueue$|QueueDoesNotExist$/;
/** CloudFormation says a stack is missing with a ValidationError: "Stack with id x does not exist". */
const MISSING_BY_MESSAGE = /^Stack with id .* does not exist$/;
const STALE_TOKEN = new Set([
  "InvalidNextToken", "InvalidNextTokenException", "InvalidPaginationToken", "InvalidPaginationTokenException",
  "ExpiredNextTokenException", "InvalidMarker", "PaginationTokenExpiredException",
]);
const UNREACHABLE = new Set([
  "TimeoutError", "RequestTimeout", "RequestTimeoutException", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND",
  "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "NetworkingError", "InternalError", "InternalFailure",
  "ServiceUnavailable", "ServiceUnavailableException", "Unavailable",
]);

export interface AwsCallDescription {
  service: string;
  operation: string;
  /** the call carried a pagination token from a cursor */
  withToken: boolean;
}

/** The contract error for an AWS SDK failure; undefined for a fault of ours, which should surface masked. */
export function classifyAwsError(error: unknown, call: AwsCallDescription): GatewayError | undefined {
  if (error instanceof GatewayError) return error;
  const aws = (error ?? {}) as AwsErrorShape;
  const name = aws.name ?? aws.code ?? "";
  const code = (error as { code?: string })?.code ?? "";
  const status = aws.$metadata?.httpStatusCode;
  const extensions: Record<string, unknown> = { service: call.service, operation: call.operation };
  if (aws.$metadata?.requestId) extensions.awsRequestId = aws.$metadata.requestId;
  if (name) extensions.awsError = name;

  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(aws.message ?? "")) {
    return new GatewayError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      "No AWS credentials were found. Provide them the standard way: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, or an instance or task role.",
      { ...extensions, reason: "NO_CREDENTIALS", awsError: undefined },
    );
  }
  if (ACCESS_DENIED.has(name) || status === 403) {
    return new GatewayError(ErrorCode.AWS_ACCESS_DENIED, `AWS refused ${call.service} ${call.operation} for the gateway's credentials.`, extensions);
  }
  if (THROTTLED.has(name) || status === 429) {
    return new GatewayError(ErrorCode.AWS_THROTTLED, `AWS kept throttling ${call.service} ${call.operation} after retries; try again later.`, extensions);
  }
  if (call.withToken && (STALE_TOKEN.has(name) || (status === 400 && /token|marker|continuation/i.test(aws.message ?? "")))) {
    return new GatewayError(ErrorCode.CURSOR_EXPIRED, "AWS no longer accepts the position behind this cursor; start the listing again without `after`.", extensions);
  }
  if (NOT_FOUND.test(name) || status === 404 || (name === "ValidationError" && MISSING_BY_MESSAGE.test(aws.message ?? ""))) {
    return new GatewayError(ErrorCode.NOT_FOUND, `${call.service} ${call.operation}: the named resource does not exist.`, extensions);
  }
  if (UNREACHABLE.has(name) || UNREACHABLE.has(code) || aws.$fault === "server" || (status !== undefined && status >= 500) || isNetworkFailure(error)) {
    return new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, `AWS ${call.service} could not be reached or failed (${call.operation}); try again later.`, extensions);
  }
  if (aws.$fault === "client" || (status !== undefined && status >= 400 && status < 500)) {
    return new GatewayError(ErrorCode.BAD_USER_INPUT, `AWS rejected the arguments of ${call.service} ${call.operation} (${name || status}).`, extensions);
  }
  return undefined;
}

function isNetworkFailure(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; cause && depth < 4; depth += 1) {
    const c = cause as { code?: string; name?: string; cause?: unknown };
    if ((c.code && UNREACHABLE.has(c.code)) || (c.name && UNREACHABLE.has(c.name))) return true;
    cause = c.cause;
  }
  return false;
}
