import { z } from "@hono/zod-openapi";
import { OPPORTUNITY_STATUSES } from "../../schema";
import { countryCode } from "../platform/countries";
import { calendarDate } from "../platform/dates";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { currencyCode, moneyInput } from "../platform/money";
import { MeetingTimesInput } from "../platform/schedule";
import { displayText } from "../platform/text";
import { skillMatrixInput } from "../skills/matrix";
import { MAX_OPPORTUNITY_SKILLS, VisibilitySchema, WorkEnvironmentSchema } from "./schemas";

// The bodies of POST and PATCH /v1/opportunities: their fields, rules and examples.

const deliveryTypeSlug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a delivery type slug (see GET /v1/delivery-types)")
  .openapi({
    description:
      "The slug of a delivery type (GET /v1/delivery-types). A managed opportunity has its program's: leave it " +
      "out (another value is a 400).",
    example: "field-work",
  });

const hours = z.number().int("must be a whole number").min(0).max(168).openapi({ format: "int32", example: 10 });
const years = z.number().int("must be a whole number").min(0).max(60).openapi({ format: "int32", example: 1 });

/** The fields an opportunity is made of, as a create body takes them. */
const fields = {
  name: displayText({ min: 1, max: 200 }).openapi({
    description: "The opportunity's name: 1 to 200 characters on one line; HTML is stripped.",
  }),
  description: displayText({ max: 5000, multiline: true }).openapi({
    description: "What the work is: up to 5000 characters; line breaks are kept, HTML is stripped. Empty by default.",
  }),
  short_description: displayText({ max: 50 }).openapi({
    description: "A one-line teaser for the catalog, up to 50 characters. Empty by default.",
  }),
  visibility: VisibilitySchema,
  start_date: calendarDate("The first day, YYYY-MM-DD (within the program's dates when managed)."),
  end_date: calendarDate(
    "The last day, YYYY-MM-DD, not before `start_date`; null: it never ends. A managed one ends within its " +
      "program: left out on create, it is the program's last day; null is a 400.",
  ),
  total_budget: moneyInput(
    "What the opportunity may spend: a decimal string in `currency`, with at most its minor units of decimals; " +
      "null: no budget. Standalone: needs a `currency`. Managed: at most what the program has left (400 naming it).",
  ),
  currency: currencyCode().openapi({
    description:
      "ISO 4217 code of `total_budget` and of the payment units. Standalone: required with `total_budget`, and " +
      "fixed once it has payment units (409). Managed: the program's; leave it out (another value is a 400).",
  }),
  country: countryCode().openapi({
    description:
      "ISO 3166-1 alpha-2 code of where the work is. Managed: the program's; leave it out (another value is a 400).",
  }),
  delivery_type: deliveryTypeSlug,
  role: displayText({ min: 1, max: 100 }).openapi({
    description: "The title of the role, e.g. `Field surveyor`: 1 to 100 characters on one line; null: none.",
  }),
  work_environment: WorkEnvironmentSchema,
  min_hours_per_week: hours.openapi({
    description: "The fewest hours a week a volunteer gives, 0 to 168 (the `max_hours` filter compares it).",
  }),
  min_experience_years: years.openapi({ description: "Years of experience asked for, 0 to 60; null: none asked." }),
  meeting_times: MeetingTimesInput,
  required_skills: skillMatrixInput(
    MAX_OPPORTUNITY_SKILLS,
    "The skills a volunteer needs, `{skill_id: level}` (levels 1–5, at most 30): matching counts a level below " +
      "the requirement in proportion. Skills of the catalog (GET /v1/skills) that are not retired; a skill is " +
      "either required or preferred.",
  ),
  preferred_skills: skillMatrixInput(
    MAX_OPPORTUNITY_SKILLS,
    "Skills that help, `{skill_id: level}` (levels 1–5, at most 30), never also required.",
  ),
};

const endNotBeforeStart = (body: { start_date?: string; end_date?: string | null }) =>
  !body.start_date || !body.end_date || body.end_date >= body.start_date;
