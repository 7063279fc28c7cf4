import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachPaymentUnitOpportunity } from "./reach";
import { PaymentUnitIdParams } from "./schemas";
import { deletePaymentUnit } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/payment-units/{id}",
  operationId: "deletePaymentUnit",
  tags: ["Payment units"],
  summary: "Delete a payment unit nothing uses",
  description:
    "A payment unit that deliver units or child payment units use is 409, naming them (`deliver_unit_ids`, " +
    "`child_payment_unit_ids`). The last payment unit of an open managed opportunity stays (409).",
  access: { scope: "create", permission: "opportunities:write" },
  errors: [409],
  request: { params: PaymentUnitIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx, opportunity } = await reachPaymentUnitOpportunity(c, id);
  await deletePaymentUnit(ctx, opportunity.id, id);
  return c.body(null, 204);
};
