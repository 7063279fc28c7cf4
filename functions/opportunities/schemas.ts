import { z } from "@hono/zod-openapi";
import { OPPORTUNITY_STATUSES, type Opportunity, VISIBILITIES, WORK_ENVIRONMENTS } from "../../schema";
import { countryCode } from "../platform/countries";
import { calendarDate, calendarDateOut, hasEnded } from "../platform/dates";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { currencyCode, formatMoney, moneyInput, moneyOutput } from "../platform/money";
import { MeetingTimesInput, MeetingTimesSchema } from "../platform/schedule";
import { displayText } from "../platform/text";
import { presentMatrix, skillMatrixInput } from "../skills/matrix";
import { skillMatrixOut } from "../skills/schemas";
import type { OpportunitySkill } from "./skills";

/** An opportunity as the reads return it: the row, the program's organisation (managed) and the delivery type's slug. */
export interface OpportunityView {
  opportunity: Opportunity;
  programOrganisationId: string | null;
  deliveryType: string | null;
  /** Its required and preferred skills, in skill id order. */
  skills: OpportunitySkill[];
}

/** At most this many skills in each of `required_skills` and `preferred_skills`. */
export const MAX_OPPORTUNITY_SKILLS = 30;

export const OpportunityStatusSchema = z.enum(OPPORTUNITY_STATUSES).openapi("OpportunityStatus", {
  description: "`draft → open ↔ on_hold → closed | filled`; `closed` and `filled` are final.",
});
export const VisibilitySchema = z.enum(VISIBILITIES).openapi("OpportunityVisibility", {
  description: "`public`: in the catalog anyone may browse once open; `organisation`: members only.",
});
export const WorkEnvironmentSchema = z.enum(WORK_ENVIRONMENTS).openapi("WorkEnvironment");

const deliveryTypeSlug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a delivery type slug (see GET /v1/delivery-types)")
  .openapi({ description: "The slug of a delivery type (GET /v1/delivery-types).", example: "in-person" });

const hours = z.number().int("must be a whole number").min(0).max(168).openapi({ format: "int32", example: 10 });
const years = z.number().int("must be a whole number").min(0).max(60).openapi({ format: "int32", example: 1 });

