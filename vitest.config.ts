import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// When the pool tears the runtime down after the last test, workerd reports a WebSocket still open then as
// "exception = workerd/api/web-socket.c++:…: disconnected: WebSocket peer disconnected", a line that looks like a
// failure after a green run. @cloudflare/vitest-pool-workers drops it itself from 0.16 on (cloudflare/workers-sdk
// #13833, "benign teardown noise"); until the suites move to that version, they drop that one line the same way, in
// the process the pool writes it from.
const PEER_DISCONNECTED =
  /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected\n$/;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (!PEER_DISCONNECTED.test(String(chunk))) return write(chunk, ...(rest as never[]));
    const done = rest.find((argument) => typeof argument === "function") as (() => void) | undefined;
    if (done) process.nextTick(done);
    return true;
  }) as typeof stream.write;
}

export const TEST_ISSUER = "https://idp.test.muster/";
export const TEST_AUDIENCE = "muster-api-test";
export const TEST_API_ISSUER = "https://api.test.muster";

export default defineConfig({
  // The suites run the zod the Workers ship: without its locales (wrangler.toml's [alias]).
  resolve: {
    alias: [
      { find: /^zod$/, replacement: fileURLToPath(new URL("./functions/platform/zod/index.ts", import.meta.url)) },
    ],
  },
  plugins: [
    // standardwebhooks ships source maps whose sources (../src/*.ts) are not in the package; load its files
    // without the map comment, so Vite does not warn about the missing sources on every run.
    {
      name: "standardwebhooks-without-dangling-sourcemap",
      enforce: "pre",
      load(id) {
        const file = id.replace(/\?.*$/, "");
        if (/\/node_modules\/standardwebhooks\/dist\/[^/]+\.js$/.test(file)) {
          return readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
        }
      },
    },
    cloudflareTest(({ inject }) => ({
      main: "./functions/gateway.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("databaseUrl"),
          LOCAL_WS_PROXY: inject("wsProxy"),
          // Two busy cores (CI) can keep a connection's handshake waiting for seconds; that is not an outage.
          DATABASE_CONNECT_TIMEOUT_MS: "20000",
          AUTH_ISSUER: TEST_ISSUER,
          AUTH_AUDIENCE: TEST_AUDIENCE,
          AUTH_JWKS: inject("identityProviderJwks"),
          AUTH_JWKS_URL: "",
          API_ISSUER: TEST_API_ISSUER,
          API_SIGNING_KEYS: inject("apiSigningKeys"),
          TEST_IDP_PRIVATE_KEY: inject("identityProviderKey"),
          CORS_ORIGINS: "https://app.example.com",
          MAX_BODY_BYTES: "65536",
          // Generous for the suites (tenants get a generous plan override too); the rate-limit tests pass strict ones.
          RATE_LIMIT_POLICY: "100000/60",
          ANONYMOUS_RATE_LIMIT_POLICY: "100000/60",
          CODE_RATE_LIMIT_POLICY: "100000/60",
          SECRET_RATE_LIMIT_POLICY: "100000/60",
          EMAIL_PROVIDER_URL: inject("mailboxUrl"),
          EMAIL_API_KEY: "test",
          SMS_PROVIDER_URL: inject("mailboxUrl"),
          SMS_ACCOUNT_SID: "ACtest",
          SMS_AUTH_TOKEN: "test",
          // No StatusCallback on the suites' SMS (wrangler.toml names production's): receipts are sent by the tests.
          SMS_STATUS_CALLBACK_URL: "",
          INVITATION_URL: "https://app.test.muster/invitations/{code}",
          WEBHOOK_SECRET: inject("webhookSecret"),
          // One admin by verified email, one by identity (test/harness/tokens.ts mints both).
          PLATFORM_ADMINS: `platform-admin@example.test, ${TEST_ISSUER}|platform-admin-by-subject`,
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    exclude: ["test/node/**"],
    // One module graph for all the suite files: isolated, each file loads the app and compiles the contract
    // afresh, seconds apiece. Safe to share: what modules keep (keys, compiled schemas) is the same for all.
    isolate: false,
    // Generous: a race suite arranges 24 tenants per test, which two busy cores (CI) take over 30 s to do.
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
