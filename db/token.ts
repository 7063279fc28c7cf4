// npm run -s token -- alice@example.com [--scope "read create"] [--name "Alice"]
// Prints only a token from the dev identity provider, usable at once against `npm run dev`.
import { parseArgs } from "node:util";
import { loadOrCreateDevKeys, signDevToken } from "./keys";
import { DEV_KEYS_FILE } from "./paths";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { scope: { type: "string" }, name: { type: "string" }, expires: { type: "string" } },
});
const email = positionals[0];
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
  console.error(
    'usage: npm run -s token -- <email> [--scope "read create export admin"] [--name NAME] [--expires 12h]',
  );
  process.exit(2);
}
const keys = await loadOrCreateDevKeys(DEV_KEYS_FILE);
const token = await signDevToken(keys, {
  email,
  name: values.name,
  scopes: values.scope?.split(/[\s,]+/).filter(Boolean),
  expiresIn: values.expires,
});
process.stdout.write(`${token}\n`);
