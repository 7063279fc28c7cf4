import type { DeliveryChannel, Invitation, InviterType, invitations } from "../../schema";
import type { Actor } from "../platform/actor";
import { DAY_MS } from "../platform/clock";
import type { InvitationContext } from "./context";

/** People, service accounts and the webhook invite; the system never does. */
function inviterTypeOf(actor: Actor): InviterType {
  if (actor.type === "system") throw new Error("the system does not invite");
  return actor.type;
}

export const resourceOf = (invitation: Pick<Invitation, "id" | "email" | "phone">) => ({
  type: "invitation",
  id: invitation.id,
  name: invitation.email ?? invitation.phone,
});

/** Who is invited to what: to a role of the organisation, or to one of its opportunities (no role). */
export interface InvitationTarget {
  email?: string | null;
  phone?: string | null;
  roleId: string | null;
  opportunityId?: string | null;
  customMessage?: string | null;
  expiresInDays: number;
}

/** The row of a new pending invitation, sent (or not) now: what every way of inviting writes. */
export function invitationValues(
  context: InvitationContext,
  target: InvitationTarget,
  delivery: { channel: DeliveryChannel; codeHash: string; now: Date },
): typeof invitations.$inferInsert & { expiresAt: Date; inviterName: string } {
  const { actor } = context;
  const { channel, now } = delivery;
  const sending = channel !== "none";
  return {
    organisationId: context.organisationId,
    email: target.email ?? null,
    phone: target.phone ?? null,
    roleId: target.roleId,
    opportunityId: target.opportunityId ?? null,
    customMessage: target.customMessage || null,
    inviterType: inviterTypeOf(actor),
    inviterUserId: actor.type === "user" ? actor.id : null,
    inviterServiceAccountId: actor.type === "service_account" ? actor.id : null,
    inviterName: actor.name ?? "A member of the organisation",
    codeHash: delivery.codeHash,
    delivery: channel,
    deliveryStatus: sending ? "pending" : "not_sent",
    sendCount: sending ? 1 : 0,
    lastSentAt: sending ? now : null,
    expiresInDays: target.expiresInDays,
    expiresAt: new Date(now.getTime() + target.expiresInDays * DAY_MS),
  };
}
