import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { permissionDenied } from "../platform/errors";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import { type AppEnv, principalOf } from "../platform/request";
import { defineRoute } from "../platform/router";
import { MY_OPPORTUNITY_LIST_EXAMPLE, MyOpportunitySchema, presentMyOpportunity } from "./schemas";
import { myOpportunities } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/users/me/opportunities",
  operationId: "listMyOpportunities",
  tags: ["Opportunity workers"],
  summary: "The opportunities I have access to",
  description:
    "Opportunities whose invitation you accepted, in the order you joined, whatever organisation delivers them " +
    "(access to an opportunity is not membership of its organisation). People only: a service account is 403.",
  access: { untenanted: true },
  errors: [403],
  request: {
    query: z.object({
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({
        description: "How many opportunities a page holds, 1 to 100 (default 20).",
      }),
    }),
  },
  responses: {
    200: {
      description: "Your opportunities.",
      content: {
        "application/json": {
          schema: listSchema(MyOpportunitySchema, "MyOpportunityList"),
          example: MY_OPPORTUNITY_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const principal = principalOf(c);
  if (principal.kind !== "user") throw permissionDenied("Only people have opportunities of their own.");
  const rows = await myOpportunities(c.get("db"), principal, { after, limit: query.limit });
  return c.json(page(rows, query.limit, presentMyOpportunity), 200);
};
