import { z } from "@hono/zod-openapi";
import type { Program } from "../../schema";
import { deliveryTypeSlug } from "../delivery-types/schemas";
import { countryCode } from "../platform/countries";
import { calendarDate, calendarDateOut } from "../platform/dates";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { currencyCode, formatMoney, moneyInput, moneyOutput } from "../platform/money";
import { displayText } from "../platform/text";

/** A program with what its response shows beside its row: its delivery type's slug and what its opportunities hold. */
export interface ProgramView {
  program: Program;
  deliveryType: string;
  /** The sum of its opportunities' `total_budget`, as stored (numeric text). */
  allocated: string;
}

export const ProgramSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.program),
    object: z.literal("program"),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation running it." }),
    name: z.string().max(200),
    description: z.string().max(5000),
    delivery_type: z
      .string()
      .max(100)
      .openapi({ description: "The delivery type's slug (see GET /v1/delivery-types).", example: "training" }),
    currency: z.string().length(3).openapi({ description: "ISO 4217.", example: "EUR" }),
    country: z.string().length(2).openapi({ description: "ISO 3166-1 alpha-2.", example: "DE" }),
    budget: moneyOutput("What the program may spend, in its currency's minor units."),
    allocated: moneyOutput("What its opportunities' budgets (`total_budget`) add up to; never above `budget`."),
    start_date: calendarDateOut(),
    end_date: calendarDateOut(),
    created_at: timestampOut(),
    updated_at: timestampOut(),
  })
  .openapi("Program", {
    example: {
      id: "prg_01h455vb4pex5vsknk084sn02q",
      object: "program",
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      name: "Digital skills 2026",
      description: "Basic digital skills training in community centres.",
      delivery_type: "training",
      currency: "EUR",
      country: "DE",
      budget: "250000.00",
      allocated: "40000.00",
      start_date: "2026-01-01",
      end_date: "2026-12-31",
      created_at: "2025-11-30T09:00:00.000Z",
      updated_at: "2025-11-30T09:00:00.000Z",
    },
  });

export function presentProgram({ program, deliveryType, allocated }: ProgramView) {
  return {
    id: toTypeId(ID_PREFIX.program, program.id),
    object: "program" as const,
    organisation_id: toTypeId(ID_PREFIX.organisation, program.organisationId),
    name: program.name,
    description: program.description,
    delivery_type: deliveryType,
    currency: program.currency,
    country: program.country,
    budget: formatMoney(program.budget, program.currency),
    allocated: formatMoney(allocated, program.currency),
    start_date: program.startDate,
    end_date: program.endDate,
    created_at: program.createdAt.toISOString(),
    updated_at: program.updatedAt.toISOString(),
  };
}

export const ProgramIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.program).openapi({ param: { name: "id", in: "path" } }),
});

/** The writable fields of a program, as its create and update bodies take them. */
export const ProgramFields = {
  name: displayText({ min: 1, max: 200 }),
  description: displayText({ max: 5000, multiline: true }),
  delivery_type: deliveryTypeSlug().openapi({
    description: "A delivery type's slug (GET /v1/delivery-types).",
    example: "training",
  }),
  currency: currencyCode(),
  country: countryCode(),
  budget: moneyInput("What the program may spend: at most its currency's minor units of decimals."),
  start_date: calendarDate(),
  end_date: calendarDate().openapi({ description: "After `start_date`." }),
};
