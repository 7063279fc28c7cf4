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

/** A program as GET /v1/programs/{id} shows it (the example of its schema and of its list). */
export const PROGRAM_EXAMPLE = {
  id: "prg_01h455vb4pex5vsknk084sn02q",
  object: "program" as const,
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  name: "Community health 2027",
  description: "Household surveys and health outreach across the district.",
  delivery_type: "field-work",
  currency: "EUR",
  country: "DE",
  budget: "250000.00",
  allocated: "40000.00",
  start_date: "2027-01-01",
  end_date: "2027-12-31",
  created_at: "2025-11-30T09:00:00.000Z",
  updated_at: "2025-11-30T09:00:00.000Z",
};

export const ProgramSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.program).openapi({ description: "The program's id." }),
    object: z.literal("program").openapi({ description: "Always `program`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation running it." }),
    name: z.string().max(200).openapi({ description: "The program's name (one line)." }),
    description: z.string().max(5000).openapi({ description: "What the program is about; empty when there is none." }),
    delivery_type: z
      .string()
      .max(100)
      .openapi({ description: "The delivery type's slug (see GET /v1/delivery-types).", example: "field-work" }),
    currency: z
      .string()
      .length(3)
      .openapi({ description: "ISO 4217 code of `budget`; its opportunities inherit it.", example: "EUR" }),
    country: z.string().length(2).openapi({
      description: "ISO 3166-1 alpha-2 code of where it runs; its opportunities inherit it.",
      example: "DE",
    }),
    budget: moneyOutput("What the program may spend: a decimal string with the currency's number of decimals."),
    allocated: moneyOutput("What its opportunities' budgets (`total_budget`) add up to; never above `budget`."),
    start_date: calendarDateOut().openapi({ description: "The program's first day (YYYY-MM-DD)." }),
    end_date: calendarDateOut().openapi({
      description: "The program's last day (YYYY-MM-DD), after `start_date`; its opportunities end by then.",
    }),
    created_at: timestampOut().openapi({ description: "When it was created (ISO 8601, UTC)." }),
    updated_at: timestampOut().openapi({ description: "When it last changed (ISO 8601, UTC)." }),
  })
  .openapi("Program", { example: PROGRAM_EXAMPLE });

/** The example of a one-page list of programs (GET /v1/programs). */
export const PROGRAM_LIST_EXAMPLE = { object: "list", data: [PROGRAM_EXAMPLE], has_more: false, next_cursor: null };

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
  id: typeIdSchema(ID_PREFIX.program).openapi({
    param: { name: "id", in: "path" },
    description: "The program's id (`prg_...`); another prefix is a 400.",
  }),
});

/** The writable fields of a program, as its create and update bodies take them. */
export const ProgramFields = {
  name: displayText({ min: 1, max: 200 }).openapi({
    description: "The program's name: 1 to 200 characters on one line; HTML is stripped.",
  }),
  description: displayText({ max: 5000, multiline: true }).openapi({
    description: "What the program is about: up to 5000 characters; line breaks are kept, HTML is stripped.",
  }),
  delivery_type: deliveryTypeSlug().openapi({
    description:
      "A delivery type's slug (GET /v1/delivery-types). Fixed once the program has an opportunity (409 on change).",
    example: "field-work",
  }),
  currency: currencyCode().openapi({
    description: "ISO 4217 code of the budget, upper case. Fixed once the program has an opportunity (409 on change).",
  }),
  country: countryCode().openapi({
    description: "ISO 3166-1 alpha-2 code, upper case. Fixed once the program has an opportunity (409 on change).",
  }),
  budget: moneyInput(
    'What the program may spend: a decimal string with at most the currency\'s minor units of decimals ("10.5" JPY is a 400). Not below what its opportunities hold (409).',
  ),
  start_date: calendarDate("The program's first day, YYYY-MM-DD; its opportunities start on or after it."),
  end_date: calendarDate("The program's last day, YYYY-MM-DD: after `start_date`; its opportunities end by then."),
};
