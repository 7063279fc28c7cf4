// Runs in Node before the suites: an embedded Postgres of its own (fresh, on free ports), migrated,
// plus signing keys. Suites receive them through `inject()` / miniflare bindings.
import { chmodSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { generateDevKeys, publicJwks } from "../db/local/keys";
import { startMailbox } from "../db/local/mailbox";
import { startLocalDatabase } from "../db/local/postgres";
import { applyMigrations } from "../db/node-client";
import { freePort } from "./free-port";
import { startQuirkyProvider } from "./quirky-provider";

export default async function setup(project: TestProject) {
  const parent = mkdtempSync(path.join(os.tmpdir(), "muster-test-"));
  chmodSync(parent, 0o755); // the postgres user (when running as root) must reach its data directory
  const database = await startLocalDatabase({
    dataDir: path.join(parent, "postgres"),
    port: await freePort(),
    proxyPort: await freePort(),
    ephemeral: true,
  });
  await applyMigrations(database.databaseUrl, database.wsProxy);
  const keys = await generateDevKeys();
  // The email and SMS providers, played at the HTTP boundary by the dev mailbox (suites pause it for outages).
  const mailbox = await startMailbox({ port: 0 });
  project.provide("mailboxUrl", mailbox.url);
  // A provider that is slow, answers non-JSON or refuses, for the delivery edge cases (test/quirky-provider.ts).
  const quirkyProvider = await startQuirkyProvider();
  project.provide("quirkyProviderUrl", quirkyProvider.url);
  project.provide("webhookSecret", keys.webhookSecret);
  project.provide("databaseUrl", database.databaseUrl);
  project.provide("wsProxy", database.wsProxy);
  project.provide("identityProviderKey", JSON.stringify(keys.identityProvider));
  project.provide("identityProviderJwks", JSON.stringify(publicJwks([keys.identityProvider])));
  project.provide("apiSigningKeys", JSON.stringify(keys.api));
  return async () => {
    await mailbox.close();
    await quirkyProvider.close();
    await database.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    wsProxy: string;
    identityProviderKey: string;
    identityProviderJwks: string;
    apiSigningKeys: string;
    mailboxUrl: string;
    quirkyProviderUrl: string;
    webhookSecret: string;
  }
}
