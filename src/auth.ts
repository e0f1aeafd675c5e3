// Bearer-key authentication against GATEWAY_API_KEYS, in constant time over every key.
import { createHash, timingSafeEqual } from "node:crypto";
import { ErrorCode, GatewayError } from "./errors.js";

export const ANONYMOUS = "anonymous";

const digest = (text: string) => createHash("sha256").update(text).digest();

export class ApiKeys {
  private readonly keys: { digest: Buffer; caller: string }[];

  constructor(secretsToCallers: Map<string, string>) {
    this.keys = [...secretsToCallers].map(([secret, caller]) => ({ digest: digest(secret), caller }));
  }

  /** The caller named by an `Authorization: Bearer <secret>` header; UNAUTHENTICATED otherwise. */
  callerOf(authorization: string | null): string {
    const presented = digest(/^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "");
    let caller: string | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, presented)) caller = key.caller;
    }
    if (caller === undefined) {
      throw new GatewayError(ErrorCode.UNAUTHENTICATED, "A valid API key is required: send `Authorization: Bearer <key>`.", {
        http: { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
      });
    }
    return caller;
  }
}
