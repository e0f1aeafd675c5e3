// Who is calling: bearer keys against GATEWAY_API_KEYS, in constant time over every key, and
// OpenID Connect tokens (JWTs) checked against the identity provider's published keys (JWKS).
import { createHash, timingSafeEqual } from "node:crypto";
import { createRemoteJWKSet, errors as jose, jwtVerify, type JWTPayload } from "jose";
import { ErrorCode, GatewayError } from "./errors.js";

export const ANONYMOUS = "anonymous";

/** The caller a request authenticated as, and its groups (from a token's groups claim; none for an API key). */
export interface Identity {
  caller: string;
  groups: string[];
}

const digest = (text: string) => createHash("sha256").update(text).digest();

const unauthenticated = (message: string) =>
  new GatewayError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401, headers: { "WWW-Authenticate": "Bearer" } } });

/** The value of an `Authorization: Bearer <value>` header, or "" for anything else. */
const bearerOf = (authorization: string | null) => /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "";

export class ApiKeys {
  private readonly keys: { digest: Buffer; caller: string }[];

  constructor(secretsToCallers: Map<string, string>) {
    this.keys = [...secretsToCallers].map(([secret, caller]) => ({ digest: digest(secret), caller }));
  }

  /** The caller a secret names, comparing it with every key in constant time; undefined for none. */
  find(secret: string): string | undefined {
    const presented = digest(secret);
    let caller: string | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, presented)) caller = key.caller;
    }
    return caller;
  }
}

export interface JwtSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** the claim naming the caller (`sub`) */
  callerClaim: string;
  /** the claim listing the caller's groups (`groups`), an array of strings */
  groupsClaim: string;
}

/** Three base64url parts, the last (the signature) possibly empty: what is checked as a token, not as a key. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Tokens are signed with these only: never `none`, never a shared secret (HS*). */
const ALGORITHMS = ["RS256", "ES256"];
/** Leeway on `exp` and `nbf` for clocks apart, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** An unknown `kid` fetches the JWKS again at most this often (jose keeps the keys between). */
const JWKS_COOLDOWN_MS = 60_000;

export class JwtVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: JwtSettings) {
    this.keys = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: JWKS_COOLDOWN_MS });
  }

  /** The identity a token proves; UNAUTHENTICATED for one that is expired, unsigned, wrongly signed or not for this gateway. */
  async identify(token: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp"],
      }));
    } catch (error) {
      throw unauthenticated(whyRefused(error));
    }
    const { callerClaim, groupsClaim } = this.settings;
    const caller = payload[callerClaim];
    if (typeof caller !== "string" || caller === "") throw unauthenticated(`The token has no "${callerClaim}" claim naming the caller.`);
    const groups = payload[groupsClaim] ?? [];
    if (!Array.isArray(groups) || !groups.every((group) => typeof group === "string")) {
      throw unauthenticated(`The token's "${groupsClaim}" claim is not an array of strings.`);
    }
    return { caller, groups };
  }
}

/** What a client may be told about a refused token: the kind of fault, never the identity provider's details. */
function whyRefused(error: unknown): string {
  if (error instanceof jose.JWTExpired) return "The token has expired.";
  if (error instanceof jose.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not accepted here.`;
  if (error instanceof jose.JOSEAlgNotAllowed) return `The token's algorithm is not accepted: tokens must be signed with ${ALGORITHMS.join(" or ")}.`;
  if (error instanceof jose.JWKSNoMatchingKey) return "The token is signed with a key the identity provider does not publish.";
  if (error instanceof jose.JWKSTimeout || error instanceof jose.JWKSInvalid) return "The identity provider's keys could not be read to check the token.";
  if (error instanceof jose.JWSSignatureVerificationFailed) return "The token's signature does not verify.";
  return "The token is not valid.";
}

/**
 * Authentication, once per request: an `Authorization: Bearer` value that looks like a JWT is
 * checked as a token when tokens are configured, anything else as an API key.
 */
export class Authenticator {
  private readonly identities = new WeakMap<Request, Promise<Identity>>();

  constructor(
    private readonly apiKeys: ApiKeys | undefined,
    private readonly jwt: JwtVerifier | undefined,
  ) {}

  /** what GraphiQL's Headers tab says to send */
  get credentialHint(): string {
    return `<your ${this.wanted}>`;
  }

  /** The identity of a request, worked out on first asking and remembered for it; UNAUTHENTICATED otherwise. */
  identify(request: Request): Promise<Identity> {
    let identity = this.identities.get(request);
    if (!identity) {
      identity = this.identifyBearer(bearerOf(request.headers.get("authorization")));
      identity.catch(() => undefined); // asked for again, or not at all: never an unhandled rejection
      this.identities.set(request, identity);
    }
    return identity;
  }

  private get wanted(): string {
    return this.jwt && this.apiKeys ? "API key or token" : this.jwt ? "token" : "API key";
  }

  private async identifyBearer(bearer: string): Promise<Identity> {
    if (this.jwt && JWT_SHAPE.test(bearer)) return this.jwt.identify(bearer);
    const caller = this.apiKeys?.find(bearer);
    if (caller === undefined) throw unauthenticated(`A valid ${this.wanted} is required: send \`Authorization: Bearer <${this.wanted}>\`.`);
    return { caller, groups: [] };
  }
}