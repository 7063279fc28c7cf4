// npm run -s token -- alice@example.com [--phone +447400123456] [--scope "read create"] [--name "Alice"]
// Prints only a token from the dev identity provider, usable at once against `npm run dev`.
import { phoneNumber } from "../../functions/invitations/schemas";
import { parseCommand, run, usageError } from "../cli";
import { DEV_KEYS_FILE } from "../paths";
import { loadOrCreateDevKeys, signDevToken } from "./keys";

const { values, args } = parseCommand({
  script: "token",
  usage: "npm run -s token -- [<email>] [--phone <number>] [options]",
  summary:
    "Prints a token from the dev identity provider for that person, and nothing else on stdout. Works offline:\n" +
    "it signs with the dev keys in .data/dev-keys.json (created on first use), which `npm run dev` trusts.\n" +
    "Give an email, a phone, or both: the phone is verified in the token, so it can accept a phone invitation.",
  args: [{ name: "<email>", help: "the person; created on first sight by the API (optional with --phone)" }],
  options: {
    phone: {
      type: "string",
      value: "NUMBER",
      help: "a verified phone in the token (phone_number), e.g. +447400123456; stored in E.164",
    },
    scope: { type: "string", value: "SCOPES", help: 'the token\'s scopes, e.g. "read create export admin"' },
    name: { type: "string", value: "NAME", help: "the name claim (default: the email's local part, or the phone)" },
    expires: { type: "string", value: "DURATION", default: "12h", help: "lifetime, e.g. 30m, 12h, 7d" },
  },
  examples: [
    "TOKEN=$(npm run -s token -- alice@example.com --scope read)",
    "TOKEN=$(npm run -s token -- --phone '+44 7400 123456')   # accepts an SMS invitation to that number",
  ],
});
const [email] = args;
if (email === undefined && values.phone === undefined) usageError("give an email, a --phone, or both");
if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email)) usageError(`'${email}' is not an email address`);
let phone: string | undefined;
if (values.phone !== undefined) {
  const parsed = phoneNumber.safeParse(values.phone);
  if (!parsed.success)
    usageError(`--phone: '${values.phone}' ${parsed.error.issues[0]?.message ?? "is not a phone number"}`);
  phone = parsed.data;
}

await run(async () => {
  const keys = await loadOrCreateDevKeys(DEV_KEYS_FILE);
  const token = await signDevToken(keys, {
    email,
    phone,
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
