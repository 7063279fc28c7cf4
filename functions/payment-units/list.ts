import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { paymentUnits } from "../../schema";
import { reachOpportunity } from "../opportunities/reach";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { PaymentUnitSchema, presentPaymentUnit } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/payment-units",
  operationId: "listPaymentUnits",
  tags: ["Payment units"],
  summary: "List an opportunity's payment units",
  description:
    "Oldest first. Members of the delivering organisation and of the program's organisation (within their access " +
    "lists) may read them.",
  access: {},
  request: {
    query: z.object({ opportunity_id: typeIdSchema(ID_PREFIX.opportunity), ...paginationQuery }),
  },
  responses: {
    200: {
      description: "Payment units.",
      content: { "application/json": { schema: listSchema(PaymentUnitSchema, "PaymentUnitList") } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const { ctx, opportunity } = await reachOpportunity(c, query.opportunity_id);
  const conditions: SQL[] = [eq(paymentUnits.opportunityId, opportunity.id)];
  if (after) conditions.push(gt(paymentUnits.id, after));
  const rows = await ctx.db
    .select()
    .from(paymentUnits)
    .where(and(...conditions))
    .orderBy(asc(paymentUnits.id))
    .limit(query.limit + 1);
  return c.json(
    page(rows, query.limit, (row) => presentPaymentUnit(row, opportunity.currency)),
    200,
  );
};
