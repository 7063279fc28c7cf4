import { and, eq, sql } from "drizzle-orm";
import { type Invitation, invitations, memberships, organisations, type Role, roles, users } from "../../schema";
import { assertNotInOtherExclusiveOrganisation, lockOrganisationToJoin, lockPerson } from "../organisations/exclusive";
import { type AuditActor, diff, writeAuditEvent } from "../platform/audit";
import type { Principal } from "../platform/auth";
import { DAY_MS } from "../platform/clock";
import type { Database, Queryable } from "../platform/db";
import type { Env } from "../platform/env";
import { ApiError, conflict, notFound, permissionDenied, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { supersedePending, writeOutboxMessage } from "../platform/outbox";
import { assertMayGrantGlobalAccess, assertMayGrantPermissions } from "../platform/parity";
import { type Caller, OWNER_ROLE_KEY } from "../platform/permissions";
import { ensureUser, type OrgContext, type RequestMeta } from "../platform/tenancy";
import { expireOverdue } from "./expire";
import { invitationMessage } from "./messages";
import { effectiveStatus, hashInvitationCode, newInvitationCode, presentInvitation } from "./schemas";

export interface Invitee {
  email?: string;
  phone?: string;
  role_id: string;
  custom_message?: string;
  expires_in_days: number;
}

/** Who invites: a member or service account of the organisation (with their role), or the signed webhook. */
export type Inviter = { kind: "caller"; caller: Caller } | { kind: "webhook"; name: string };

export interface InvitationContext {
  /** The request's database, or a transaction the work joins (the webhook records its receipt in it). */
  db: Queryable;
  env: Env;
  organisationId: string;
  inviter: Inviter;
  meta: RequestMeta | null;
}

/** The context for a member or service account inviting into the organisation they entered. */
export function callerContext(ctx: OrgContext, env: Env): InvitationContext {
  return {
    db: ctx.db,
    env,
    organisationId: ctx.caller.organisationId,
    inviter: { kind: "caller", caller: ctx.caller },
    meta: ctx.meta,
  };
}

export const WEBHOOK_ACTOR_NAME = "invitation-emails webhook";

export function auditActor(inviter: Inviter): AuditActor {
  if (inviter.kind === "webhook") return { type: "webhook", id: null, name: inviter.name, email: null };
  const { caller } = inviter;
  if (caller.serviceAccountId)
    return { type: "service_account", id: caller.serviceAccountId, name: caller.name, email: null };
  return { type: "user", id: caller.userId, name: caller.name, email: caller.email };
}

/** The role an invitation may carry: of this organisation, never the owner's, and within the parity rules. */
async function invitableRole(tx: Queryable, context: InvitationContext, roleId: string): Promise<Role> {
  const [role] = await tx
    .select()
    .from(roles)
    .where(and(eq(roles.id, roleId), eq(roles.organisationId, context.organisationId)))
    .for("share");
  if (!role) throw validationError({ role_id: ["is not a role of this organisation"] });
  assertMayInviteTo(context.inviter, role);
  return role;
}

/**
 * Checked whenever a code for the role is handed out (creation, every resend) or withdrawn (cancel): only
 * whoever could invite to the role manages its invitations.
 */
export function assertMayInviteTo(inviter: Inviter, role: Role): void {
  if (role.key === OWNER_ROLE_KEY) throw permissionDenied("The owner role is given only by :transfer-ownership.");
  if (inviter.kind === "caller") {
    const { caller } = inviter;
    if (role.globalAccess && caller.serviceAccountId) {
      throw permissionDenied("A service account cannot invite to a global-access role.");
    }
    if (role.globalAccess) assertMayGrantGlobalAccess(caller);
    assertMayGrantPermissions(caller, role.permissions);
  } else if (role.globalAccess) {
    throw permissionDenied("The webhook cannot invite to a global-access role.");
  }
}

/** Members of the organisation matching the invitee, by email or phone. */
async function existingMember(tx: Queryable, organisationId: string, invitee: Pick<Invitee, "email" | "phone">) {
  const match = invitee.email ? eq(sql`lower(${users.email})`, invitee.email) : eq(users.phone, invitee.phone ?? "");
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), match))
    .limit(1);
  return member;
}

