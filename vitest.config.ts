import { defineConfig } from "vitest/config";

export default defineConfig({
  // One copy of graphql-js: Pothos and Yoga must share its classes (the "another realm" error otherwise).
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/build.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_EC2_METADATA_DISABLED: "true",
      // Tests talk to moto_server or mocked clients only: fixed fake credentials, no local profile.
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_CONFIG_FILE: "/nonexistent/awsgql-test-config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/awsgql-test-credentials",
    },
  },
});
