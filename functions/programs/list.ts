import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { listSchema, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { listPrograms, programFilters } from "./listing";
import { PROGRAM_LIST_EXAMPLE, ProgramSchema } from "./schemas";

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
      ...programFilters,
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({ description: "How many programs a page holds, 1 to 100 (default 20)." }),
    }),
  },
  responses: {
    200: {
      description: "Programs, oldest first.",
      content: {
        "application/json": { schema: listSchema(ProgramSchema, "ProgramList"), example: PROGRAM_LIST_EXAMPLE },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...query } = c.req.valid("query");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(await listPrograms(ctx, query), 200);
};
