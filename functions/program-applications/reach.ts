import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { organisations, programApplications, programs } from "../../schema";
import { permissionDenied } from "../platform/errors";
import type { Caller } from "../platform/permissions";
import { requirePermission } from "../platform/permissions";
import type { AppEnv } from "../platform/request";
import type { OrgContext } from "../platform/tenancy";
import { tenancy } from "../platform/tenancy";
import { programGrantedToStanding } from "../programs/reach";
import type { ApplicationView } from "./schemas";

/** Which organisation the caller acts for: the invited one, or the program's. */
export type ApplicationSide = "invited" | "program";

export interface ReachedApplication {
  view: ApplicationView;
  ctx: OrgContext;
  side: ApplicationSide;
}

/** The columns of an application's view, for queries joining its program and the invited organisation. */
export const applicationViewColumns = {
  application: programApplications,
  programName: programs.name,
  programOrganisationId: programs.organisationId,
  organisationName: organisations.name,
};

const SIDE_MESSAGES: Record<ApplicationSide, string> = {
  invited: "Only the invited organisation answers an invitation (apply or decline).",
  program: "Only the program's organisation decides on an application (accept or reject).",
};

/**
 * Loads an application with the caller's standing in one round trip, from either organisation: the invited one,
 * or the program's (within the caller's access list). Anyone else gets 404. With `side`, that side is preferred
 * (a person may belong to both) and required: found only from the other side, it is 403. The route's
 * permission is then checked on the side found.
 */
export async function reachApplication(
  c: Context<AppEnv>,
  id: string,
  side?: ApplicationSide,
): Promise<ReachedApplication> {
  const helper = tenancy(c);
  const { standing, columns, db } = helper.standing();
  const invitedSide = eq(standing.organisationId, programApplications.organisationId);
  const programSide = and(
    eq(standing.organisationId, programs.organisationId),
    programGrantedToStanding(standing, programs.id),
  ) as SQL;
  const [found] = (await db
    .select({ ...applicationViewColumns, caller: columns, invited: sql<boolean>`${invitedSide}` })
    .from(programApplications)
    .innerJoin(programs, eq(programs.id, programApplications.programId))
    .innerJoin(organisations, eq(organisations.id, programApplications.organisationId))
    .innerJoin(standing, or(invitedSide, programSide))
    .where(eq(programApplications.id, id))
    .orderBy(sql`${side === "program" ? programSide : invitedSide} desc`)
    .limit(1)) as Array<ApplicationView & { caller: Caller; invited: boolean }>;
  if (!found) throw await helper.notFound("program application");
  const foundSide: ApplicationSide = found.invited ? "invited" : "program";
  if (side && foundSide !== side) throw permissionDenied(SIDE_MESSAGES[side]);
  requirePermission(found.caller, helper.declaredPermission());
  const { caller, invited: _invited, ...view } = found;
  return { view: view as ApplicationView, ctx: await helper.contextFor(caller), side: foundSide };
}
