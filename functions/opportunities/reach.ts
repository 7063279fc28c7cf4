import { and, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { type Opportunity, opportunities, programs } from "../../schema";
import type { Caller, Permission } from "../platform/permissions";
import { hasPermission, requirePermission } from "../platform/permissions";
import type { AppEnv } from "../platform/request";
import type { CallerStanding, OrgContext } from "../platform/tenancy";
import { tenancy } from "../platform/tenancy";
import { programGranted, programGrantedToStanding } from "../programs/reach";

/** Which side the caller reached an opportunity from: the delivering organisation, or the program's. */
export type OpportunitySide = "delivering" | "program";

/** What each side needs to change an opportunity and its units. */
export const WRITE_PERMISSION: Record<OpportunitySide, Permission> = {
  delivering: "opportunities:write",
  program: "programs:write",
};

export interface ReachedOpportunity {
  opportunity: Opportunity;
  /** The organisation that runs the program, for a managed opportunity. */
  programOrganisationId: string | null;
  ctx: OrgContext;
  side: OpportunitySide;
}

/**
 * The opportunities a caller in `ctx`'s organisation may see, as SQL: its own (standalone ones always; managed
 * ones within its access list) and those under its programs (within its access list).
 */
export function opportunityVisibleTo(ctx: OrgContext): SQL {
  const managedGranted = programGranted(ctx.caller, opportunities.programId);
  return or(
    and(eq(opportunities.organisationId, ctx.organisationId), or(isNull(opportunities.programId), managedGranted)),
    and(
      sql`${opportunities.programId} in (select ${programs.id} from ${programs} where ${programs.organisationId} = ${ctx.organisationId})`,
      managedGranted,
    ),
  ) as SQL;
}

/**
 * The join of the caller's standing to an opportunity (and its program, left-joined), from either side: the
 * delivering organisation (standalone always, managed within the access list) or the program's (within it).
 */
export function reachedThrough(standing: CallerStanding): SQL {
  const delivering = eq(standing.organisationId, opportunities.organisationId);
  const programSide = eq(standing.organisationId, programs.organisationId);
  return or(
    and(delivering, or(isNull(opportunities.programId), programGrantedToStanding(standing, opportunities.programId))),
    and(programSide, programGrantedToStanding(standing, opportunities.programId)),
  ) as SQL;
}

/**
 * Loads an opportunity with the caller's standing in one round trip, from whichever side serves: the delivering
 * organisation (standalone always, managed within its access list) or the program's organisation (within its
 * access list). For a write (`write: true`, or a route permission), the side whose write permission the caller
 * holds is preferred: `opportunities:write` on the delivering side, `programs:write` on the program's. 404 when
 * neither side knows the caller, 403 when the side found lacks the permission.
 */
export async function reachOpportunity(
  c: Context<AppEnv>,
  /** The opportunity's id, or SQL yielding it (the opportunity of a unit: one round trip for both). */
  id: string | SQL,
  options: { write?: boolean; what?: string } = {},
): Promise<ReachedOpportunity> {
  const helper = tenancy(c);
  const { standing, columns, db } = helper.standing();
  const delivering = eq(standing.organisationId, opportunities.organisationId);
  const programSide = eq(standing.organisationId, programs.organisationId);
  const canWrite = sql`(${delivering} and 'opportunities:write' = any(${standing.permissions})) or (${programSide} and 'programs:write' = any(${standing.permissions}))`;
  const [found] = (await db
    .select({
      opportunity: opportunities,
      programOrganisationId: programs.organisationId,
      caller: columns,
      delivering: sql<boolean>`${delivering}`,
    })
    .from(opportunities)
    .leftJoin(programs, eq(programs.id, opportunities.programId))
    .innerJoin(standing, reachedThrough(standing))
    .where(eq(opportunities.id, id))
    .orderBy(sql`(${canWrite}) desc`, sql`${delivering} desc`)
    .limit(1)) as Array<{
    opportunity: Opportunity;
    programOrganisationId: string | null;
    caller: Caller;
    delivering: boolean;
  }>;
  if (!found) throw await helper.notFound(options.what ?? "opportunity");
  const side: OpportunitySide = found.delivering ? "delivering" : "program";
  const declared = helper.declaredPermission();
  if (options.write || declared === "opportunities:write" || declared === "programs:write") {
    requirePermission(found.caller, WRITE_PERMISSION[side]);
  } else if (declared) {
    requirePermission(found.caller, declared);
  }
  return {
    opportunity: found.opportunity,
    programOrganisationId: found.programOrganisationId,
    ctx: await helper.contextFor(found.caller),
    side,
  };
}

/** Whether this caller may change the opportunity from the side it reached it (for showing, not enforcing). */
export function mayManage(caller: Caller, side: OpportunitySide): boolean {
  return hasPermission(caller, WRITE_PERMISSION[side]);
}
