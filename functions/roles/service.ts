import { and, eq, gt, notExists, sql } from "drizzle-orm";
import { invitations, memberships, type Role, roles, serviceAccounts } from "../../schema";
import { recordChange } from "../platform/audit";
import { databaseErrorOf, type Queryable } from "../platform/db";
import { type ApiError, conflict, notFound, permissionDenied } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { assertMayGrantGlobalAccess, assertMayGrantPermissions } from "../platform/parity";
import type { Permission } from "../platform/permissions";
import { enforceQuotas } from "../platform/plans";
import type { OrgContext } from "../platform/tenancy";
import { presentRole } from "./schemas";

export interface NewRole {
  name: string;
  description: string;
  permissions: Permission[];
  global_access: boolean;
}

export type RoleChanges = Partial<NewRole>;

const resourceOf = (role: Role) => ({ type: "role", id: role.id, name: role.name });

/** A custom role, within what the caller may grant: names are unique in the organisation (409). */
export async function createRole(ctx: OrgContext, input: NewRole): Promise<Role> {
  if (input.global_access) assertMayGrantGlobalAccess(ctx.caller);
  assertMayGrantPermissions(ctx.caller, input.permissions);
  return ctx.db.transaction(async (tx) => {
    await enforceQuotas(tx, ctx, { custom_roles: 1 });
    const [created] = await tx
      .insert(roles)
      .values({
        organisationId: ctx.organisationId,
        name: input.name,
        description: input.description,
        permissions: [...new Set(input.permissions)],
        globalAccess: input.global_access,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw conflict(`A role named "${input.name}" already exists.`);
    await recordChange(tx, ctx, {
      action: "role.created",
      resource: resourceOf(created),
      before: null,
      after: presentRole(created),
    });
    return created;
  });
}

/**
 * Built-in roles are read-only; a role held by service accounts cannot gain global access; only people with
 * global access change a global-access role; nobody grants permissions they lack.
 */
export async function updateRole(ctx: OrgContext, id: string, input: RoleChanges): Promise<Role> {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(roles).where(eq(roles.id, id)).for("update");
    if (!before) throw notFound("role");
    if (before.builtIn) throw permissionDenied("Built-in roles are read-only; create a custom role instead.");
    const globalAccess = input.global_access ?? before.globalAccess;
    if (before.globalAccess || globalAccess) assertMayGrantGlobalAccess(ctx.caller);
    if (input.permissions) {
      assertMayGrantPermissions(
        ctx.caller,
        input.permissions.filter((p) => !before.permissions.includes(p)),
      );
    }
    if (globalAccess && !before.globalAccess) await assertNoServiceAccountHolds(tx, id);
    const next = {
      name: input.name ?? before.name,
      description: input.description ?? before.description,
      permissions: input.permissions ? [...new Set(input.permissions)] : before.permissions,
      globalAccess,
    };
    const changed = await recordChange(tx, ctx, {
      action: "role.updated",
      resource: { type: "role", id, name: next.name },
      before: presentRole(before),
      after: presentRole({ ...before, ...next }),
    });
    // A PATCH that changes nothing writes nothing (no new updated_at, no audit event).
    if (!changed) return before;
    const [after] = await tx.update(roles).set(next).where(eq(roles.id, id)).returning();
    if (!after) throw notFound("role");
    return after;
  });
}

async function assertNoServiceAccountHolds(tx: Queryable, roleId: string): Promise<void> {
  const [held] = await tx
    .select({ id: serviceAccounts.id })
    .from(serviceAccounts)
    .where(eq(serviceAccounts.roleId, roleId))
    .limit(1);
  if (held) throw permissionDenied("Service accounts hold this role, so it cannot gain global access.");
}

/** A custom role nobody holds (members, service accounts, pending invitations) can be deleted. */
export async function deleteRole(ctx: OrgContext, role: Role): Promise<void> {
  if (role.builtIn) throw permissionDenied("Built-in roles cannot be deleted.");
  if (role.globalAccess) assertMayGrantGlobalAccess(ctx.caller);
  try {
    await ctx.db.transaction(async (tx) => {
      // Locked first: an invitation being made with this role (which locks it) finishes before the delete.
      await tx.select({ id: roles.id }).from(roles).where(eq(roles.id, role.id)).for("update");
      // Members and service accounts keep it by foreign key (RESTRICT: the delete fails); a pending invitation
      // keeps it by this condition; past invitations lose it (SET NULL).
      const [deleted] = await tx
        .delete(roles)
        .where(and(eq(roles.id, role.id), notExists(pendingInvitationsWith(tx, role.id))))
        .returning({ id: roles.id });
      if (!deleted) throw await roleInUse(tx, role.id, notFound("role"));
      await recordChange(tx, ctx, {
        action: "role.deleted",
        resource: resourceOf(role),
        before: presentRole(role),
        after: null,
      });
    });
  } catch (error) {
    if (databaseErrorOf(error)?.code === "23503") {
      throw await roleInUse(ctx.db, role.id, conflict("The role changed while it was being deleted; retry."));
    }
    throw error;
  }
}

const pendingInvitationsWith = (db: Queryable, roleId: string) =>
  db
    .select({ id: invitations.id })
    .from(invitations)
    .where(
      and(eq(invitations.roleId, roleId), eq(invitations.status, "pending"), gt(invitations.expiresAt, sql`now()`)),
    );

/**
 * Why a role cannot be deleted: one member, service account and pending invitation holding it, in one statement.
 * When nothing holds it any more, the delete found no role (404) or raced a change (409, to retry).
 */
async function roleInUse(db: Queryable, roleId: string, whenNothingHoldsIt: ApiError): Promise<ApiError> {
  const member = db.select({ id: memberships.id }).from(memberships).where(eq(memberships.roleId, roleId)).limit(1);
  const account = db
    .select({ id: serviceAccounts.id })
    .from(serviceAccounts)
    .where(eq(serviceAccounts.roleId, roleId))
    .limit(1);
  const invitation = pendingInvitationsWith(db, roleId).limit(1);
  const [holders] = await db
    .select({
      member: sql<string | null>`(${member})`,
      account: sql<string | null>`(${account})`,
      invitation: sql<string | null>`(${invitation})`,
    })
    .from(sql`(select 1) as one`);
  if (!holders?.member && !holders?.account && !holders?.invitation) return whenNothingHoldsIt;
  return conflict(
    "The role is in use; move its members and service accounts to another role, and cancel its pending " +
      "invitations, first.",
    {
      ...(holders.member ? { member_id: toTypeId(ID_PREFIX.membership, holders.member) } : {}),
      ...(holders.account ? { service_account_id: toTypeId(ID_PREFIX.service_account, holders.account) } : {}),
      ...(holders.invitation ? { invitation_id: toTypeId(ID_PREFIX.invitation, holders.invitation) } : {}),
    },
  );
}
