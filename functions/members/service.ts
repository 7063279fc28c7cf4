import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { memberships, roles } from "../../schema";
import { recordChange } from "../platform/audit";
import { conflict, notFound, permissionDenied, validationError } from "../platform/errors";
import { decodeCursor, type PageRequest, page } from "../platform/pagination";
import { assertMayChangeMember, assertMayGrantPermissions } from "../platform/parity";
import { OWNER_ROLE_KEY } from "../platform/permissions";
import type { OrgContext } from "../platform/tenancy";
import { type AccessList, auditedLists, reconcileGrants } from "../programs/grants";
import { type MemberRow, memberById, presentMember, selectMembers } from "./schemas";

const resourceOf = (member: MemberRow) => ({
  type: "member",
  id: member.membership.id,
  name: member.user.email ?? member.user.name,
});

/** A page of the organisation's members, oldest first (the list and its export). */
export async function listMembers(ctx: OrgContext, query: PageRequest & { role_id?: string }) {
  const after = decodeCursor(query.cursor);
  const conditions: SQL[] = [ctx.scope(memberships.organisationId)];
  if (query.role_id) conditions.push(eq(memberships.roleId, query.role_id));
  if (after) conditions.push(gt(memberships.id, after));
  const rows = await selectMembers(ctx.db)
    .where(and(...conditions))
    .orderBy(asc(memberships.id))
    .limit(query.limit + 1);
  return page(
    rows.map((row) => ({ ...row, id: row.membership.id })),
    query.limit,
    presentMember,
  );
}

/** A new role for a member, under the parity rules; the same role again changes nothing. */
export async function changeMemberRole(ctx: OrgContext, id: string, roleId: string): Promise<MemberRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await memberById(tx, id, { lock: true });
    // FOR SHARE: the role cannot gain global access between this check and the commit.
    const [nextRole] = await tx
      .select()
      .from(roles)
      .where(and(eq(roles.id, roleId), ctx.scope(roles.organisationId)))
      .for("share");
    if (!nextRole) throw validationError({ role_id: ["is not a role of this organisation"] });
    assertMayChangeMember(ctx.caller, before.role, nextRole);
    assertMayGrantPermissions(ctx.caller, nextRole.permissions);
    if (nextRole.id === before.role.id) return before;
    const [updated] = await tx.update(memberships).set({ roleId }).where(eq(memberships.id, id)).returning();
    if (!updated) throw notFound("member");
    const after = { ...before, membership: updated, role: nextRole };
    await recordChange(tx, ctx, {
      action: "member.role_changed",
      resource: resourceOf(before),
      before: presentMember(before),
      after: presentMember(after),
    });
    return after;
  });
}

/** Removes a member, or lets them leave; the owner does neither (ownership moves first). */
export async function removeMember(ctx: OrgContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await memberById(tx, id, { lock: true });
    const leaving = before.membership.id === ctx.caller.membershipId;
    if (leaving && before.role.key === OWNER_ROLE_KEY) {
      throw permissionDenied("The owner cannot leave; transfer ownership first.");
    }
    if (!leaving) assertMayChangeMember(ctx.caller, before.role);
    await tx.delete(memberships).where(eq(memberships.id, id));
    await recordChange(tx, ctx, {
      action: leaving ? "member.left" : "member.removed",
      resource: resourceOf(before),
      before: presentMember(before),
      after: null,
    });
  });
}

/**
 * Replaces a member's access list with `programs`, whole, in one transaction (the member's row locked, so
 * concurrent replacements of one list run one after the other). A member whose role has global access reaches
 * every program already: 409. An identical list writes nothing.
 */
export async function replaceMemberAccess(
  ctx: OrgContext,
  id: string,
  programs: readonly string[],
): Promise<AccessList> {
  return ctx.db.transaction(async (tx) => {
    const member = await memberById(tx, id, { lock: true });
    if (member.role.globalAccess) {
      throw conflict(`This member's role (${member.role.name}) has global access: an access list would mean nothing.`);
    }
    const result = await reconcileGrants(tx, ctx, { kind: "member", id }, programs);
    await recordChange(tx, ctx, {
      action: "member.access_replaced",
      resource: resourceOf(member),
      ...auditedLists(result),
    });
    return result.visible;
  });
}