/** The fields an opportunity is made of, as a create body takes them. */
const fields = {
  name: displayText({ min: 1, max: 200 }),
  description: displayText({ max: 5000, multiline: true }),
  short_description: displayText({ max: 50 }),
  visibility: VisibilitySchema,
  start_date: calendarDate("The first day, YYYY-MM-DD (within the program's dates when managed)."),
  end_date: calendarDate("The last day, YYYY-MM-DD; none: it never ends (a managed one ends with its program)."),
  total_budget: moneyInput("What the opportunity may spend, in its currency (within what its program has left)."),
  currency: currencyCode(),
  country: countryCode(),
  delivery_type: deliveryTypeSlug,
  role: displayText({ min: 1, max: 100 }).openapi({ description: "The title of the role, e.g. `Field surveyor`." }),
  work_environment: WorkEnvironmentSchema,
  min_hours_per_week: hours,
  min_experience_years: years,
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
    organisation_id: typeIdSchema(ID_PREFIX.organisation)
      .optional()
      .openapi({ description: "The delivering organisation (a service account's own when left out)." }),
    program_id: typeIdSchema(ID_PREFIX.program)
      .optional()
      .openapi({ description: "Makes it managed: it takes the program's currency, country and delivery type." }),
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
      start_date: "2026-03-01",
      end_date: "2026-09-30",
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
    status: OpportunityStatusSchema.optional().openapi({
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

export const OpportunitySchema = z
  .object({
    id: typeIdOut(ID_PREFIX.opportunity),
    object: z.literal("opportunity"),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The delivering organisation." }),
    program_id: typeIdOut(ID_PREFIX.program).nullable(),
    program_organisation_id: typeIdOut(ID_PREFIX.organisation)
      .nullable()
      .openapi({ description: "The organisation running the program, for a managed opportunity." }),
    name: z.string().max(200),
    description: z.string().max(5000),
    short_description: z.string().max(50),
    visibility: VisibilitySchema,
    status: OpportunityStatusSchema,
    has_ended: z.boolean().openapi({ description: "`end_date` is before today (UTC); without one it never ends." }),
    start_date: calendarDateOut(),
    end_date: calendarDateOut().nullable(),
    total_budget: moneyOutput("In `currency`, with its minor units.").nullable(),
    currency: z.string().length(3).nullable().openapi({ example: "EUR" }),
    country: z.string().length(2).nullable().openapi({ example: "DE" }),
    delivery_type: z
      .string()
      .max(100)
      .nullable()
      .openapi({ description: "A delivery type's slug.", example: "survey" }),
    role: z.string().max(100).nullable(),
    work_environment: WorkEnvironmentSchema,
    min_hours_per_week: z.number().int().min(0).max(168).openapi({ format: "int32" }),
    min_experience_years: z.number().int().min(0).max(60).nullable().openapi({ format: "int32" }),
    meeting_times: MeetingTimesSchema.nullable(),
    required_skills: skillMatrixOut(MAX_OPPORTUNITY_SKILLS, "Skills required, `{skill_id: level}`, in id order."),
    preferred_skills: skillMatrixOut(MAX_OPPORTUNITY_SKILLS, "Skills preferred, `{skill_id: level}`, in id order."),
    created_at: timestampOut(),
    updated_at: timestampOut(),
  })
  .openapi("Opportunity", {
    example: {
      id: "opp_01h455vb4pex5vsknk084sn02q",
      object: "opportunity",
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      program_id: "prg_01h455vb4pex5vsknk084sn02q",
      program_organisation_id: "org_01h455vb4pex5vsknk084sn03r",
      name: "Community health survey",
      description: "Visit households in the district and record the survey answers.",
      short_description: "Door-to-door household survey",
      visibility: "public",
      status: "open",
      has_ended: false,
      start_date: "2026-03-01",
      end_date: "2026-09-30",
      total_budget: "2500.00",
      currency: "EUR",
      country: "DE",
      delivery_type: "survey",
      role: "Field surveyor",
      work_environment: "in_person",
      min_hours_per_week: 10,
      min_experience_years: 1,
      meeting_times: { time_zone: "Europe/Berlin", slots: [{ day: "mon", start: "09:00", end: "12:30" }] },
      required_skills: { skl_01h455vb4pex5vsknk084sn02q: 3 },
      preferred_skills: { skl_01h455vb4pex5vsknk084sn03r: 2 },
      created_at: "2026-02-01T09:30:00.000Z",
      updated_at: "2026-02-03T14:00:00.000Z",
    },
  });

export type PresentedOpportunity = z.infer<typeof OpportunitySchema>;

/** One requirement's skills as `{skill_id: level}`, in skill id order (the audit diff compares them as text). */
function matrixOf(skills: readonly OpportunitySkill[], requirement: OpportunitySkill["requirement"]) {
  const rows = skills.filter((skill) => skill.requirement === requirement);
  return presentMatrix(rows.sort((a, b) => (a.skillId < b.skillId ? -1 : a.skillId > b.skillId ? 1 : 0)));
}

export function presentOpportunity(view: OpportunityView, today?: string): PresentedOpportunity {
  const o = view.opportunity;
  return {
    id: toTypeId(ID_PREFIX.opportunity, o.id),
    object: "opportunity",
    organisation_id: toTypeId(ID_PREFIX.organisation, o.organisationId),
    program_id: o.programId ? toTypeId(ID_PREFIX.program, o.programId) : null,
    program_organisation_id: view.programOrganisationId
      ? toTypeId(ID_PREFIX.organisation, view.programOrganisationId)
      : null,
    name: o.name,
    description: o.description,
    short_description: o.shortDescription,
    visibility: o.visibility,
    status: o.status,
    has_ended: hasEnded(o.endDate, today),
    start_date: o.startDate,
    end_date: o.endDate,
    total_budget: o.totalBudget === null ? null : formatMoney(o.totalBudget, o.currency),
    currency: o.currency,
    country: o.country,
    delivery_type: view.deliveryType,
    role: o.role,
    work_environment: o.workEnvironment,
    min_hours_per_week: o.minHoursPerWeek,
    min_experience_years: o.minExperienceYears,
    // In one key order: jsonb keeps its own, and the audit diff compares representations as text.
    meeting_times: o.meetingTimes && {
      time_zone: o.meetingTimes.time_zone,
      slots: o.meetingTimes.slots.map((slot) => ({ day: slot.day, start: slot.start, end: slot.end })),
    },
    required_skills: matrixOf(view.skills, "required"),
    preferred_skills: matrixOf(view.skills, "preferred"),
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
  };
}

export const OpportunityIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.opportunity).openapi({ param: { name: "id", in: "path" } }),
});
