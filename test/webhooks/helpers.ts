// What the webhook suites share: signed deliveries (JSON or raw), the events they carry, and the receipts the
// API keeps of them.

import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { webhookReceipts } from "../../schema";
import { call, quirkyProvider, signWebhook, type Tenant, testEnv, uniqueSuffix, withDb } from "../harness";

export const PATH = "/v1/webhooks/invitation-emails";
/** The provider is down: every send is answered 503 (retryable), so nothing goes out until it is back. */
export const DEAD_PROVIDER = quirkyProvider("down-503");
export const newEmail = (label = "hooked") => `${label}-${uniqueSuffix()}@example.test`;
export const newWebhookId = () => `msg_${uniqueSuffix()}${uniqueSuffix()}`;

export const uuidOf = (id: string) => parseTypeId(ID_PREFIX.invitation, id) as string;
export const lookup = (code: string) => call("POST", "/v1/invitations:lookup", { body: { code } });

/** A signed request for a JSON body (the harness signs exactly what `call` sends). */
export function deliverWebhook(
  body: unknown,
  options: { id?: string; timestamp?: Date; secret?: string; env?: Record<string, string> } = {},
) {
  const { env, ...signing } = options;
  return call("POST", PATH, { body, headers: signWebhook(body, signing), ...(env ? { env } : {}) });
}

/** A raw body signed as is (for bodies that are not JSON). */
export function signedRaw(raw: string, id = newWebhookId()) {
  const timestamp = new Date();
  return call("POST", PATH, {
    rawBody: raw,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "webhook-signature": new Webhook(testEnv.WEBHOOK_SECRET!).sign(id, timestamp, raw),
    },
  });
}

export async function receiptExists(id: string): Promise<boolean> {
  const rows = await withDb((db) => db.select().from(webhookReceipts).where(eq(webhookReceipts.id, id)));
  return rows.length === 1;
}

/** An invitation.create event for the tenant a suite sets up in its beforeAll. */
export const createEventFor =
  (tenant: () => Tenant) =>
  (email: string, extra: Record<string, unknown> = {}) => ({
    type: "invitation.create",
    data: { organisation_id: tenant().id, email, role_id: tenant().roleIds.member, ...extra },
  });