const inviteeMatch = (invitee: Pick<Invitee, "email" | "phone">) =>
  invitee.email ? eq(invitations.email, invitee.email) : eq(invitations.phone, invitee.phone ?? "");

async function pendingInvitation(tx: Queryable, organisationId: string, invitee: Pick<Invitee, "email" | "phone">) {
  const match = inviteeMatch(invitee);
  const [pending] = await tx
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.organisationId, organisationId), eq(invitations.status, "pending"), match))
    .limit(1);
  return pending;
}

/** A role with pending invitations cannot be deleted (roles/delete.ts), so a pending invitation has its role. */
function roleOfPending(role: Role | null): Role {
  if (!role) throw conflict("The invitation's role no longer exists.");
  return role;
}

export interface CreatedInvitation {
  invitation: Invitation;
  role: Role;
  code: string;
  outboxId: string | null;
}

/** Creates the invitation, its outgoing message (outbox) and its audit event in one transaction. */
export async function createInvitation(
  context: InvitationContext,
  invitee: Invitee,
  delivery: "email" | "sms" | "none" | undefined,
): Promise<CreatedInvitation> {
  const channel = delivery ?? (invitee.email ? "email" : "sms");
  if (channel === "email" && !invitee.email) throw validationError({ delivery: ["email delivery needs an email"] });
  if (channel === "sms" && !invitee.phone) throw validationError({ delivery: ["sms delivery needs a phone"] });
  const { code, codeHash } = await newInvitationCode();
  try {
    return await context.db.transaction(async (tx) => {
      const [organisation] = await tx.select().from(organisations).where(eq(organisations.id, context.organisationId));
      if (!organisation) throw notFound("organisation");
      const role = await invitableRole(tx, context, invitee.role_id);
      const member = await existingMember(tx, organisation.id, invitee);
      if (member) {
        throw conflict("The invitee is already a member.", { existing_id: toTypeId(ID_PREFIX.membership, member.id) });
      }
      await expireOverdue(tx, and(eq(invitations.organisationId, organisation.id), inviteeMatch(invitee)));
      const pending = await pendingInvitation(tx, organisation.id, invitee);
      if (pending) {
        throw conflict("The invitee already has a pending invitation.", {
          existing_id: toTypeId(ID_PREFIX.invitation, pending.id),
        });
      }
      await assertNotInOtherExclusiveOrganisation(tx, organisation, invitee);

      const inviter = context.inviter;
      const inviterName =
        inviter.kind === "webhook" ? inviter.name : (inviter.caller.name ?? "A member of the organisation");
      const now = new Date();
      const expiresAt = new Date(now.getTime() + invitee.expires_in_days * DAY_MS);
      const [invitation] = await tx
        .insert(invitations)
        .values({
          organisationId: organisation.id,
          email: invitee.email ?? null,
          phone: invitee.phone ?? null,
          roleId: role.id,
          customMessage: invitee.custom_message || null,
          inviterType:
            inviter.kind === "webhook" ? "webhook" : inviter.caller.serviceAccountId ? "service_account" : "user",
          inviterUserId: inviter.kind === "caller" ? inviter.caller.userId : null,
          inviterServiceAccountId: inviter.kind === "caller" ? inviter.caller.serviceAccountId : null,
          inviterName,
          codeHash,
          delivery: channel,
          deliveryStatus: channel === "none" ? "not_sent" : "pending",
          sendCount: channel === "none" ? 0 : 1,
          lastSentAt: channel === "none" ? null : now,
          expiresInDays: invitee.expires_in_days,
          expiresAt,
        })
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
                inviterName,
                roleName: role.name,
                customMessage: invitation.customMessage,
                code,
                expiresAt,
              }),
            );
      await writeAuditEvent(tx, auditActor(inviter), context.meta, {
        organisationId: organisation.id,
        action: "invitation.created",
        resource: { type: "invitation", id: invitation.id, name: invitation.email ?? invitation.phone },
        changes: diff(null, presentInvitation(invitation, role)),
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
    const [row] = await tx
      .select({ invitation: invitations, role: roles, organisation: organisations })
      .from(invitations)
      .leftJoin(roles, eq(roles.id, invitations.roleId))
      .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
      .where(and(eq(invitations.id, invitationId), eq(invitations.organisationId, context.organisationId)))
      .for("update", { of: invitations });
    if (!row) throw notFound("invitation");
    const before = row.invitation;
    const status = effectiveStatus(before);
    if (status !== "pending") throw conflict(`The invitation is ${status}; only pending invitations can be resent.`);
    const role = roleOfPending(row.role);
    assertMayInviteTo(context.inviter, role);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + before.expiresInDays * DAY_MS);
    // `delivery: "none"` keeps the code with its creator; asked to send anyway (the webhook), it becomes a message.
    const delivery =
      before.delivery === "none" && options.sendCodeless ? (before.email ? "email" : "sms") : before.delivery;
    const sending = delivery !== "none";
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
            channel: after.delivery as "email" | "sms",
            recipient: (after.delivery === "email" ? after.email : after.phone) as string,
            organisationName: row.organisation.name,
            inviterName: after.inviterName,
            roleName: role.name,
            customMessage: after.customMessage,
            code,
            expiresAt,
          }),
        )
      : null;
    await writeAuditEvent(tx, auditActor(context.inviter), context.meta, {
      organisationId: after.organisationId,
      action: "invitation.resent",
      resource: { type: "invitation", id: after.id, name: after.email ?? after.phone },
      changes: {
        ...diff(presentInvitation(before, role), presentInvitation(after, role)),
        code: { old: "[redacted]", new: "[redacted]" },
      },
    });
    return { invitation: after, role, code, outboxId: outbox?.id ?? null };
  });
}

