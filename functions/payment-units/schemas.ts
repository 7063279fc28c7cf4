import { z } from "@hono/zod-openapi";
import type { PaymentUnit } from "../../schema";
import { calendarDateOut } from "../platform/dates";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { formatMoney, moneyOutput } from "../platform/money";

const dateOut = (description: string) => calendarDateOut().nullable().openapi({ description });

const INT32_MAX = 2_147_483_647;

/** Units a worker may deliver: ≥ 1, within a 32-bit integer. */
export const unitCap = (description: string) =>
  z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(INT32_MAX, `must be at most ${INT32_MAX}`)
    .openapi({ format: "int32", description, example: 10 });

/** A payment unit as the API shows it (the example of its schema and of its list). */
const PAYMENT_UNIT_EXAMPLE = {
  id: "pu_01h455vb4pex5vsknk084sn02q",
  object: "payment_unit" as const,
  opportunity_id: "opp_01h455vb4pex5vsknk084sn02q",
  parent_payment_unit_id: null,
  name: "Household survey",
  description: "One completed and uploaded household survey.",
  amount: "12.50",
  org_amount: "2.00",
  currency: "EUR",
  max_total: 200,
  max_daily: 10,
  start_date: "2027-03-01",
  end_date: "2027-06-30",
  created_at: "2026-11-05T12:00:00.000Z",
  updated_at: "2026-11-05T12:00:00.000Z",
};

export const PaymentUnitSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.payment_unit).openapi({ description: "The payment unit's id." }),
    object: z.literal("payment_unit").openapi({ description: "Always `payment_unit`." }),
    opportunity_id: typeIdOut(ID_PREFIX.opportunity).openapi({ description: "The opportunity it pays for." }),
    parent_payment_unit_id: typeIdOut(ID_PREFIX.payment_unit)
      .nullable()
      .openapi({ description: "The payment unit this one belongs under (one level only); null: none." }),
    name: z.string().max(100).openapi({ description: "What a unit of work is called (one line)." }),
    description: z.string().max(1000).openapi({ description: "What one unit delivered is; empty when there is none." }),
    amount: moneyOutput("Paid to the worker per unit delivered: a decimal string in `currency`."),
    org_amount: moneyOutput("Paid to the delivering organisation per unit delivered: a decimal string in `currency`."),
    currency: z.string().length(3).nullable().openapi({
      description: "The opportunity's currency (ISO 4217), which the amounts are in.",
      example: "EUR",
      pattern: "^[A-Z]{3}$",
    }),
    max_total: z
      .number()
      .int()
      .min(1)
      .max(INT32_MAX)
      .openapi({ format: "int32", description: "Most units one person may deliver." }),
    max_daily: z
      .number()
      .int()
      .min(1)
      .max(INT32_MAX)
      .openapi({ format: "int32", description: "Most units one person may deliver a day." }),
    start_date: dateOut("First day the unit may be delivered (within the opportunity's dates); null: no limit."),
    end_date: dateOut("Last day the unit may be delivered (within the opportunity's dates); null: no limit."),
    created_at: timestampOut().openapi({ description: "When it was created (ISO 8601, UTC)." }),
    updated_at: timestampOut().openapi({ description: "When it last changed (ISO 8601, UTC)." }),
  })
  .openapi("PaymentUnit", { example: PAYMENT_UNIT_EXAMPLE });

export const PAYMENT_UNIT_LIST_EXAMPLE = {
  object: "list",
  data: [PAYMENT_UNIT_EXAMPLE],
  has_more: false,
  next_cursor: null,
};

export type PaymentUnitView = z.infer<typeof PaymentUnitSchema>;

export function presentPaymentUnit(unit: PaymentUnit, currency: string | null): PaymentUnitView {
  return {
    id: toTypeId(ID_PREFIX.payment_unit, unit.id),
    object: "payment_unit",
    opportunity_id: toTypeId(ID_PREFIX.opportunity, unit.opportunityId),
    parent_payment_unit_id: unit.parentPaymentUnitId
      ? toTypeId(ID_PREFIX.payment_unit, unit.parentPaymentUnitId)
      : null,
    name: unit.name,
    description: unit.description,
    amount: formatMoney(unit.amount, currency),
    org_amount: formatMoney(unit.orgAmount, currency),
    currency,
    max_total: unit.maxTotal,
    max_daily: unit.maxDaily,
    start_date: unit.startDate,
    end_date: unit.endDate,
    created_at: unit.createdAt.toISOString(),
    updated_at: unit.updatedAt.toISOString(),
  };
}

export const PaymentUnitIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.payment_unit).openapi({
    param: { name: "id", in: "path" },
    description: "The payment unit's id (`pu_...`); another prefix is a 400.",
  }),
});
