// npm run -s keys [-- --rotate current.json | --webhook-secret]
// Prints a secret for a deployment, and nothing else on stdout, so it pipes straight into `wrangler secret put`.
import { readFileSync } from "node:fs";
import type { JWK } from "jose";
import { parseCommand, run, usageError } from "../cli";
import { generateWebhookSecret, privateSigningKey } from "./keys";

const { values } = parseCommand({
  script: "keys",
  usage: "npm run -s keys -- [options]",
  summary:
    "Prints a new API_SIGNING_KEYS value: a JSON array holding one new private ES256 JWK, which signs the API's\n" +
    "service-account tokens and export links. Keep it secret; the public half is served at /.well-known/jwks.json.\n" +
    "To rotate, pass the current value with --rotate: the new key comes first (it signs), the old ones stay (they\n" +
    "still verify tokens already issued); drop them once those have expired (an hour at most).",
  options: {
    rotate: { type: "string", value: "FILE", help: "a file holding the current API_SIGNING_KEYS value" },
    "webhook-secret": { type: "boolean", help: "print a WEBHOOK_SECRET (Standard Webhooks, whsec_…) instead" },
  },
  examples: [
    "npm run -s keys | npx wrangler secret put API_SIGNING_KEYS",
    "npm run -s keys -- --rotate current-keys.json | npx wrangler secret put API_SIGNING_KEYS",
    "npm run -s keys -- --webhook-secret | npx wrangler secret put WEBHOOK_SECRET",
  ],
});

run(async () => {
  if (values["webhook-secret"]) {
    if (values.rotate !== undefined) usageError("--webhook-secret takes no --rotate");
    process.stdout.write(`${generateWebhookSecret()}\n`);
    return;
  }
  let current: JWK[] = [];
  if (values.rotate !== undefined) {
    let text: string;
    try {
      text = readFileSync(values.rotate, "utf8");
    } catch {
      usageError(`--rotate: cannot read '${values.rotate}'`);
    }
    try {
      current = JSON.parse(text) as JWK[];
    } catch {
      usageError(`--rotate: '${values.rotate}' is not JSON`);
    }
    if (!Array.isArray(current) || current.some((key) => typeof key !== "object" || !key.kty || !key.d)) {
      usageError(`--rotate: '${values.rotate}' is not a JSON array of private JWKs`);
    }
  }
  const key = await privateSigningKey(
    `api-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`,
  );
  process.stdout.write(`${JSON.stringify([key, ...current])}\n`);
});
