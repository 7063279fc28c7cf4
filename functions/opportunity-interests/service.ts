import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { opportunities, opportunityInterests, users, volunteerProfiles } from "../../schema";
import { PUBLISHED } from "../opportunities/catalog";
import { personActor } from "../platform/actor";
import { recordChange } from "../platform/audit";
import { hasEnded } from "../platform/dates";
import type { Queryable } from "../platform/db";
import { ApiError, conflict, notFound } from "../platform/errors";
import { isPrincipal, type SelfContext } from "../users/service";
import { type InterestView, presentInterest } from "./schemas";

/** What the audit trail keeps of an interest: the interest as the organisation sees it, but for the email. */
function shared(view: InterestView) {
  const { email: _, ...rest } = presentInterest(view);
  return rest;
}

/** The interest, with who expressed it as the organisation sees them (one query). */
function selectInterests(db: Queryable) {
  return db
    .select({
      interest: opportunityInterests,
      name: users.name,
      email: users.email,
      practiceArea: volunteerProfiles.practiceArea,
    })
    .from(opportunityInterests)
    .innerJoin(users, eq(users.id, opportunityInterests.userId))
    .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, opportunityInterests.userId));
}

/**
 * The calling person tells the delivering organisation they are interested in an opportunity of the public
 * catalog (open and public, else 404; ended: 400 `opportunity_ended`), sharing their name, email and practice
 * area with it. They need a volunteer profile (409 without one). Once per (person, opportunity): a second call
 * answers the interest already there (`created: false`), changing nothing and auditing nothing. The opportunity
 * is share-locked, so it cannot close while the interest is being recorded; the unique (opportunity, person)
 * index settles two calls at once.
 */
export async function expressInterest(
  ctx: SelfContext,
  opportunityId: string,
  input: { message?: string },
): Promise<{ view: InterestView; created: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const [opportunity] = await tx
      .select({
        id: opportunities.id,
        name: opportunities.name,
        organisationId: opportunities.organisationId,
        endDate: opportunities.endDate,
      })
      .from(opportunities)
      .where(and(eq(opportunities.id, opportunityId), PUBLISHED))
      .for("share");
    if (!opportunity) throw notFound("opportunity");
    if (hasEnded(opportunity.endDate)) {
      throw new ApiError("opportunity_ended", `The opportunity ended on ${opportunity.endDate}.`);
    }
    const [person] = await tx
      .select({ user: users, profile: volunteerProfiles.userId, practiceArea: volunteerProfiles.practiceArea })
      .from(users)
      .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, users.id))
      .where(isPrincipal(ctx.principal))
      .limit(1);
    if (!person) throw notFound("user");
    if (!person.profile) {
      throw conflict("Set up your volunteer profile first (PATCH /v1/users/me), then express interest.");
    }
    const view = (interest: InterestView["interest"]): InterestView => ({
      interest,
      name: person.user.name,
      email: person.user.email,
      practiceArea: person.practiceArea,
    });
    const [created] = await tx
      .insert(opportunityInterests)
      .values({ opportunityId, userId: person.user.id, message: input.message ?? "" })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      const [existing] = await tx
        .select()
        .from(opportunityInterests)
        .where(
          and(eq(opportunityInterests.opportunityId, opportunityId), eq(opportunityInterests.userId, person.user.id)),
        );
      if (!existing) throw new Error("an interest that conflicted is gone");
      return { view: view(existing), created: false };
    }
    await recordChange(
      tx,
      // The email is shared through the interests list only, not through the trail's actor.
      {
        actor: personActor({ ...person.user, email: null }),
        meta: ctx.meta,
        organisationId: opportunity.organisationId,
      },
      {
        action: "opportunity_interest.expressed",
        resource: { type: "opportunity_interest", id: created.id, name: opportunity.name },
        before: null,
        after: shared(view(created)),
      },
    );
    return { view: view(created), created: true };
  });
}

/** The interests in an opportunity, oldest first (one query; the caller has reached the opportunity). */
export function listInterests(db: Queryable, opportunityId: string, query: { after?: string; limit: number }) {
  const conditions: SQL[] = [eq(opportunityInterests.opportunityId, opportunityId)];
  if (query.after) conditions.push(gt(opportunityInterests.id, query.after));
  return selectInterests(db)
    .where(and(...conditions))
    .orderBy(asc(opportunityInterests.id))
    .limit(query.limit + 1);
}
