import { and, eq } from "drizzle-orm";
import { type DeliveryChannel, type Invitation, invitations, type OutboxChannel, type Role } from "../../schema";
import { assertNotInOtherExclusiveOrganisation } from "../organisations/exclusive";
import { recordChange } from "../platform/audit";
import { DAY_MS } from "../platform/clock";
import { conflict, notFound, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { supersedePending, writeOutboxMessage } from "../platform/outbox";
import { effectivePlan, enforceQuotas, requireFeature } from "../platform/plans";
import type { InvitationContext } from "./context";
import { expireOverdue } from "./expire";
import { invitationMessage } from "./messages";
import { invitationValues, resourceOf } from "./rows";
import {
  assertMayInviteTo,
  type Invitee,
  inviteeMatch,
  inviteeStanding,
  lockInvitation,
  organisationAndInvitableRole,
  pendingInvitation,
  roleOfPending,
} from "./rules";
import { effectiveStatus, newInvitationCode, presentInvitation } from "./schemas";

export interface CreatedInvitation {
  invitation: Invitation;
  /** Null for an invitation to an opportunity. */
  role: Role | null;
  code: string;
  outboxId: string | null;
}

/** Creates the invitation, its outgoing message (outbox) and its audit event in one transaction. */
export async function createInvitation(
  context: InvitationContext,
  invitee: Invitee,
  delivery: DeliveryChannel | undefined,
): Promise<CreatedInvitation> {
  const channel = delivery ?? (invitee.email ? "email" : "sms");
  if (channel === "email" && !invitee.email) throw validationError({ delivery: ["email delivery needs an email"] });
  if (channel === "sms" && !invitee.phone) throw validationError({ delivery: ["sms delivery needs a phone"] });
  const { code, codeHash } = await newInvitationCode();
  try {
    return await context.db.transaction(async (tx) => {
      const { organisation, role } = await organisationAndInvitableRole(tx, context, invitee.role_id);
      const { memberId, pendingId, overdue } = await inviteeStanding(tx, organisation.id, invitee);
      if (overdue) await expireOverdue(tx, and(eq(invitations.organisationId, organisation.id), inviteeMatch(invitee)));
      if (memberId) {
        throw conflict("The invitee is already a member.", { existing_id: toTypeId(ID_PREFIX.membership, memberId) });
      }
      if (pendingId) {
        throw conflict("The invitee already has a pending invitation.", {
          existing_id: toTypeId(ID_PREFIX.invitation, pendingId),
        });
      }
      await assertNotInOtherExclusiveOrganisation(tx, organisation, invitee);
      if (channel === "sms") requireFeature(effectivePlan(organisation), "sms_invitations", context.upgradeUrl);
      await enforceQuotas(tx, context, { members: 1, invitations_per_day: 1 }, organisation);

      const [invitation] = await tx
        .insert(invitations)
        .values(
          invitationValues(
            context,
            {
              email: invitee.email,
              phone: invitee.phone,
              roleId: role.id,
              customMessage: invitee.custom_message,
              expiresInDays: invitee.expires_in_days,
            },
            { channel, codeHash, now: new Date() },
          ),
        )
        .returning();
      if (!invitation) throw new Error("invitation insert returned nothing");
      const outbox =
        channel === "none"
          ? null
          : await writeOutboxMessage(
              tx,
              invitationMessage(context.env, {
                organisationId: organisation.id,
                invitationId: invitation.id,
                channel,
                recipient: channel === "email" ? (invitee.email as string) : (invitee.phone as string),
                organisationName: organisation.name,
                inviterName: invitation.inviterName,
                roleName: role.name,
                customMessage: invitation.customMessage,
                code,
                expiresAt: invitation.expiresAt,
              }),
            );
      await recordChange(tx, context, {
        action: "invitation.created",
        resource: resourceOf(invitation),
        before: null,
        after: presentInvitation(invitation, role),
      });
      return { invitation, role, code, outboxId: outbox?.id ?? null };
    });
  } catch (error) {
    // Two creates raced past the check above: the partial unique index has the last word.
    const cause =
      (error as { cause?: { code?: string; constraint?: string } }).cause ??
      (error as { code?: string; constraint?: string });
    if (cause?.code === "23505" && String(cause.constraint).startsWith("invitations_pending_")) {
      const pending = await pendingInvitation(context.db, context.organisationId, invitee);
      throw conflict("The invitee already has a pending invitation.", {
        ...(pending ? { existing_id: toTypeId(ID_PREFIX.invitation, pending.id) } : {}),
      });
    }
    throw error;
  }
}

/**
 * A new code, a new expiry and a new message for a pending invitation (`:resend`, the webhook): the old code
 * stops working and an old undelivered message is superseded.
 */
export async function reissueInvitation(
  context: InvitationContext,
  invitationId: string,
  options: { sendCodeless?: boolean } = {},
): Promise<CreatedInvitation> {
  const { code, codeHash } = await newInvitationCode();
  return context.db.transaction(async (tx) => {
    const row = await lockInvitation(tx, { id: invitationId, organisationId: context.organisationId });
    if (!row) throw notFound("invitation");
    const before = row.invitation;
    const status = effectiveStatus(before);
    if (status !== "pending") throw conflict(`The invitation is ${status}; only pending invitations can be resent.`);
    // An invitation to an opportunity carries no role; one to the organisation still has its role (pending).
    const role = before.opportunityId ? null : roleOfPending(row.role);
    if (role) assertMayInviteTo(context.caller, role);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + before.expiresInDays * DAY_MS);
    // `delivery: "none"` keeps the code with its creator; asked to send anyway (the webhook), it becomes a message.
    const delivery =
      before.delivery === "none" && options.sendCodeless ? (before.email ? "email" : "sms") : before.delivery;
    const sending = delivery !== "none";
    // A plan that lost `sms_invitations` since keeps the invitation but sends no more SMS for it.
    if (delivery === "sms") requireFeature(effectivePlan(row.organisation), "sms_invitations", context.upgradeUrl);
    const [after] = await tx
      .update(invitations)
      .set({
        delivery,
        codeHash,
        expiresAt,
        sendCount: sending ? before.sendCount + 1 : before.sendCount,
        lastSentAt: sending ? now : before.lastSentAt,
        deliveryStatus: sending ? "pending" : "not_sent",
      })
      .where(eq(invitations.id, invitationId))
      .returning();
    if (!after) throw notFound("invitation");
    const outbox = sending
      ? await writeOutboxMessage(
          tx,
          invitationMessage(context.env, {
            organisationId: after.organisationId,
            invitationId: after.id,
            channel: after.delivery as OutboxChannel,
            recipient: (after.delivery === "email" ? after.email : after.phone) as string,
            organisationName: row.organisation.name,
            inviterName: after.inviterName,
            roleName: role?.name ?? null,
            opportunityName: row.opportunity?.name ?? null,
            customMessage: after.customMessage,
            code,
            expiresAt,
          }),
        )
      : null;
    // The code is secret: the trail records that it changed (by its digest), never what it is.
    await recordChange(tx, context, {
      action: "invitation.resent",
      resource: resourceOf(after),
      before: { ...presentInvitation(before, role), code: before.codeHash },
      after: { ...presentInvitation(after, role), code: after.codeHash },
    });
    return { invitation: after, role, code, outboxId: outbox?.id ?? null };
  });
}

/** Withdraws a pending invitation: its code stops working and its unsent message is dropped. */
export async function cancelInvitation(context: InvitationContext, invitationId: string) {
  return context.db.transaction(async (tx) => {
    const row = await lockInvitation(tx, { id: invitationId, organisationId: context.organisationId });
    if (!row) throw notFound("invitation");
    const status = effectiveStatus(row.invitation);
    if (status !== "pending") throw conflict(`The invitation is ${status}; only pending invitations can be cancelled.`);
    // A pending invitation whose role was deleted since is anyone's to clean up.
    if (row.role) assertMayInviteTo(context.caller, row.role);
    const [after] = await tx
      .update(invitations)
      .set({ status: "cancelled", cancelledAt: new Date() })
      .where(eq(invitations.id, invitationId))
      .returning();
    if (!after) throw notFound("invitation");
    await supersedePending(tx, invitationId);
    await recordChange(tx, context, {
      action: "invitation.cancelled",
      resource: resourceOf(after),
      before: presentInvitation(row.invitation, row.role),
      after: presentInvitation(after, row.role),
    });
    return { invitation: after, role: row.role };
  });
}
