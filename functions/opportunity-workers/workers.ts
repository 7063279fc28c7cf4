import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { reachOpportunity } from "../opportunities/reach";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { OpportunityWorkerSchema, presentWorker, WORKER_LIST_EXAMPLE, WORKER_STATUSES } from "./schemas";
import { listWorkers } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/opportunities/{id}/workers",
  operationId: "listOpportunityWorkers",
  tags: ["Opportunity workers"],
  summary: "Who was invited to an opportunity, and who accepted",
  description:
    "One entry per invitation to the opportunity, oldest first: its number, its status (`accepted` means the " +
    "person has access), its SMS delivery status, and who accepted. Readable from the delivering organisation " +
    "and from the program's.",
  access: {},
  request: {
    params: z.object({
      id: typeIdSchema(ID_PREFIX.opportunity).openapi({
        param: { name: "id", in: "path" },
        description: "The opportunity's id (`opp_...`); another prefix is a 400.",
      }),
    }),
    query: z.object({
      status: z
        .enum(WORKER_STATUSES)
        .optional()
        .openapi({ description: "Only entries in this status (`invited` is pending and not yet expired)." }),
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({ description: "How many entries a page holds, 1 to 100 (default 20)." }),
    }),
  },
  responses: {
    200: {
      description: "The opportunity's invitations.",
      content: {
        "application/json": {
          schema: listSchema(OpportunityWorkerSchema, "OpportunityWorkerList"),
          example: WORKER_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const { opportunity, ctx } = await reachOpportunity(c, id);
  const rows = await listWorkers(ctx.db, opportunity.id, { status: query.status, after, limit: query.limit });
  return c.json(
    page(
      rows.map((row) => ({ ...row, id: row.invitation.id })),
      query.limit,
      presentWorker,
    ),
    200,
  );
};
