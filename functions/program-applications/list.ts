import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { organisations, programApplications, programs } from "../../schema";
import { permissionDenied, validationError } from "../platform/errors";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { type OrgContext, tenancy } from "../platform/tenancy";
import { reachProgram } from "../programs/reach";
import { applicationViewColumns } from "./reach";
import {
  PROGRAM_APPLICATION_LIST_EXAMPLE,
  ProgramApplicationSchema,
  ProgramApplicationStatusSchema,
  presentApplication,
} from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/program-applications",
  operationId: "listProgramApplications",
  tags: ["Program applications"],
  summary: "List a program's applications, or an organisation's",
  description:
    "With `program_id`: the program's applications, for its own organisation (within the caller's access " +
    "list; another participant gets 403). Otherwise with `organisation_id` (a service-account token implies " +
    "its own): the applications of that organisation to other organisations' programs, invitations included. " +
    "Give one of the two, not both. Oldest first.",
  access: {},
  errors: [403],
  request: {
    query: z.object({
      program_id: typeIdSchema(ID_PREFIX.program)
        .optional()
        .openapi({ description: "The program's applications (for its own organisation). Not with `organisation_id`." }),
      organisation_id: typeIdSchema(ID_PREFIX.organisation)
        .optional()
        .openapi({
          description:
            "The organisation's applications to other organisations' programs. Required for people without " +
            "`program_id`; a service account's token implies it. Not with `program_id`.",
        }),
      status: ProgramApplicationStatusSchema.optional().openapi({
        param: { description: "Only applications in this status." },
      }),
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({
        description: "How many applications a page holds, 1 to 100 (default 20).",
      }),
    }),
  },
  responses: {
    200: {
      description: "Applications, oldest first.",
      content: {
        "application/json": {
          schema: listSchema(ProgramApplicationSchema, "ProgramApplicationList"),
          example: PROGRAM_APPLICATION_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  if (query.program_id && query.organisation_id) {
    throw validationError({ non_field_errors: ["give program_id or organisation_id, not both"] });
  }
  let ctx: OrgContext;
  const conditions: SQL[] = [];
  if (query.program_id) {
    const reached = await reachProgram(c, query.program_id);
    if (reached.side !== "owner") {
      throw permissionDenied("Only the program's organisation lists its applications; list yours by organisation_id.");
    }
    ctx = reached.ctx;
    conditions.push(eq(programApplications.programId, reached.program.id));
  } else {
    ctx = await tenancy(c).enter(query.organisation_id);
    conditions.push(ctx.scope(programApplications.organisationId));
  }
  if (query.status) conditions.push(eq(programApplications.status, query.status));
  if (after) conditions.push(gt(programApplications.id, after));
  const rows = await ctx.db
    .select(applicationViewColumns)
    .from(programApplications)
    .innerJoin(programs, eq(programs.id, programApplications.programId))
    .innerJoin(organisations, eq(organisations.id, programApplications.organisationId))
    .where(and(...conditions))
    .orderBy(asc(programApplications.id))
    .limit(query.limit + 1);
  return c.json(
    page(
      rows.map((row) => ({ ...row, id: row.application.id })),
      query.limit,
      presentApplication,
    ),
    200,
  );
};
