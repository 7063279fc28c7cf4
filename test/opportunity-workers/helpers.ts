// What the opportunity-worker suites share: inviting by phone, the invitee's token (a verified phone), the SMS
// taken out of the mailbox once the queue has sent it, and Twilio-signed delivery receipts.

import { asc, eq } from "drizzle-orm";
import { invitationDelivery } from "../../functions/invitations/delivery";
import { createDatabase } from "../../functions/platform/db";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { deliver } from "../../functions/platform/outbox";
import { twilioSignature } from "../../functions/platform/twilio";
import { invitations, outboxMessages } from "../../schema";
import { call, codeIn, mailFor, personToken, type Reply, testEnv, uniqueSuffix, withDb } from "../harness";

export { newPhone } from "../invitations/helpers";

/** Where the test app believes it is served, as `call` sends it: the URL a receipt is signed over. */
export const RECEIPT_URL = "https://api.test.muster/v1/webhooks/sms-status";
/** The test environment's SMS auth token (vitest.config.ts), the key of Twilio's signature. */
export const SMS_AUTH_TOKEN = "test";

export const invitationUuid = (id: string) => parseTypeId(ID_PREFIX.invitation, id) as string;

export function inviteTo(opportunityId: string, body: Record<string, unknown>, token: string): Promise<Reply> {
  return call("POST", `/v1/opportunities/${opportunityId}:invite`, { token, body });
}

/** A person whose identity provider vouches for their phone (and, unless given, a made-up email). */
export function phoneToken(phone: string, options: { email?: string; verified?: boolean } = {}): Promise<string> {
  return personToken({
    email: options.email ?? `worker-${uniqueSuffix()}@phones.test`,
    claims: { phone_number: phone, phone_number_verified: options.verified ?? true },
  });
}

/**
 * Sends an invitation's queued SMS now and returns its outbox row once sent. The queue's own consumer may be
 * sending it at the same moment (then this waits for that send to settle); either way it is sent once.
 */
export async function sendQueued(invitationId: string) {
  const uuid = invitationUuid(invitationId);
  for (let attempt = 0; attempt < 200; attempt++) {
    const rows = await withDb((db) =>
      db.select().from(outboxMessages).where(eq(outboxMessages.invitationId, uuid)).orderBy(asc(outboxMessages.id)),
    );
    const latest = rows.at(-1);
    if (!latest) throw new Error(`no message for ${invitationId}`);
    if (latest.status === "sent") return latest;
    if (latest.status !== "pending") throw new Error(`message for ${invitationId} is ${latest.status}`);
    const { db, pool } = createDatabase(testEnv);
    try {
      await deliver(testEnv, db, latest.id, invitationDelivery);
    } finally {
      await pool.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the message for ${invitationId} was never sent`);
}

/** The code in the newest SMS to this number. */
export async function smsCode(phone: string): Promise<string> {
  const messages = await mailFor(phone);
  const latest = messages.at(-1);
  if (!latest) throw new Error(`no SMS to ${phone}`);
  return codeIn(latest);
}

/** Invites one number, sends its SMS and returns the invitation id and the code it carries. */
export async function invitedWithCode(opportunityId: string, phone: string, token: string) {
  const reply = await inviteTo(opportunityId, { phone_numbers: [phone] }, token);
  if (reply.status !== 200 || reply.body.results[0].status !== "invited") {
    throw new Error(`invite failed: ${reply.status} ${reply.text}`);
  }
  const invitationId: string = reply.body.results[0].invitation_id;
  const message = await sendQueued(invitationId);
  return { invitationId, code: await smsCode(phone), providerMessageId: message.providerMessageId as string };
}

/** Twilio's status callback for a message, signed as Twilio signs it (or with another token, to be refused). */
export async function receipt(
  params: Record<string, string>,
  options: { token?: string; signature?: string | null; url?: string } = {},
): Promise<Reply> {
  const form = { AccountSid: "ACtest", ApiVersion: "2010-04-01", ...params };
  const signature =
    options.signature === undefined
      ? await twilioSignature(options.token ?? SMS_AUTH_TOKEN, options.url ?? RECEIPT_URL, form)
      : options.signature;
  return call("POST", "/v1/webhooks/sms-status", {
    rawBody: new URLSearchParams(form).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "x-twilio-signature": signature }),
    },
  });
}

export async function invitationState(invitationId: string) {
  const [row] = await withDb((db) =>
    db
      .select({ deliveryStatus: invitations.deliveryStatus, status: invitations.status })
      .from(invitations)
      .where(eq(invitations.id, invitationUuid(invitationId))),
  );
  if (!row) throw new Error(`no invitation ${invitationId}`);
  return row;
}
