// npm start: configuration, traces, cursor store, server; stops cleanly on SIGINT/SIGTERM.
// The rest is imported once it is known that the server runs in this process: when a heap cap
// relaunches node, this one only waits for it.
import { memoryInForce, relaunchWithHeapCap, stopWithLauncher } from "./heap-cap.js";

async function main(): Promise<void> {
  if (relaunchWithHeapCap()) return;
  const [{ ConfigError, loadConfig }, { createLogger }, { readTracingSettings, startTracing }, { createGateway }, { createCursorStore }] = await Promise.all([
    import("./config.js"),
    import("./logger.js"),
    import("./tracing.js"),
    import("./server.js"),
    import("./store/index.js"),
  ]);
  let config, tracingSettings;
  try {
    config = loadConfig();
    tracingSettings = readTracingSettings();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`awsgql: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const tracing = await startTracing(tracingSettings, logger);
  const store = await createCursorStore(config);
  const gateway = createGateway({ config, store, logger });
  const url = await gateway.listen(config.PORT, config.HOST);
  logger.info({ url, cursorStore: config.CURSOR_STORE === "memory" ? "memory" : "redis", endpoint: config.AWS_ENDPOINT_URL }, "listening");
  if (!config.GATEWAY_API_KEYS) {
    logger.warn("GATEWAY_API_KEYS is unset: anyone who can reach this port can read the AWS account; keep HOST on loopback");
  }
  logger.info(memoryInForce(config.memory), "memory");
  console.log(`awsgql serving GraphQL at ${url}`);

  let stopping = false;
  const stop = async () => {
    // Ctrl-C reaches a relaunched server twice: from the terminal and from its launcher.
    if (stopping) return;
    stopping = true;
    logger.info("stopping");
    await gateway.close();
    await store.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  stopWithLauncher(stop);
}

await main();
