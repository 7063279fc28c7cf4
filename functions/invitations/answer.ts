import { and, eq, sql } from "drizzle-orm";
import {
  invitations,
  memberships,
  opportunities,
  opportunityWorkers,
  organisations,
  type Role,
  roles,
} from "../../schema";
import { assertNotInOtherExclusiveOrganisation, lockOrganisationToJoin, lockPerson } from "../organisations/exclusive";
import { recordChange } from "../platform/audit";
import type { Database, Transaction } from "../platform/db";
import { ApiError, conflict, notFound } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { supersedePending } from "../platform/outbox";
import type { PersonContext } from "../platform/people";
import { lockInvitation, roleOfPending } from "./rules";
import { hashInvitationCode, presentInvitation } from "./schemas";

/**
 * What a code shows to whoever holds it, before signing in: whose invitation, to what, until when, and whether it
 * can still be answered — nothing more (no invitee, no inviter's email). A code nobody was sent (or one replaced
 * by a resend) is 404; a used one says how it ended, so a landing page can say so instead of offering buttons.
 */
export async function lookupInvitation(db: Database, code: string) {
  const codeHash = await hashInvitationCode(code);
  const [row] = await db
    .select({
      organisation: organisations.name,
      inviter: invitations.inviterName,
      role: roles.name,
      opportunity: opportunities.name,
      status: invitations.status,
      expiresAt: invitations.expiresAt,
      overdue: sql<boolean>`${invitations.expiresAt} <= now()`,
    })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
    .leftJoin(roles, eq(roles.id, invitations.roleId))
    .leftJoin(opportunities, eq(opportunities.id, invitations.opportunityId))
    .where(eq(invitations.codeHash, codeHash));
  if (!row) throw notFound("invitation");
  // Overdue but not yet swept by the cron: expired already, as accept and decline treat it.
  const status = row.status === "pending" && row.overdue ? "expired" : row.status;
  return {
    organisation: { name: row.organisation },
    inviter: { name: row.inviter },
    role: row.role === null ? null : { name: row.role },
    opportunity: row.opportunity === null ? null : { name: row.opportunity },
    status,
    answerable: status === "pending",
    expires_at: row.expiresAt.toISOString(),
  };
}

export type Answer = "accept" | "decline";

/**
 * The invitee accepts or declines with the code. Their verified email (or phone) must be the invitee's;
 * accepting creates the membership, or for an invitation to an opportunity the person's access to it (not
 * membership). The invitation row is locked, so concurrent accepts make one membership (or one access).
 */
export async function answerInvitation(ctx: PersonContext, code: string, answer: Answer) {
  const codeHash = await hashInvitationCode(code);
  const person = ctx.user;
  return ctx.db.transaction(async (tx) => {
    const row = await lockInvitation(tx, { codeHash });
    if (!row || row.invitation.expiresAt <= new Date()) throw notFound("invitation");
    const { invitation, organisation } = row;
    if (invitation.status !== "pending") throw conflict(`The invitation is already ${invitation.status}.`);
    const role = invitation.opportunityId ? null : roleOfPending(row.role);
    const matches = invitation.email
      ? person.emailVerified && person.email === invitation.email
      : person.phoneVerified && person.phone === invitation.phone;
    if (!matches) {
      throw new ApiError(
        "invitee_mismatch",
        `This invitation is for another ${invitation.email ? "email address" : "phone number"}; sign in as the invitee (with a verified ${invitation.email ? "email" : "phone"}).`,
      );
    }
    let membershipId: string | null = null;
    const now = new Date();
    if (answer === "accept") {
      const { opportunityId } = invitation;
      if (opportunityId)
        await grantOpportunityAccess(tx, { opportunityId, invitationId: invitation.id }, person.id, now);
      else membershipId = await joinOrganisation(tx, organisation.id, role as Role, person.id);
    }
    const [after] = await tx
      .update(invitations)
      .set(
        answer === "accept"
          ? { status: "accepted", acceptedAt: now, acceptedByUserId: person.id }
          : { status: "declined", declinedAt: now },
      )
      .where(eq(invitations.id, invitation.id))
      .returning();
    if (!after) throw notFound("invitation");
    await supersedePending(tx, invitation.id);
    const memberId = membershipId ? toTypeId(ID_PREFIX.membership, membershipId) : null;
    await recordChange(
      tx,
      { ...ctx, organisationId: organisation.id },
      {
        action: answer === "accept" ? "invitation.accepted" : "invitation.declined",
        resource: { type: "invitation", id: invitation.id, name: invitation.email ?? invitation.phone },
        before: presentInvitation(invitation, role),
        after: { ...presentInvitation(after, role), ...(memberId ? { member_id: memberId } : {}) },
      },
    );
    return { invitation: after, role, membershipId };
  });
}

/** The membership an invitation to the organisation creates, exactly once, within exclusive membership. */
async function joinOrganisation(tx: Transaction, organisationId: string, role: Role, userId: string) {
  const [already] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId)));
  if (already) {
    throw conflict("You are already a member of this organisation.", {
      existing_id: toTypeId(ID_PREFIX.membership, already.id),
    });
  }
  // The flag as it is now, held until commit: a switch to exclusive membership waits for this join or is seen.
  const joining = await lockOrganisationToJoin(tx, organisationId);
  if (joining.exclusiveMembership) await lockPerson(tx, userId);
  await assertNotInOtherExclusiveOrganisation(tx, joining, { userId });
  const [membership] = await tx.insert(memberships).values({ organisationId, userId, roleId: role.id }).returning();
  return membership?.id ?? null;
}

/** Access to the opportunity (not membership of its organisation), once per person. */
async function grantOpportunityAccess(
  tx: Transaction,
  by: { opportunityId: string; invitationId: string },
  userId: string,
  joinedAt: Date,
) {
  const [granted] = await tx
    .insert(opportunityWorkers)
    .values({ ...by, userId, joinedAt })
    .onConflictDoNothing()
    .returning({ id: opportunityWorkers.id });
  if (!granted) throw conflict("You already have access to this opportunity.");
}
