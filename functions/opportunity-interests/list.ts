import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { reachOpportunity } from "../opportunities/reach";
import { permissionDenied } from "../platform/errors";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { INTEREST_LIST_EXAMPLE, OpportunityIdParams, OpportunityInterestSchema, presentInterest } from "./schemas";
import { listInterests } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/opportunities/{id}/interests",
  operationId: "listOpportunityInterests",
  tags: ["Opportunity interests"],
  summary: "Who expressed interest in an opportunity, with their contact",
  description:
    "Oldest first. This is where a volunteer's email is shared: they chose to, by expressing interest. For the " +
    "delivering organisation's members with `opportunities:write` (a program's organisation sees the opportunity " +
    "but not these: 403). The name and email are the person's current ones; `practice_area` is their profile's.",
  access: { permission: "opportunities:write" },
  request: {
    params: OpportunityIdParams,
    query: z.object({
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({ description: "How many interests a page holds, 1 to 100 (default 20)." }),
    }),
  },
  responses: {
    200: {
      description: "The interests.",
      content: {
        "application/json": {
          schema: listSchema(OpportunityInterestSchema, "OpportunityInterestList"),
          example: INTEREST_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const { opportunity, ctx, side } = await reachOpportunity(c, c.req.valid("param").id, { write: true });
  if (side !== "delivering") {
    throw permissionDenied("Interests are shared with the organisation that delivers the opportunity only.");
  }
  const rows = await listInterests(ctx.db, opportunity.id, { after, limit: query.limit });
  return c.json(
    page(
      rows.map((row) => ({ ...row, id: row.interest.id })),
      query.limit,
      presentInterest,
    ),
    200,
  );
};
