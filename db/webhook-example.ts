// npm run -s webhook:example [-- --email erin@example.com | --send inv_…]
// Sends a correctly signed Standard Webhooks request to the local API's /v1/webhooks/invitation-emails:
// by default "invitation.create" for the demo organisation; with --send, "invitation.send" for an invitation.
import { parseArgs } from "node:util";
import { Webhook } from "standardwebhooks";
import { loadOrCreateDevKeys, signDevToken } from "./keys";
import { DEV_KEYS_FILE } from "./paths";

const { values } = parseArgs({
  options: { email: { type: "string", default: "erin@example.com" }, send: { type: "string" } },
});
const api = `http://localhost:${process.env.PORT ?? 8787}`;
const keys = await loadOrCreateDevKeys(DEV_KEYS_FILE);

async function demoTarget(): Promise<{ organisationId: string; roleId: string }> {
  // The demo owner's token finds the demo organisation and its member role.
  const token = await signDevToken(keys, { email: "alice@example.com" });
  const headers = { authorization: `Bearer ${token}` };
  const organisations = (await (await fetch(`${api}/v1/organisations`, { headers })).json()) as {
    data: { id: string }[];
  };
  const organisationId = organisations.data[0]?.id;
  if (!organisationId) throw new Error("no demo organisation: is `npm run dev` running?");
  const roles = (await (await fetch(`${api}/v1/roles?organisation_id=${organisationId}`, { headers })).json()) as {
    data: { id: string; key: string | null }[];
  };
  const member = roles.data.find((role) => role.key === "member");
  if (!member) throw new Error("the demo organisation has no member role");
  return { organisationId, roleId: member.id };
}

const event = values.send
  ? { type: "invitation.send", data: { invitation_id: values.send } }
  : {
      type: "invitation.create",
      data: {
        ...(await demoTarget().then((t) => ({ organisation_id: t.organisationId, role_id: t.roleId }))),
        email: values.email,
        custom_message: "Welcome aboard, from the CRM.",
        inviter_name: "Example CRM",
      },
    };
const body = JSON.stringify(event);
const id = `msg_${crypto.randomUUID()}`;
const timestamp = new Date();
const signature = new Webhook(keys.webhookSecret).sign(id, timestamp, body);
const response = await fetch(`${api}/v1/webhooks/invitation-emails`, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  },
  body,
});
console.log(`POST /v1/webhooks/invitation-emails (${event.type}) → ${response.status}`);
console.log(JSON.stringify(await response.json(), null, 2));
