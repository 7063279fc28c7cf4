import { and, eq, sql } from "drizzle-orm";
import { type DeliveryStatus, invitations, outboxMessages } from "../../schema";
import type { Database } from "../platform/db";
import { notFound } from "../platform/errors";

/** What the provider's receipt says became of an SMS, when it is final; its other statuses change nothing. */
const FINAL: Record<string, DeliveryStatus> = {
  delivered: "delivered",
  undelivered: "undelivered",
  failed: "undelivered",
};

export interface SmsReceipt {
  /** The provider's id of the message (Twilio's `MessageSid`), stored when it accepted the message. */
  messageSid: string;
  status: string;
  errorCode?: string;
}

export interface ReceiptOutcome {
  invitationId: string | null;
  /** The invitation's delivery status after the receipt. */
  deliveryStatus: DeliveryStatus | null;
  applied: boolean;
}

/**
 * A delivery receipt from the SMS provider moves the invitation's delivery status to `delivered` or
 * `undelivered`, once: never backwards (a final status stays), never for an older message than the
 * invitation's latest (a resend's), and never after the invitee answered (their answer says more). The
 * conditions sit in one UPDATE, so retries and out-of-order receipts are harmless without a lock. Not audited:
 * no one changed anything; the provider reported a fact (the outbox's own delivery updates are not audited
 * either). An undelivered message keeps the provider's error code.
 */
export async function applySmsReceipt(db: Database, receipt: SmsReceipt): Promise<ReceiptOutcome> {
  const [message] = await db
    .select({ id: outboxMessages.id, invitationId: outboxMessages.invitationId, current: invitations.deliveryStatus })
    .from(outboxMessages)
    .leftJoin(invitations, eq(invitations.id, outboxMessages.invitationId))
    .where(and(eq(outboxMessages.providerMessageId, receipt.messageSid), eq(outboxMessages.channel, "sms")))
    .limit(1);
  if (!message) throw notFound("SMS with this MessageSid");
  const next = FINAL[receipt.status.toLowerCase()];
  if (!message.invitationId || !next) {
    return { invitationId: message.invitationId, deliveryStatus: message.current, applied: false };
  }
  const note =
    next === "undelivered"
      ? `provider receipt: ${receipt.status}${receipt.errorCode ? ` (error ${receipt.errorCode})` : ""}`
      : null;
  const result = await db.execute<{ applied: DeliveryStatus | null; current: DeliveryStatus }>(sql`
    with applied as (
      update ${invitations} set delivery_status = ${next}, updated_at = now()
      where ${invitations.id} = ${message.invitationId}
        and ${invitations.status} not in ('accepted', 'declined')
        and ${invitations.deliveryStatus} not in ('delivered', 'undelivered')
        and not exists (
          select 1 from ${outboxMessages} newer
          where newer.invitation_id = ${message.invitationId} and newer.id > ${message.id}
        )
      returning ${invitations.deliveryStatus}
    ), noted as (
      update ${outboxMessages} set last_error = ${note}
      where ${outboxMessages.id} = ${message.id} and ${note}::text is not null and exists (select 1 from applied)
      returning 1
    )
    select (select delivery_status from applied) as applied,
      (select delivery_status from ${invitations} where id = ${message.invitationId}) as current`);
  const row = result.rows[0];
  return {
    invitationId: message.invitationId,
    deliveryStatus: row?.applied ?? row?.current ?? null,
    applied: Boolean(row?.applied),
  };
}
