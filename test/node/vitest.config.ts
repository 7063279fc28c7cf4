import { defineConfig } from "vitest/config";

// Suites that run in Node rather than workerd: they drive the local stack from outside (`wrangler dev`, the
// dev proxies) the way a client or an attacker does. `npm test` runs them after the workerd suites.
export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/node/**/*.test.ts"],
    globalSetup: ["./test/node/global-setup.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
