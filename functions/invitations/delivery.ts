import { eq } from "drizzle-orm";
import { invitations } from "../../schema";
import type { Database } from "../platform/db";
import type { Env } from "../platform/env";
import { ApiError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { backoffSeconds, type DeliveryHooks, deliver, dispatch } from "../platform/outbox";
import type { CreatedInvitation } from "./service";

/** The outbox tells the invitation how its message fared, in the transaction that settles the message. */
export const invitationDelivery: DeliveryHooks = {
  async settled(tx, message, state) {
    if (!message.invitationId) return;
    await tx.update(invitations).set({ deliveryStatus: state }).where(eq(invitations.id, message.invitationId));
  },
};

/**
 * The first delivery is attempted at once, so the caller learns of a refusing provider; whatever the
 * outcome, the message stays in the outbox and is retried by the queue (and the sweep).
 */
export async function deliverNow(env: Env, db: Database, created: CreatedInvitation): Promise<CreatedInvitation> {
  if (!created.outboxId) return created;
  const outboxId = created.outboxId;
  // The invitation is committed whatever happens here: a crash is one more failed attempt, never a 500.
  const result = await deliver(env, db, outboxId, invitationDelivery).catch((error: unknown) => ({
    outcome: "retry" as const,
    retryInSeconds: backoffSeconds(1),
    error: `delivery failed: ${String((error as Error)?.message ?? error)}`,
  }));
  if (result.outcome === "retry") await dispatch(env, [outboxId], result.retryInSeconds);
  if (result.outcome === "retry" || result.outcome === "dead") {
    throw new ApiError(
      "send_email_error",
      result.outcome === "retry"
        ? "The invitation was saved but its message could not be delivered yet; it will be retried, and :resend works."
        : "The invitation was saved but the provider refused its message for good; check the address, then :resend.",
      {
        invitation_id: toTypeId(ID_PREFIX.invitation, created.invitation.id),
        delivery_error: result.error.slice(0, 300),
      },
    );
  }
  const deliveryStatus = result.outcome === "sent" ? ("sent" as const) : created.invitation.deliveryStatus;
  return { ...created, invitation: { ...created.invitation, deliveryStatus } };
}
