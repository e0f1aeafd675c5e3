// npm start: configuration, cursor store, server; stops cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { createGateway } from "./server.js";
import { createCursorStore } from "./store/index.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`awsgql: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const store = await createCursorStore(config);
  const gateway = createGateway({ config, store, logger });
  const url = await gateway.listen(config.PORT, config.HOST);
  logger.info({ url, cursorStore: config.CURSOR_STORE === "memory" ? "memory" : "redis", endpoint: config.AWS_ENDPOINT_URL }, "listening");
  if (!config.GATEWAY_API_KEYS) {
    logger.warn("GATEWAY_API_KEYS is unset: anyone who can reach this port can read the AWS account; keep HOST on loopback");
  }
  console.log(`awsgql serving GraphQL at ${url}`);

  const stop = async () => {
    logger.info("stopping");
    await gateway.close();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
