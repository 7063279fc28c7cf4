import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { paymentUnits } from "../../schema";
import { notFound } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachPaymentUnitOpportunity } from "./reach";
import { PaymentUnitIdParams, PaymentUnitSchema, presentPaymentUnit } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/payment-units/{id}",
  operationId: "getPaymentUnit",
  tags: ["Payment units"],
  summary: "Get a payment unit",
  description: "A payment unit of an opportunity the caller cannot reach is 404.",
  access: {},
  request: { params: PaymentUnitIdParams },
  responses: {
    200: { description: "The payment unit.", content: { "application/json": { schema: PaymentUnitSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx, opportunity } = await reachPaymentUnitOpportunity(c, id);
  const [unit] = await ctx.db
    .select()
    .from(paymentUnits)
    .where(and(eq(paymentUnits.id, id), eq(paymentUnits.opportunityId, opportunity.id)));
  if (!unit) throw notFound("payment unit");
  return c.json(presentPaymentUnit(unit, opportunity.currency), 200);
};