export type Answer = "accept" | "decline";

/**
 * The invitee accepts or declines with the code. Their verified email (or phone) must be the invitee's;
 * accepting creates the membership. The invitation row is locked, so concurrent accepts make one membership.
 */
export async function answerInvitation(
  db: Database,
  person: Principal & { kind: "user" },
  code: string,
  answer: Answer,
  meta: RequestMeta,
) {
  const codeHash = await hashInvitationCode(code);
  const user = await ensureUser(db, person);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ invitation: invitations, role: roles, organisation: organisations })
      .from(invitations)
      .leftJoin(roles, eq(roles.id, invitations.roleId))
      .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
      .where(eq(invitations.codeHash, codeHash))
      .for("update", { of: invitations });
    if (!row || row.invitation.expiresAt <= new Date()) throw notFound("invitation");
    const { invitation, organisation } = row;
    if (invitation.status !== "pending") throw conflict(`The invitation is already ${invitation.status}.`);
    const role = roleOfPending(row.role);
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
    if (answer === "accept") {
      const [already] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.organisationId, organisation.id), eq(memberships.userId, user.id)));
      if (already) {
        throw conflict("You are already a member of this organisation.", {
          existing_id: toTypeId(ID_PREFIX.membership, already.id),
        });
      }
      // The flag as it is now, held until commit: a switch to exclusive membership waits for this join or is seen.
      const joining = await lockOrganisationToJoin(tx, organisation.id);
      if (joining.exclusiveMembership) await lockPerson(tx, user.id);
      await assertNotInOtherExclusiveOrganisation(tx, joining, { userId: user.id });
      const [membership] = await tx
        .insert(memberships)
        .values({ organisationId: organisation.id, userId: user.id, roleId: role.id })
        .returning();
      membershipId = membership?.id ?? null;
    }
    const now = new Date();
    const [after] = await tx
      .update(invitations)
      .set(
        answer === "accept"
          ? { status: "accepted", acceptedAt: now, acceptedByUserId: user.id }
          : { status: "declined", declinedAt: now },
      )
      .where(eq(invitations.id, invitation.id))
      .returning();
    if (!after) throw notFound("invitation");
    await supersedePending(tx, invitation.id);
    await writeAuditEvent(tx, { type: "user", id: user.id, name: user.name, email: user.email }, meta, {
      organisationId: organisation.id,
      action: answer === "accept" ? "invitation.accepted" : "invitation.declined",
      resource: { type: "invitation", id: invitation.id, name: invitation.email ?? invitation.phone },
      changes: {
        ...diff(presentInvitation(invitation, role), presentInvitation(after, role)),
        ...(membershipId ? { member_id: { old: null, new: toTypeId(ID_PREFIX.membership, membershipId) } } : {}),
      },
    });
    return { invitation: after, role, membershipId };
  });
}
