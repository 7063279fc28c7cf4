import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { deliverUnits } from "../../schema";
import { reachOpportunity } from "../opportunities/reach";
import { reachPaymentUnitOpportunity } from "../payment-units/reach";
import { validationError } from "../platform/errors";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { DELIVER_UNIT_LIST_EXAMPLE, DeliverUnitSchema, presentDeliverUnit } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/deliver-units",
  operationId: "listDeliverUnits",
  tags: ["Deliver units"],
  summary: "List the deliver units of an opportunity or of a payment unit",
  description:
    "Give `opportunity_id`, `payment_unit_id`, or both (400 with neither). Oldest first. Members of the " +
    "delivering organisation and of the program's organisation (within their access lists) may read them.",
  access: {},
  request: {
    query: z.object({
      opportunity_id: typeIdSchema(ID_PREFIX.opportunity)
        .optional()
        .openapi({ description: "The opportunity's deliver units. Required unless `payment_unit_id` is given." }),
      payment_unit_id: typeIdSchema(ID_PREFIX.payment_unit)
        .optional()
        .openapi({
          description:
            "Only the deliver units paid through this payment unit. Required unless `opportunity_id` is given; with " +
            "both, a payment unit of another opportunity lists nothing.",
        }),
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({
        description: "How many deliver units a page holds, 1 to 100 (default 20).",
      }),
    }),
  },
  responses: {
    200: {
      description: "Deliver units.",
      content: {
        "application/json": {
          schema: listSchema(DeliverUnitSchema, "DeliverUnitList"),
          example: DELIVER_UNIT_LIST_EXAMPLE,
        },
      },
    },
  },
});

const neither = (): never => {
  throw validationError({
    opportunity_id: ["is required unless payment_unit_id is given"],
    payment_unit_id: ["is required unless opportunity_id is given"],
  });
};

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const { ctx, opportunity } = query.opportunity_id
    ? await reachOpportunity(c, query.opportunity_id)
    : query.payment_unit_id
      ? await reachPaymentUnitOpportunity(c, query.payment_unit_id)
      : neither();
  const conditions: SQL[] = [eq(deliverUnits.opportunityId, opportunity.id)];
  if (query.payment_unit_id) conditions.push(eq(deliverUnits.paymentUnitId, query.payment_unit_id));
  if (after) conditions.push(gt(deliverUnits.id, after));
  const rows = await ctx.db
    .select()
    .from(deliverUnits)
    .where(and(...conditions))
    .orderBy(asc(deliverUnits.id))
    .limit(query.limit + 1);
  return c.json(page(rows, query.limit, presentDeliverUnit), 200);
};
