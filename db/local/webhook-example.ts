// npm run -s webhook:example [-- --email erin@example.com | --send inv_…]
// Sends a correctly signed Standard Webhooks request to the local API's /v1/webhooks/invitation-emails:
// by default "invitation.create" for the demo organisation; with --send, "invitation.send" for an invitation.
import { Webhook } from "standardwebhooks";
import { CliError, parseCommand, run, usageError } from "../cli";
import { DEV_KEYS_FILE } from "../paths";
import { loadOrCreateDevKeys, signDevToken } from "./keys";

const { values } = parseCommand({
  script: "webhook:example",
  usage: "npm run -s webhook:example [-- options]",
  summary:
    "Sends a correctly signed Standard Webhooks request to the API's /v1/webhooks/invitation-emails, as an\n" +
    'external CRM would: by default "invitation.create" for the demo organisation (found with alice@example.com\'s\n' +
    'token), with --send an "invitation.send" for an existing invitation. Prints the status and the reply;\n' +
    "a 4xx/5xx reply is one line on stderr and exit 1. Signs with the dev keys in .data/dev-keys.json.",
  options: {
    email: { type: "string", value: "EMAIL", default: "erin@example.com", help: "whom invitation.create invites" },
    send: { type: "string", value: "INVITATION_ID", help: "send invitation.send for this invitation (inv_…)" },
    api: { type: "string", value: "URL", help: "the API's base URL (default http://localhost:$PORT)" },
  },
  env: { PORT: "the port of `npm run dev`'s API (default 8787)" },
  examples: ["npm run -s webhook:example -- --email erin@example.com", "npm run -s webhook:example -- --send inv_…"],
});
const api = (values.api ?? `http://localhost:${process.env.PORT ?? 8787}`).replace(/\/+$/, "");
if (!/^https?:\/\/[^/]/.test(api)) usageError(`--api: '${api}' is not an http(s) URL`);

/** The reply's status and JSON; a 4xx/5xx is a CliError with its status and the error envelope's code and message. */
async function call(label: string, path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api}${path}`, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: shown as text
  }
  if (response.ok) return { status: response.status, body };
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const reason = error?.code ? `${error.code}: ${error.message}` : text.replace(/\s+/g, " ").slice(0, 200);
  throw new CliError(`${label} → ${response.status} ${reason}`);
}

async function demoTarget(token: string): Promise<{ organisationId: string; roleId: string }> {
  const headers = { authorization: `Bearer ${token}` };
  const organisations = (await call("GET /v1/organisations", "/v1/organisations", { headers })).body as {
    data: { id: string }[];
  };
  const organisationId = organisations.data[0]?.id;
  if (!organisationId) throw new CliError("alice@example.com has no organisation: was the demo seed applied?");
  const roles = (await call("GET /v1/roles", `/v1/roles?organisation_id=${organisationId}`, { headers })).body as {
    data: { id: string; key: string | null }[];
  };
  const member = roles.data.find((role) => role.key === "member");
  if (!member) throw new CliError("the demo organisation has no member role");
  return { organisationId, roleId: member.id };
}

await run(async () => {
  const keys = await loadOrCreateDevKeys(DEV_KEYS_FILE);
  const event = values.send
    ? { type: "invitation.send", data: { invitation_id: values.send } }
    : {
        type: "invitation.create",
        data: {
          ...(await demoTarget(await signDevToken(keys, { email: "alice@example.com" })).then((t) => ({
            organisation_id: t.organisationId,
            role_id: t.roleId,
          }))),
          email: values.email,
          custom_message: "Welcome aboard, from the CRM.",
          inviter_name: "Example CRM",
        },
      };
  const body = JSON.stringify(event);
  const id = `msg_${crypto.randomUUID()}`;
  const timestamp = new Date();
  const signature = new Webhook(keys.webhookSecret).sign(id, timestamp, body);
  const label = `POST /v1/webhooks/invitation-emails (${event.type})`;
  const reply = await call(label, "/v1/webhooks/invitation-emails", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body,
  });
  console.log(`${label} → ${reply.status}`);
  console.log(JSON.stringify(reply.body, null, 2));
}, `cannot reach the API at ${api} — is \`npm run dev\` running?`);
