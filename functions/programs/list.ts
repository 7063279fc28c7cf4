import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import { deliveryTypes, programApplications, programs } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { programGranted } from "./reach";
import { ProgramSchema, presentProgram } from "./schemas";
import { viewColumns } from "./views";

export const route = defineRoute({
  method: "get",
  path: "/v1/programs",
  operationId: "listPrograms",
  tags: ["Programs"],
  summary: "List an organisation's programs",
  description:
    "The programs the organisation runs, within the caller's access list (all of them with a global-access " +
    "role). With `participating=true`, the programs of other organisations it has an accepted application to " +
    "(within the access list too) instead (its invitations and pending applications are in " +
    "GET /v1/program-applications). Oldest first.",
  access: {},
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation).optional(),
      participating: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "`true`: programs the organisation delivers under, not the ones it runs." }),
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Programs, oldest first.",
      content: { "application/json": { schema: listSchema(ProgramSchema, "ProgramList") } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const ctx = await tenancy(c).enter(query.organisation_id);
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
  return c.json(
    page(
      rows.map((row) => ({ ...row, id: row.program.id })),
      query.limit,
      presentProgram,
    ),
    200,
  );
};
