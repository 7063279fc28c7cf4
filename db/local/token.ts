// npm run -s token -- alice@example.com [--scope "read create"] [--name "Alice"]
// Prints only a token from the dev identity provider, usable at once against `npm run dev`.
import { parseCommand, run, usageError } from "../cli";
import { DEV_KEYS_FILE } from "../paths";
import { loadOrCreateDevKeys, signDevToken } from "./keys";

const { values, args } = parseCommand({
  script: "token",
  usage: "npm run -s token -- <email> [options]",
  summary:
    "Prints a token from the dev identity provider for that person, and nothing else on stdout. Works offline:\n" +
    "it signs with the dev keys in .data/dev-keys.json (created on first use), which `npm run dev` trusts.",
  args: [{ name: "<email>", help: "the person; created on first sight by the API", required: true }],
  options: {
    scope: { type: "string", value: "SCOPES", help: 'the token\'s scopes, e.g. "read create export admin"' },
    name: { type: "string", value: "NAME", help: "the name claim (default: the email's local part)" },
    expires: { type: "string", value: "DURATION", default: "12h", help: "lifetime, e.g. 30m, 12h, 7d" },
  },
  examples: ["TOKEN=$(npm run -s token -- alice@example.com --scope read)"],
});
const [email = ""] = args;
if (!/^[^@\s]+@[^@\s]+$/.test(email)) usageError(`'${email}' is not an email address`);

await run(async () => {
  const keys = await loadOrCreateDevKeys(DEV_KEYS_FILE);
  const token = await signDevToken(keys, {
    email,
    name: values.name,
    scopes: values.scope?.split(/[\s,]+/).filter(Boolean),
    expiresIn: values.expires,
  }).catch((error: Error) => {
    // jose refuses a lifetime it cannot read with a TypeError
    if (error instanceof TypeError) usageError(`--expires: ${error.message}`);
    throw error;
  });
  process.stdout.write(`${token}\n`);
});
