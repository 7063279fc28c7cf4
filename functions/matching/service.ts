import { and, eq, sql } from "drizzle-orm";
import { users, volunteerProfiles } from "../../schema";
import type { ReachedOpportunity } from "../opportunities/reach";
import type { Principal } from "../platform/auth";
import type { Queryable } from "../platform/db";
import { conflict } from "../platform/errors";
import { decodeKeyedCursor, invalidCursor } from "../platform/pagination";
import { type OpportunityMatchRow, rankOpportunities, type Volunteer } from "./opportunities";
import type { After } from "./scoring";
import type { Feature } from "./tiers";
import { rankVolunteers, type VolunteerMatchRow } from "./volunteers";

export interface MatchListQuery {
  strict: boolean;
  after?: After;
  limit: number;
}

/** Where a ranked list of matches continues: a cursor this API issued for one (a score 0–100, then an id). */
export function matchCursor(cursor: string | undefined): After | undefined {
  const decoded = decodeKeyedCursor(cursor);
  if (!decoded) return undefined;
  if (typeof decoded.key !== "number" || decoded.key < 0 || decoded.key > 100) throw invalidCursor();
  return { key: decoded.key, id: decoded.after };
}

/**
 * Discoverable volunteers ranked for a reached opportunity (one statement), scored with the weights of the
 * organisation that delivers it, whichever side asks.
 */
export function volunteersFor(
  db: Queryable,
  reached: ReachedOpportunity,
  query: MatchListQuery,
): Promise<VolunteerMatchRow[]> {
  const { opportunity } = reached;
  const skills = opportunity.matchRequiredIds.length + opportunity.matchPreferredIds.length;
  const features: Feature[] = [];
  if (opportunity.meetingMinutes && opportunity.meetingMinutes !== "{}") features.push("v");
  if (skills > 0) features.push("a");
  if (opportunity.matchPreferredIds.length > 0) features.push("p");
  return rankVolunteers(db, {
    opportunityId: opportunity.id,
    organisationId: opportunity.organisationId,
    minHours: opportunity.minHoursPerWeek,
    environment: opportunity.workEnvironment,
    meetingMinutes: opportunity.meetingMinutes ?? null,
    features,
    ...query,
  });
}

/** The calling person's volunteer profile (one statement); 409 while they have none. */
export async function myVolunteerProfile(
  db: Queryable,
  principal: Extract<Principal, { kind: "user" }>,
): Promise<Volunteer> {
  const [row] = await db
    .select({
      userId: volunteerProfiles.userId,
      practiceArea: volunteerProfiles.practiceArea,
      maxHoursPerWeek: volunteerProfiles.maxHoursPerWeek,
      workEnvironments: volunteerProfiles.workEnvironments,
      availableMinutes: sql<string | null>`${volunteerProfiles.availableMinutes}::text`,
    })
    .from(users)
    .innerJoin(volunteerProfiles, eq(volunteerProfiles.userId, users.id))
    .where(and(eq(users.issuer, principal.issuer), eq(users.subject, principal.subject)));
  if (!row) {
    throw conflict("You have no volunteer profile yet: set your skills and availability with PATCH /v1/users/me.");
  }
  return row;
}

/** Open, public opportunities ranked for a volunteer (one statement). */
export function opportunitiesFor(
  db: Queryable,
  volunteer: Volunteer,
  query: MatchListQuery,
): Promise<OpportunityMatchRow[]> {
  return rankOpportunities(db, { volunteer, ...query });
}
