import { eq } from "drizzle-orm";
import { invitations, type OutboxChannel, webhookReceipts } from "../../schema";
import { type InvitationContext, WEBHOOK_ACTOR_NAME } from "../invitations/context";
import type { Invitee } from "../invitations/rules";
import { type CreatedInvitation, createInvitation, reissueInvitation } from "../invitations/service";
import { webhookActor } from "../platform/actor";
import { configOf } from "../platform/config";
import type { Database } from "../platform/db";
import type { Env } from "../platform/env";
import { notFound } from "../platform/errors";
import type { RequestMeta } from "../platform/request";

/** What an external system may ask for: a new invitation, or a pending one sent again (with a new code). */
export type WebhookEvent =
  | { type: "invitation.send"; data: { invitation_id: string } }
  | {
      type: "invitation.create";
      data: Invitee & { organisation_id: string; delivery?: OutboxChannel; inviter_name?: string };
    };

/**
 * Processes one signed event, once. The receipt commits with the work or not at all: a refused or crashed
 * event leaves no receipt, so the sender's retry is processed; a concurrent retry waits on the receipt's key
 * and then finds it (null: a duplicate). The invitation verbs write their audit events in this transaction.
 */
export async function processWebhookEvent(
  db: Database,
  env: Env,
  meta: RequestMeta,
  webhookId: string,
  event: WebhookEvent,
): Promise<CreatedInvitation | null> {
  return db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(webhookReceipts)
      .values({ id: webhookId, type: event.type })
      .onConflictDoNothing()
      .returning();
    if (!fresh) return null;
    const organisationId =
      event.type === "invitation.create"
        ? event.data.organisation_id
        : (
            await tx
              .select({ organisationId: invitations.organisationId })
              .from(invitations)
              .where(eq(invitations.id, event.data.invitation_id))
          )[0]?.organisationId;
    if (!organisationId) throw notFound("invitation");
    const inviterName = (event.type === "invitation.create" && event.data.inviter_name) || WEBHOOK_ACTOR_NAME;
    const context: InvitationContext = {
      db: tx,
      env,
      organisationId,
      actor: webhookActor(inviterName),
      caller: null,
      meta,
      upgradeUrl: configOf(env).UPGRADE_URL,
    };
    return event.type === "invitation.create"
      ? createInvitation(context, event.data, event.data.delivery)
      : reissueInvitation(context, event.data.invitation_id, { sendCodeless: true });
  });
}
