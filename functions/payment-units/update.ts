import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { calendarDate } from "../platform/dates";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { moneyInput } from "../platform/money";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { displayText } from "../platform/text";
import { reachPaymentUnitOpportunity } from "./reach";
import { PaymentUnitIdParams, PaymentUnitSchema, presentPaymentUnit, unitCap } from "./schemas";
import { updatePaymentUnit } from "./service";

const UpdatePaymentUnitBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 })
      .optional()
      .openapi({ description: "What a unit of work is called: 1 to 100 characters on one line; HTML is stripped." }),
    description: displayText({ max: 1000, multiline: true })
      .optional()
      .openapi({ description: 'What one unit delivered is: up to 1000 characters; `""` clears it.' }),
    amount: moneyInput(
      "Paid to the worker per unit delivered: a decimal string in the opportunity's currency, with at most its minor units of decimals.",
    ).optional(),
    org_amount: moneyInput("Paid to the delivering organisation per unit delivered.").optional(),
    max_total: unitCap("Most units one person may deliver.").optional(),
    max_daily: unitCap("Most units one person may deliver a day; at most `max_total`.").optional(),
    parent_payment_unit_id: typeIdSchema(ID_PREFIX.payment_unit)
      .nullable()
      .optional()
      .openapi({ description: "A payment unit of the same opportunity without a parent; `null` detaches it." }),
    start_date: calendarDate("First day the unit may be delivered; `null` for none.").nullable().optional(),
    end_date: calendarDate("Last day the unit may be delivered; `null` for none.").nullable().optional(),
  })
  .openapi("UpdatePaymentUnit", { example: { amount: "15.00", max_daily: 12, end_date: "2027-07-31" } });

export const route = defineRoute({
  method: "patch",
  path: "/v1/payment-units/{id}",
  operationId: "updatePaymentUnit",
  tags: ["Payment units"],
  summary: "Change a payment unit",
  description:
    "The rules of creation hold for the result: caps and dates are checked together with the values kept. A " +
    "payment unit that has child payment units cannot get a parent (400 on `parent_payment_unit_id`).",
  access: { scope: "create", permission: "opportunities:write" },
  errors: [409],
  request: {
    params: PaymentUnitIdParams,
    body: { required: true, content: { "application/json": { schema: UpdatePaymentUnitBody } } },
  },
  responses: {
    200: { description: "The payment unit.", content: { "application/json": { schema: PaymentUnitSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx, opportunity } = await reachPaymentUnitOpportunity(c, id);
  const { unit, currency } = await updatePaymentUnit(ctx, opportunity.id, id, c.req.valid("json"));
  return c.json(presentPaymentUnit(unit, currency), 200);
};
