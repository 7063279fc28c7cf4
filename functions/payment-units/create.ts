import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { reachOpportunity } from "../opportunities/reach";
import { calendarDate } from "../platform/dates";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { moneyInput } from "../platform/money";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { displayText } from "../platform/text";
import { PaymentUnitSchema, presentPaymentUnit, unitCap } from "./schemas";
import { createPaymentUnit } from "./service";

const CreatePaymentUnitBody = z
  .strictObject({
    opportunity_id: typeIdSchema(ID_PREFIX.opportunity).openapi({
      description: "The opportunity it pays for; it must have a currency (else 409).",
    }),
    name: displayText({ min: 1, max: 100 }).openapi({
      description: "What a unit of work is called: 1 to 100 characters on one line; HTML is stripped.",
    }),
    description: displayText({ max: 1000, multiline: true })
      .default("")
      .openapi({ description: "What one unit delivered is: up to 1000 characters; empty by default." }),
    amount: moneyInput(
      "Paid to the worker per unit delivered: a decimal string in the opportunity's currency, with at most its minor units of decimals.",
    ),
    org_amount: moneyInput(
      "Paid to the delivering organisation per unit delivered, like `amount` (default 0).",
    ).default("0"),
    max_total: unitCap("Most units one person may deliver."),
    max_daily: unitCap("Most units one person may deliver a day; at most `max_total`."),
    parent_payment_unit_id: typeIdSchema(ID_PREFIX.payment_unit)
      .nullable()
      .optional()
      .openapi({ description: "A payment unit of the same opportunity that has no parent itself." }),
    start_date: calendarDate("First day the unit may be delivered; within the opportunity's dates. Null: no limit.")
      .nullable()
      .optional(),
    end_date: calendarDate(
      "Last day the unit may be delivered; within the opportunity's dates, on or after `start_date`. Null: no limit.",
    )
      .nullable()
      .optional(),
  })
  .openapi("CreatePaymentUnit", {
    example: {
      opportunity_id: "opp_01h455vb4pex5vsknk084sn02q",
      name: "Household survey",
      description: "One completed and uploaded household survey.",
      amount: "12.50",
      org_amount: "2.00",
      max_total: 200,
      max_daily: 10,
      start_date: "2027-03-01",
      end_date: "2027-06-30",
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/payment-units",
  operationId: "createPaymentUnit",
  tags: ["Payment units"],
  summary: "Create a payment unit of an opportunity",
  description:
    'Amounts are decimal strings in the opportunity\'s currency, with at most its minor units (`"10.5"` is a 400 ' +
    "in JPY); an opportunity without a currency takes no payment units yet (409). `max_daily` is at most " +
    "`max_total`. The dates lie within the opportunity's. A parent belongs to the same opportunity and has no " +
    "parent itself (400 on `parent_payment_unit_id`). Managed opportunities are managed from either side: the " +
    "delivering organisation with `opportunities:write`, or the program's organisation with `programs:write`.",
  access: { scope: "create", permission: "opportunities:write" },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreatePaymentUnitBody } } } },
  responses: {
    201: { description: "The payment unit.", content: { "application/json": { schema: PaymentUnitSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { opportunity_id, ...input } = c.req.valid("json");
  const { ctx, opportunity } = await reachOpportunity(c, opportunity_id);
  const { unit, currency } = await createPaymentUnit(ctx, opportunity.id, input);
  return c.json(presentPaymentUnit(unit, currency), 201);
};
