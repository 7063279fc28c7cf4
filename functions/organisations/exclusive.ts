import { and, asc, eq, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { memberships, type Organisation, organisations, users } from "../../schema";
import type { Queryable } from "../platform/db";
import { ApiError, notFound } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";

// Exclusive membership: nobody belongs to two organisations that require it. Three writes can break the rule:
// joining an exclusive organisation (accept), creating one (the creator joins it) and switching it on (PATCH).
// Each checks while holding the lock of every person concerned (their users row, FOR NO KEY UPDATE, which leaves
// foreign-key checks alone): two such writes about one person run one after the other, and the second one's
// check, a statement after its lock under READ COMMITTED, sees what the first committed. A join reads the flag
// under a share lock; a switch locks the organisation for update before it locks the members: either the switch
// counts the new member, or the join sees the switch. Organisation first, then people in id order: no deadlock.

/** The organisation someone joins, with its current flag, share-locked until the join commits. */
export async function lockOrganisationToJoin(tx: Queryable, organisationId: string): Promise<Organisation> {
  const [organisation] = await tx.select().from(organisations).where(eq(organisations.id, organisationId)).for("share");
  if (!organisation) throw notFound("organisation");
  return organisation;
}

/** Taken before a person joins an exclusive organisation. */
export async function lockPerson(tx: Queryable, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("no key update");
}

/** Taken before exclusive membership is switched on: every member, in id order. */
export async function lockMembers(tx: Queryable, organisationId: string): Promise<void> {
  await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(memberships.organisationId, organisationId))
    .orderBy(asc(users.id))
    .for("no key update", { of: users });
}

/**
 * An organisation that requires exclusive membership refuses people who already belong to another organisation
 * that requires it. Checked at invitation (when we know the person), at accept and at creation.
 */
export async function assertNotInOtherExclusiveOrganisation(
  tx: Queryable,
  organisation: { id: string; exclusiveMembership: boolean },
  person: { userId?: string; email?: string; phone?: string },
): Promise<void> {
  if (!organisation.exclusiveMembership) return;
  const who = person.userId
    ? eq(users.id, person.userId)
    : person.email
      ? eq(sql`lower(${users.email})`, person.email)
      : eq(users.phone, person.phone ?? "");
  const [elsewhere] = await tx
    .select({ id: organisations.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(who, ne(organisations.id, organisation.id), eq(organisations.exclusiveMembership, true)))
    .limit(1);
  if (elsewhere) {
    throw new ApiError(
      "user_in_other_organisation",
      "This person already belongs to another organisation that requires exclusive membership.",
    );
  }
}

/** Exclusive membership cannot be switched on while a member also belongs to another exclusive organisation. */
export async function assertNoMemberBelongsElsewhere(tx: Queryable, organisationId: string): Promise<void> {
  const elsewhere = alias(memberships, "elsewhere");
  const [clash] = await tx
    .select({ memberId: memberships.id })
    .from(memberships)
    .innerJoin(
      elsewhere,
      and(eq(elsewhere.userId, memberships.userId), ne(elsewhere.organisationId, memberships.organisationId)),
    )
    .innerJoin(organisations, eq(organisations.id, elsewhere.organisationId))
    .where(and(eq(memberships.organisationId, organisationId), eq(organisations.exclusiveMembership, true)))
    .limit(1);
  if (clash) {
    throw new ApiError(
      "user_in_other_organisation",
      "A member also belongs to another organisation that requires exclusive membership.",
      { member_id: toTypeId(ID_PREFIX.membership, clash.memberId) },
    );
  }
}
