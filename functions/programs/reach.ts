import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Context } from "hono";
import { type Program, programApplications, programGrants, programs } from "../../schema";
import { permissionDenied } from "../platform/errors";
import type { Caller } from "../platform/permissions";
import { requirePermission } from "../platform/permissions";
import type { AppEnv } from "../platform/request";
import type { CallerStanding, OrgContext } from "../platform/tenancy";
import { tenancy } from "../platform/tenancy";

/**
 * The access list's rule, as SQL over a caller already resolved: with global access every program of the
 * organisation is reachable; without it, only the programs granted to this member or service account.
 */
export function programGranted(caller: Caller, programId: PgColumn | SQL): SQL {
  if (caller.globalAccess) return sql`true`;
  const holder = caller.membershipId
    ? eq(programGrants.membershipId, caller.membershipId)
    : eq(programGrants.serviceAccountId, caller.serviceAccountId ?? sql`null::uuid`);
  return sql`exists (select 1 from ${programGrants} where ${programGrants.programId} = ${programId} and ${holder})`;
}

/** The same rule against the standing subquery, for loaders that join it. */
export function programGrantedToStanding(standing: CallerStanding, programId: PgColumn | SQL): SQL {
  return sql`(${standing.globalAccess} or exists (select 1 from ${programGrants} where ${programGrants.programId} = ${programId} and (${programGrants.membershipId} = ${standing.membershipId} or ${programGrants.serviceAccountId} = ${standing.serviceAccountId})))`;
}

/** Which side the caller reached a program from: its own organisation, or one with an application to it. */
export type ProgramSide = "owner" | "participant";

export interface ReachedProgram {
  program: Program;
  ctx: OrgContext;
  side: ProgramSide;
}

/**
 * Loads a program with the caller's standing in one round trip: members of its organisation and members of an
 * organisation with an application to it, each within their access list. Anyone else gets 404. The route's
 * permission is checked on the side found; only the owner side may hold `programs:write` over it.
 */
export async function reachProgram(c: Context<AppEnv>, id: string): Promise<ReachedProgram> {
  const helper = tenancy(c);
  const { standing, columns, db } = helper.standing();
  const ownSide = eq(standing.organisationId, programs.organisationId);
  const [found] = (await db
    .select({ program: programs, caller: columns, owner: sql<boolean>`${ownSide}` })
    .from(programs)
    .innerJoin(
      standing,
      and(
        or(
          ownSide,
          sql`exists (select 1 from ${programApplications} where ${programApplications.programId} = ${programs.id} and ${programApplications.organisationId} = ${standing.organisationId})`,
        ),
        // The access list holds on both sides: a participant's members without global access need a grant too.
        programGrantedToStanding(standing, programs.id),
      ),
    )
    .where(eq(programs.id, id))
    .orderBy(sql`${ownSide} desc`)
    .limit(1)) as Array<{ program: Program; caller: Caller; owner: boolean }>;
  if (!found) throw await helper.notFound("program");
  const side: ProgramSide = found.owner ? "owner" : "participant";
  const permission = helper.declaredPermission();
  if (permission) {
    // A participant's members may read the program; changing it is for its own organisation.
    if (side === "participant") throw permissionDenied("Only the program's own organisation changes it.");
    requirePermission(found.caller, permission);
  }
  return { program: found.program, ctx: await helper.contextFor(found.caller), side };
}
