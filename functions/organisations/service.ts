import { and, eq, ne } from "drizzle-orm";
import { memberships, type Organisation, opportunities, organisations, programs, roles } from "../../schema";
import { type MatchingWeightsPatch, patchWeights, type StoredWeights } from "../matching/weights";
import { recordChange } from "../platform/audit";
import { conflict, notFound, permissionDenied, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { addressAllowed } from "../platform/ip-allowlist";
import type { PersonContext } from "../platform/people";
import { ADMIN_ROLE_KEY, BUILT_IN_ROLES, OWNER_ROLE_KEY } from "../platform/permissions";
import type { OrgContext } from "../platform/tenancy";
import {
  assertNoMemberBelongsElsewhere,
  assertNotInOtherExclusiveOrganisation,
  lockMembers,
  lockPerson,
} from "./exclusive";
import { presentOrganisation } from "./schemas";

export interface NewOrganisation {
  name: string;
  exclusive_membership: boolean;
}

const resourceOf = (organisation: Organisation) => ({
  type: "organisation",
  id: organisation.id,
  name: organisation.name,
});

/** Creates the organisation, its built-in roles and the creator's membership as owner, atomically. */
export async function createOrganisation(
  ctx: Pick<PersonContext, "db" | "user" | "actor" | "meta">,
  input: NewOrganisation,
): Promise<Organisation> {
  const owner = ctx.user;
  return ctx.db.transaction(async (tx) => {
    // The creator joins it: an exclusive organisation is checked, under the same lock, as a join into one is.
    if (input.exclusive_membership) await lockPerson(tx, owner.id);
    const [organisation] = await tx
      .insert(organisations)
      .values({ name: input.name, exclusiveMembership: input.exclusive_membership })
      .returning();
    if (!organisation) throw new Error("organisation insert returned nothing");
    await assertNotInOtherExclusiveOrganisation(tx, organisation, { userId: owner.id });
    const builtIns = await tx
      .insert(roles)
      .values(
        BUILT_IN_ROLES.map((role) => ({
          organisationId: organisation.id,
          key: role.key,
          name: role.name,
          description: role.description,
          permissions: [...role.permissions],
          globalAccess: role.globalAccess,
          builtIn: true,
        })),
      )
      .returning();
    const ownerRole = builtIns.find((role) => role.key === OWNER_ROLE_KEY);
    if (!ownerRole) throw new Error("owner role missing");
    await tx.insert(memberships).values({ organisationId: organisation.id, userId: owner.id, roleId: ownerRole.id });
    await recordChange(
      tx,
      { ...ctx, organisationId: organisation.id },
      {
        action: "organisation.created",
        resource: resourceOf(organisation),
        before: null,
        after: presentOrganisation(organisation),
      },
    );
    return organisation;
  });
}

/** Switching exclusive membership on is refused while a member belongs to another exclusive organisation. */
export async function updateOrganisation(
  ctx: OrgContext,
  id: string,
  input: Partial<NewOrganisation> & { matching_weights?: MatchingWeightsPatch },
): Promise<Organisation> {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(organisations).where(eq(organisations.id, id)).for("update");
    if (!before) throw notFound("organisation");
    const weights =
      input.matching_weights === undefined
        ? { stored: before.matchingWeights as StoredWeights }
        : patchWeights(before.matchingWeights as StoredWeights, input.matching_weights);
    if ("problem" in weights) throw validationError({ matching_weights: [weights.problem] });
    const next = {
      name: input.name ?? before.name,
      exclusiveMembership: input.exclusive_membership ?? before.exclusiveMembership,
      matchingWeights: weights.stored,
    };
    if (next.exclusiveMembership && !before.exclusiveMembership) {
      // Joins into this organisation wait on its row (locked above); each member's other joins, on their lock.
      await lockMembers(tx, id);
      await assertNoMemberBelongsElsewhere(tx, id);
    }
    const changed = await recordChange(tx, ctx, {
      action: "organisation.updated",
      resource: { type: "organisation", id, name: next.name },
      before: presentOrganisation(before),
      after: presentOrganisation({ ...before, ...next }),
    });
    // A PATCH that changes nothing writes nothing (no new updated_at, no audit event).
    if (!changed) return before;
    const [after] = await tx.update(organisations).set(next).where(eq(organisations.id, id)).returning();
    if (!after) throw notFound("organisation");
    return after;
  });
}

/**
 * Everything of the organisation goes with it (cascades); its audit trail stays (no foreign keys). Not while
 * another organisation delivers an opportunity under one of its programs (409 naming it): that opportunity is
 * not the organisation's to delete. Its programs are locked first, so no such opportunity appears meanwhile.
 */
export async function deleteOrganisation(ctx: OrgContext, organisation: Organisation): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx
      .select({ id: programs.id })
      .from(programs)
      .where(eq(programs.organisationId, organisation.id))
      .for("update");
    const [delivered] = await tx
      .select({
        id: opportunities.id,
        name: opportunities.name,
        programId: programs.id,
        programName: programs.name,
        deliverer: organisations.name,
      })
      .from(opportunities)
      .innerJoin(programs, eq(programs.id, opportunities.programId))
      .innerJoin(organisations, eq(organisations.id, opportunities.organisationId))
      .where(and(eq(programs.organisationId, organisation.id), ne(opportunities.organisationId, organisation.id)))
      .limit(1);
    if (delivered) {
      throw conflict(
        `"${delivered.deliverer}" delivers the opportunity "${delivered.name}" under the program "${delivered.programName}"; it must go first.`,
        {
          opportunity_id: toTypeId(ID_PREFIX.opportunity, delivered.id),
          program_id: toTypeId(ID_PREFIX.program, delivered.programId),
        },
      );
    }
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

/**
 * Replaces the organisation's IP allowlist (entries already in their normal form). A list that would refuse the
 * caller's own address is 409 unless `confirmLockout`: saving it is the last request they could make.
 */
export async function setAllowedIps(
  ctx: OrgContext,
  entries: string[],
  options: { callerAddress: string | null; confirmLockout: boolean },
): Promise<Organisation> {
  if (entries.length > 0 && !options.confirmLockout && !addressAllowed(options.callerAddress, entries)) {
    throw conflict(
      `This allowlist does not include your own address (${options.callerAddress ?? "unknown"}), so it would ` +
        "refuse your next request. Add it, or send confirm_lockout: true if you mean it.",
      { ip_address: options.callerAddress },
    );
  }
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.id, ctx.organisationId))
      .for("update");
    if (!before) throw notFound("organisation");
    const changed = await recordChange(tx, ctx, {
      action: "organisation.updated",
      resource: { type: "organisation", id: before.id, name: before.name },
      before: presentOrganisation(before),
      after: presentOrganisation({ ...before, allowedIps: entries }),
    });
    if (!changed) return before;
    const [after] = await tx
      .update(organisations)
      .set({ allowedIps: entries })
      .where(eq(organisations.id, before.id))
      .returning();
    if (!after) throw notFound("organisation");
    return after;
  });
}
