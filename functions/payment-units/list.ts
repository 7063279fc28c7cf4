import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { reachOpportunity } from "../opportunities/reach";
import { listSchema, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { listPaymentUnits, paymentUnitFilters } from "./listing";
import { PAYMENT_UNIT_LIST_EXAMPLE, PaymentUnitSchema } from "./schemas";

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
    query: z.object({
      ...paymentUnitFilters,
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({
        description: "How many payment units a page holds, 1 to 100 (default 20).",
      }),
    }),
  },
  responses: {
    200: {
      description: "Payment units.",
      content: {
        "application/json": {
          schema: listSchema(PaymentUnitSchema, "PaymentUnitList"),
          example: PAYMENT_UNIT_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { opportunity_id, ...query } = c.req.valid("query");
  const { ctx, opportunity } = await reachOpportunity(c, opportunity_id);
  return c.json(await listPaymentUnits(ctx, opportunity, query), 200);
};
