import { and, eq, gt, lte, or, type SQL, sql } from "drizzle-orm";
import {
  type InvitationStatus,
  invitations,
  memberships,
  type Organisation,
  opportunities,
  organisations,
  type Role,
  roles,
  users,
} from "../../schema";
import type { Queryable, Transaction } from "../platform/db";
import { conflict, notFound, permissionDenied, validationError } from "../platform/errors";
import { assertMayGrantGlobalAccess, assertMayGrantPermissions } from "../platform/parity";
import { type Caller, OWNER_ROLE_KEY } from "../platform/permissions";
import type { InvitationContext } from "./context";

/** Who is invited: by email or by phone (exactly one), to a role, for some days. */
export interface Invitee {
  email?: string;
  phone?: string;
  role_id: string;
  custom_message?: string;
  expires_in_days: number;
}

/**
 * The organisation and the role an invitation may carry (of this organisation, never the owner's, within the
 * parity rules), read and locked in one statement: the role is not changed or deleted under the invitation, and
 * the organisation's row is the lock its quotas count after (enforceQuotas takes it as locked). One locking clause
 * takes both rows `for no key update`: stronger than the role needs (a share lock would do), so a member's role
 * change or a service account given the same role waits for the invitation's commit; the organisation's lock
 * already serialises invitations to it, so this costs nothing more between invitations.
 */
export async function organisationAndInvitableRole(
  tx: Queryable,
  context: InvitationContext,
  roleId: string,
): Promise<{ organisation: Organisation; role: Role }> {
  const [found] = await tx
    .select({ organisation: organisations, role: roles })
    .from(roles)
    .innerJoin(organisations, eq(organisations.id, roles.organisationId))
    .where(and(eq(roles.id, roleId), eq(roles.organisationId, context.organisationId)))
    .for("no key update", { of: [roles, organisations] });
  if (!found) {
    const [organisation] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, context.organisationId));
    if (!organisation) throw notFound("organisation");
    throw validationError({ role_id: ["is not a role of this organisation"] });
  }
  assertMayInviteTo(context.caller, found.role);
  return found;
}

/**
 * Checked whenever a code for the role is handed out (creation, every resend) or withdrawn (cancel): only
 * whoever could invite to the role manages its invitations.
 */
export function assertMayInviteTo(caller: Caller | null, role: Role): void {
  if (role.key === OWNER_ROLE_KEY) throw permissionDenied("The owner role is given only by :transfer-ownership.");
  if (caller) {
    if (role.globalAccess && caller.serviceAccountId) {
      throw permissionDenied("A service account cannot invite to a global-access role.");
    }
    if (role.globalAccess) assertMayGrantGlobalAccess(caller);
    assertMayGrantPermissions(caller, role.permissions);
  } else if (role.globalAccess) {
    throw permissionDenied("The webhook cannot invite to a global-access role.");
  }
}

/**
 * A member of the organisation matching the invitee (by email or phone), a pending invitation of theirs, and
 * whether one of theirs is pending past its expiry (to be expired before a fresh one, which it would block).
 */
export async function inviteeStanding(
  tx: Queryable,
  organisationId: string,
  invitee: Pick<Invitee, "email" | "phone">,
): Promise<{ memberId: string | null; pendingId: string | null; overdue: boolean }> {
  const match = invitee.email ? eq(sql`lower(${users.email})`, invitee.email) : eq(users.phone, invitee.phone ?? "");
  const member = tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), match))
    .limit(1);
  const pending = pendingInvitations(tx, organisationId, invitee, gt(invitations.expiresAt, sql`now()`)).limit(1);
  const overdue = pendingInvitations(tx, organisationId, invitee, lte(invitations.expiresAt, sql`now()`));
  const [standing] = await tx
    .select({
      memberId: sql<string | null>`(${member})`,
      pendingId: sql<string | null>`(${pending})`,
      overdue: sql<boolean>`exists (${overdue})`,
    })
    .from(sql`(select 1) as one`);
  return standing ?? { memberId: null, pendingId: null, overdue: false };
}

export const inviteeMatch = (invitee: Pick<Invitee, "email" | "phone">) =>
  invitee.email ? eq(invitations.email, invitee.email) : eq(invitations.phone, invitee.phone ?? "");

const pendingInvitations = (
  tx: Queryable,
  organisationId: string,
  invitee: Pick<Invitee, "email" | "phone">,
  also?: SQL,
) =>
  tx
    .select({ id: invitations.id })
    .from(invitations)
    .where(
      and(
        eq(invitations.organisationId, organisationId),
        eq(invitations.status, "pending"),
        inviteeMatch(invitee),
        also,
      ),
    );

export async function pendingInvitation(
  tx: Queryable,
  organisationId: string,
  invitee: Pick<Invitee, "email" | "phone">,
) {
  const [pending] = await pendingInvitations(tx, organisationId, invitee).limit(1);
  return pending;
}

/**
 * The invitation, its role (null once deleted, or for an invitation to an opportunity), its opportunity (if any)
 * and its organisation; the invitation row stays locked.
 */
export async function lockInvitation(
  tx: Transaction,
  by: { codeHash: string } | { id: string; organisationId: string },
) {
  const where =
    "codeHash" in by
      ? eq(invitations.codeHash, by.codeHash)
      : and(eq(invitations.id, by.id), eq(invitations.organisationId, by.organisationId));
  const [row] = await tx
    .select({ invitation: invitations, role: roles, organisation: organisations, opportunity: opportunities })
    .from(invitations)
    .leftJoin(roles, eq(roles.id, invitations.roleId))
    .leftJoin(opportunities, eq(opportunities.id, invitations.opportunityId))
    .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
    .where(where)
    .for("update", { of: invitations });
  return row;
}

/** A role with pending invitations cannot be deleted (roles/delete.ts), so a pending invitation has its role. */
export function roleOfPending(role: Role | null): Role {
  if (!role) throw conflict("The invitation's role no longer exists.");
  return role;
}

/** Filters by the status callers see: an overdue pending invitation is expired before the cron marks it. */
export function invitationStatusIs(status: InvitationStatus): SQL {
  const overdue = and(eq(invitations.status, "pending"), lte(invitations.expiresAt, sql`now()`)) as SQL;
  if (status === "pending") return and(eq(invitations.status, "pending"), gt(invitations.expiresAt, sql`now()`)) as SQL;
  if (status === "expired") return or(eq(invitations.status, "expired"), overdue) as SQL;
  return eq(invitations.status, status);
}
