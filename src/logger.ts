// Structured JSON logs (pino). Redaction is a second line of defence: nothing secret is logged on purpose.
import { pino, type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "awsgql" },
    redact: { paths: ["*.authorization", "*.headers.authorization", "*.secret", "*.token", "*.nextToken"], censor: "[redacted]" },
  });
}
