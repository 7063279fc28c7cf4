// npm run openapi — writes the OpenAPI document generated from the route definitions to openapi.json.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CliError, parseCommand, run } from "../cli";
import { ROOT } from "../paths";

const { args } = parseCommand({
  script: "openapi",
  usage: "npm run openapi [-- <file>]",
  summary: "Writes the OpenAPI 3.1 document generated from the route definitions. Needs no database and no network.",
  args: [{ name: "<file>", help: "where to write it, relative to the repository root (default openapi.json)" }],
  examples: ["npm run -s openapi -- /tmp/muster-openapi.json"],
});

await run(async () => {
  // Loaded only now: compiling the whole API is what --help should not wait for.
  const { app } = await import("../../functions/api");
  const { unstable_readConfig } = await import("wrangler");
  // The production vars, and placeholders for the secrets: the document touches neither database nor keys.
  const { vars } = unstable_readConfig({ config: path.join(ROOT, "wrangler.toml") }, { hideWarnings: true });
  const response = await app.request(
    "https://api.muster.dev/openapi.json",
    {},
    { ...vars, DATABASE_URL: "postgres://unused@localhost/unused", API_SIGNING_KEYS: '[{"kty":"EC"}]' },
  );
  if (response.status !== 200) {
    throw new CliError(`GET /openapi.json answered ${response.status}: ${await response.text()}`);
  }
  const document = await response.json();
  const out = path.resolve(ROOT, args[0] ?? "openapi.json");
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
});