const END_MESSAGE = { path: ["end_date"], message: "must not be before start_date" };

export const CreateOpportunityBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation).optional().openapi({
      description: "The delivering organisation. Required for people; a service account's token implies it.",
    }),
    program_id: typeIdSchema(ID_PREFIX.program)
      .optional()
      .openapi({
        description:
          "Makes it managed: a program the organisation runs or has an `accepted` application to (else 403). It " +
          "takes the program's currency, country and delivery type. Left out: standalone.",
      }),
    name: fields.name,
    description: fields.description.default(""),
    short_description: fields.short_description.default(""),
    visibility: fields.visibility.default("organisation"),
    start_date: fields.start_date,
    end_date: fields.end_date.nullable().optional(),
    total_budget: fields.total_budget.nullable().optional(),
    currency: fields.currency.optional(),
    country: fields.country.optional(),
    delivery_type: fields.delivery_type.optional(),
    role: fields.role.nullable().optional(),
    work_environment: fields.work_environment,
    min_hours_per_week: fields.min_hours_per_week,
    min_experience_years: fields.min_experience_years.nullable().optional(),
    meeting_times: fields.meeting_times.nullable().optional(),
    required_skills: fields.required_skills.optional(),
    preferred_skills: fields.preferred_skills.optional(),
  })
  .refine(endNotBeforeStart, END_MESSAGE)
  .openapi("CreateOpportunity", {
    example: {
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      name: "Community health survey",
      short_description: "Door-to-door household survey",
      description: "Visit households in the district and record the survey answers.",
      visibility: "public",
      start_date: "2027-03-01",
      end_date: "2027-09-30",
      total_budget: "2500.00",
      currency: "EUR",
      country: "DE",
      role: "Field surveyor",
      work_environment: "in_person",
      min_hours_per_week: 10,
      min_experience_years: 1,
      meeting_times: { time_zone: "Europe/Berlin", slots: [{ day: "mon", start: "09:00", end: "12:30" }] },
    },
  });

export type CreateOpportunityInput = z.infer<typeof CreateOpportunityBody>;

export const UpdateOpportunityBody = z
  .strictObject({
    // The statuses inline (not the OpportunityStatus reference), so this description sits on the field itself.
    status: z
      .enum(OPPORTUNITY_STATUSES)
      .optional()
      .openapi({
        description:
          "Moves it: draft → open, open → on_hold, on_hold → open, open or on_hold → closed or filled. Opening " +
          "needs an opportunity that has not ended and, when managed, a payment unit.",
      }),
    name: fields.name.optional(),
    description: fields.description.optional(),
    short_description: fields.short_description.optional(),
    visibility: fields.visibility.optional(),
    start_date: fields.start_date.optional(),
    end_date: fields.end_date.nullable().optional(),
    total_budget: fields.total_budget.nullable().optional(),
    currency: fields.currency.nullable().optional(),
    country: fields.country.nullable().optional(),
    delivery_type: fields.delivery_type.nullable().optional(),
    role: fields.role.nullable().optional(),
    work_environment: fields.work_environment.optional(),
    min_hours_per_week: fields.min_hours_per_week.optional(),
    min_experience_years: fields.min_experience_years.nullable().optional(),
    meeting_times: fields.meeting_times.nullable().optional(),
    required_skills: fields.required_skills.optional().openapi({
      description:
        "Replaces the required skills (`{}` removes them all). A retired skill the opportunity holds may stay; " +
        "a retired one cannot be added (400 on `required_skills.<skill id>`).",
    }),
    preferred_skills: fields.preferred_skills.optional().openapi({
      description: "Replaces the preferred skills (`{}` removes them all), like `required_skills`.",
    }),
  })
  .refine(endNotBeforeStart, END_MESSAGE)
  .openapi("UpdateOpportunity", { example: { status: "open", short_description: "Household survey, 10 h a week" } });

export type OpportunityChanges = z.infer<typeof UpdateOpportunityBody>;
