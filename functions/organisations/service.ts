import { and, eq } from "drizzle-orm";
import { memberships, type Organisation, organisations, roles } from "../../schema";
import { recordChange } from "../platform/audit";
import { conflict, notFound, permissionDenied } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { ADMIN_ROLE_KEY, OWNER_ROLE_KEY } from "../platform/permissions";
import type { OrgContext } from "../platform/tenancy";
import { presentOrganisation } from "./schemas";

const resourceOf = (organisation: Organisation) => ({
  type: "organisation",
  id: organisation.id,
  name: organisation.name,
});

/** Everything of the organisation goes with it (cascades); its audit trail stays (no foreign keys). */
export async function deleteOrganisation(ctx: OrgContext, organisation: Organisation): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.delete(organisations).where(eq(organisations.id, organisation.id));
    await recordChange(tx, ctx, {
      action: "organisation.deleted",
      resource: resourceOf(organisation),
      before: presentOrganisation(organisation),
      after: null,
    });
  });
}

/** The only way the owner role moves: the owner hands it to a member and becomes an admin. */
export async function transferOwnership(ctx: OrgContext, targetMemberId: string): Promise<void> {
  const { caller } = ctx;
  if (!caller.membershipId || caller.roleKey !== OWNER_ROLE_KEY) {
    throw permissionDenied("Only the owner can transfer ownership.");
  }
  if (caller.membershipId === targetMemberId) throw conflict("You are already the owner.");
  const ownerMembershipId = caller.membershipId;
  await ctx.db.transaction(async (tx) => {
    const builtIns = await tx
      .select()
      .from(roles)
      .where(and(ctx.scope(roles.organisationId), eq(roles.builtIn, true)));
    const ownerRole = builtIns.find((role) => role.key === OWNER_ROLE_KEY);
    const adminRole = builtIns.find((role) => role.key === ADMIN_ROLE_KEY);
    if (!ownerRole || !adminRole) throw new Error("built-in roles missing");
    const [target] = await tx
      .update(memberships)
      .set({ roleId: ownerRole.id })
      .where(and(eq(memberships.id, targetMemberId), ctx.scope(memberships.organisationId)))
      .returning();
    if (!target) throw notFound("member");
    const [previous] = await tx
      .update(memberships)
      .set({ roleId: adminRole.id })
      .where(and(eq(memberships.id, ownerMembershipId), eq(memberships.roleId, ownerRole.id)))
      .returning();
    // Someone else moved ownership first: roll back rather than end with two owners.
    if (!previous) throw conflict("Ownership changed while this request ran; reload and retry.");
    await recordChange(tx, ctx, {
      action: "organisation.ownership_transferred",
      resource: { type: "organisation", id: ctx.organisationId },
      before: { owner_member_id: toTypeId(ID_PREFIX.membership, previous.id) },
      after: { owner_member_id: toTypeId(ID_PREFIX.membership, target.id) },
    });
  });
}
