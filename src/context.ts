// What every resolver of one request sees: who is calling, AWS as that request uses it, the cursor map.
import type { RequestAws } from "./aws/clients.js";
import type { Config } from "./config.js";
import type { CursorMap } from "./pagination/cursors.js";

export interface GatewayContext {
  /** the caller's x-request-id when it is plain, or one made up; logs and the response carry it */
  requestId: string;
  /** the caller's name from GATEWAY_API_KEYS, or "anonymous" when the gateway is open */
  caller: string;
  aws: RequestAws;
  cursors: CursorMap;
  config: Pick<Config, "DEFAULT_PAGE_SIZE" | "MAX_PAGE_SIZE" | "MAX_AWS_CALLS_PER_PAGE">;
}
