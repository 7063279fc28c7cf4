import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import {
  deliveryTypes,
  type OpportunityStatus,
  opportunities,
  type PracticeArea,
  programs,
  type Visibility,
  type WorkEnvironment,
} from "../../schema";
import { todayUtc } from "../platform/dates";
import type { Database } from "../platform/db";
import { notFound } from "../platform/errors";
import { decodeCursor, decodeKeyedCursor, invalidCursor, page } from "../platform/pagination";
import type { Caller } from "../platform/permissions";
import type { AppEnv } from "../platform/request";
import { tenancy } from "../platform/tenancy";
import { reachedThrough } from "./reach";
import { type OpportunityView, presentOpportunity } from "./schemas";
import { requiresArea, requiresSkill, skillsColumn } from "./skills";

/** Seconds an anonymous catalog answer may be kept: short, so a closed opportunity leaves the catalog soon. */
export const CATALOG_MAX_AGE = 60;

/** Anonymous answers of the catalog may be cached briefly by anyone; answers to a token stay `no-store` (guard). */
export function catalogCache(c: Context<AppEnv>): void {
  if (!c.get("principal")) c.header("Cache-Control", `public, max-age=${CATALOG_MAX_AGE}`);
}

/** What anyone may see: open and public opportunities, of every organisation. */
export const PUBLISHED = and(eq(opportunities.status, "open"), eq(opportunities.visibility, "public")) as SQL;

/**
 * What the catalog lists: the published ones that have not ended (an ended one may still be `open` until its
 * organisation closes it; it stays readable by id, but nobody browsing should be offered it).
 */
export const listedInCatalog = (): SQL =>
  and(PUBLISHED, or(isNull(opportunities.endDate), gte(opportunities.endDate, todayUtc()))) as SQL;

/** An opportunity with what its representation needs beside the row: one query, two left joins, a subquery. */
const VIEW = {
  opportunity: opportunities,
  programOrganisationId: programs.organisationId,
  deliveryType: deliveryTypes.slug,
  skills: skillsColumn(),
};

function selectViews<Extra extends Record<string, SQL.Aliased | SQL>>(db: Database, extra: Extra = {} as Extra) {
  return db
    .select({ ...VIEW, ...extra })
    .from(opportunities)
    .leftJoin(programs, eq(programs.id, opportunities.programId))
    .leftJoin(deliveryTypes, eq(deliveryTypes.id, opportunities.deliveryTypeId));
}

/**
 * One opportunity for whoever asks: anyone sees an open public one; a caller whose token reaches it (from the
 * delivering side or the program's, within the access list) sees it whatever its status. 404 otherwise, so a
 * draft never shows that it exists. One statement (a second only for a service account whose credential may
 * have died, to answer 401 rather than the public view).
 */
export async function findOpportunity(c: Context<AppEnv>, id: string): Promise<OpportunityView> {
  if (!c.get("principal")) {
    const [found] = await selectViews(c.get("db"))
      .where(and(eq(opportunities.id, id), PUBLISHED))
      .limit(1);
    if (!found) throw notFound("opportunity");
    return found;
  }
  const helper = tenancy(c);
  const { standing, columns, db } = helper.standing();
  const [found] = await db
    .select({ ...VIEW, caller: columns, reached: sql<boolean>`${standing.organisationId} is not null` })
    .from(opportunities)
    .leftJoin(programs, eq(programs.id, opportunities.programId))
    .leftJoin(deliveryTypes, eq(deliveryTypes.id, opportunities.deliveryTypeId))
    .leftJoin(standing, reachedThrough(standing))
    .where(and(eq(opportunities.id, id), or(isNotNull(standing.organisationId), PUBLISHED)))
    .limit(1);
  if (!found) throw await helper.notFound("opportunity");
  // Reached through the caller's organisation: its IP allowlist and rate limit hold, as on its other routes.
  if (found.reached) await helper.contextFor(found.caller as Caller);
  else await helper.assertCredentialLive();
  return {
    opportunity: found.opportunity,
    programOrganisationId: found.programOrganisationId,
    deliveryType: found.deliveryType,
    skills: found.skills,
  };
}

export interface CatalogFilters {
  program_id?: string;
  status?: OpportunityStatus;
  work_environment?: WorkEnvironment;
  max_hours?: number;
  visibility?: Visibility;
  q?: string;
  skill_id?: string;
  min_level?: number;
  practice_area?: PracticeArea;
  limit: number;
  cursor?: string;
}

/**
 * A page of the opportunities `scope` lets through, filtered. Without `q`: in id order (creation order). With
 * `q`: the matches of a web-search query over name, role, short description and description (the GIN-indexed
 * `search` column), best rank first, ties in id order; the cursor then carries the rank with the id.
 */
export async function listOpportunities(db: Database, scope: SQL, filters: CatalogFilters) {
  const conditions: (SQL | undefined)[] = [scope];
  if (filters.program_id) conditions.push(eq(opportunities.programId, filters.program_id));
  if (filters.status) conditions.push(eq(opportunities.status, filters.status));
  if (filters.work_environment) conditions.push(eq(opportunities.workEnvironment, filters.work_environment));
  if (filters.max_hours !== undefined) conditions.push(lte(opportunities.minHoursPerWeek, filters.max_hours));
  if (filters.visibility) conditions.push(eq(opportunities.visibility, filters.visibility));
  if (filters.skill_id) conditions.push(requiresSkill(filters.skill_id, filters.min_level ?? 1));
  if (filters.practice_area) conditions.push(requiresArea(filters.practice_area));
  const today = todayUtc();
  const present = (row: OpportunityView) => presentOpportunity(row, today);

  if (filters.q === undefined) {
    const after = decodeCursor(filters.cursor);
    if (after) conditions.push(gt(opportunities.id, after));
    const rows = await selectViews(db)
      .where(and(...conditions))
      .orderBy(asc(opportunities.id))
      .limit(filters.limit + 1);
    return page(
      rows.map((row) => ({ ...row, id: row.opportunity.id })),
      filters.limit,
      present,
    );
  }

  const query = sql`websearch_to_tsquery('simple', ${filters.q})`;
  // float8 holds ts_rank's float4 exactly, and its text form round-trips through JSON: the cursor compares equal.
  const rank = sql<number>`ts_rank(${opportunities.search}, ${query})::float8`;
  conditions.push(sql`${opportunities.search} @@ ${query}`);
  const after = decodeKeyedCursor(filters.cursor);
  if (after) {
    if (typeof after.key !== "number") throw invalidCursor();
    conditions.push(
      sql`(${rank} < ${after.key}::float8 or (${rank} = ${after.key}::float8 and ${opportunities.id} > ${after.after}))`,
    );
  }
  const rows = await selectViews(db, { rank: rank.as("rank") })
    .where(and(...conditions))
    .orderBy(desc(sql`rank`), asc(opportunities.id))
    .limit(filters.limit + 1);
  return page(
    rows.map((row) => ({ ...row, id: row.opportunity.id })),
    filters.limit,
    present,
    (row) => Number(row.rank),
  );
}
