import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import { deliveryTypes, programApplications, programs } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, type PageRequest, page } from "../platform/pagination";
import type { OrgContext } from "../platform/tenancy";
import { programGranted } from "./reach";
import { presentProgram } from "./schemas";
import { viewColumns } from "./views";

/** The program list's filters: GET /v1/programs and its export take the same ones. */
export const programFilters = {
  organisation_id: typeIdSchema(ID_PREFIX.organisation)
    .optional()
    .openapi({ description: "Required for people; a service account's token implies it." }),
  participating: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "`true`: programs the organisation delivers under, not the ones it runs." }),
};

/** A page of the programs the organisation runs (or delivers under), within the caller's access list. */
export async function listPrograms(ctx: OrgContext, query: PageRequest & { participating?: "true" | "false" }) {
  const after = decodeCursor(query.cursor);
  const conditions: SQL[] =
    query.participating === "true"
      ? [
          sql`exists (select 1 from ${programApplications} where ${programApplications.programId} = ${programs.id} and ${programApplications.organisationId} = ${ctx.organisationId} and ${programApplications.status} = 'accepted')`,
          // The access list holds on this side too, as GET /v1/programs/{id} applies it.
          programGranted(ctx.caller, programs.id),
        ]
      : [ctx.scope(programs.organisationId), programGranted(ctx.caller, programs.id)];
  if (after) conditions.push(gt(programs.id, after));
  const rows = await ctx.db
    .select(viewColumns)
    .from(programs)
    .innerJoin(deliveryTypes, eq(deliveryTypes.id, programs.deliveryTypeId))
    .where(and(...conditions))
    .orderBy(asc(programs.id))
    .limit(query.limit + 1);
  return page(
    rows.map((row) => ({ ...row, id: row.program.id })),
    query.limit,
    presentProgram,
  );
}
