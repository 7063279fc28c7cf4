import { z } from "@hono/zod-openapi";
import { OPPORTUNITY_STATUSES, type Opportunity, VISIBILITIES, WORK_ENVIRONMENTS } from "../../schema";
import { calendarDateOut, hasEnded } from "../platform/dates";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { formatMoney, moneyOutput } from "../platform/money";
import { MeetingTimesSchema } from "../platform/schedule";
import { presentMatrix } from "../skills/matrix";
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
export const WorkEnvironmentSchema = z.enum(WORK_ENVIRONMENTS).openapi("WorkEnvironment", {
  description: "Where the work is done: `remote`, `hybrid` (partly on site) or `in_person` (on site).",
  example: "in_person",
});

/** An opportunity as the API shows it (the example of its schema and of its list). */
export const OPPORTUNITY_EXAMPLE = {
  id: "opp_01h455vb4pex5vsknk084sn02q",
  object: "opportunity" as const,
  organisation_id: "org_01h455vb4pex5vsknk084sn03r",
  program_id: "prg_01h455vb4pex5vsknk084sn02q",
  program_organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  name: "Community health survey",
  description: "Visit households in the district and record the survey answers.",
  short_description: "Door-to-door household survey",
  visibility: "public" as const,
  status: "open" as const,
  has_ended: false,
  start_date: "2027-03-01",
  end_date: "2027-09-30",
  total_budget: "2500.00",
  currency: "EUR",
  country: "DE",
  delivery_type: "field-work",
  role: "Field surveyor",
  work_environment: "in_person" as const,
  min_hours_per_week: 10,
  min_experience_years: 1,
  meeting_times: { time_zone: "Europe/Berlin", slots: [{ day: "mon" as const, start: "09:00", end: "12:30" }] },
  required_skills: { skl_01h455vb4pex5vsknk084sn02q: 3 },
  preferred_skills: { skl_01h455vb4pex5vsknk084sn03r: 2 },
  created_at: "2026-11-02T09:30:00.000Z",
  updated_at: "2026-11-03T14:00:00.000Z",
};

export const OpportunitySchema = z
  .object({
    id: typeIdOut(ID_PREFIX.opportunity).openapi({ description: "The opportunity's id." }),
    object: z.literal("opportunity").openapi({ description: "Always `opportunity`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The delivering organisation." }),
    program_id: typeIdOut(ID_PREFIX.program)
      .nullable()
      .openapi({ description: "The program it is managed under; null for a standalone opportunity." }),
    program_organisation_id: typeIdOut(ID_PREFIX.organisation)
      .nullable()
      .openapi({ description: "The organisation running the program, for a managed opportunity; else null." }),
    name: z.string().max(200).openapi({ description: "The opportunity's name (one line)." }),
    description: z.string().max(5000).openapi({ description: "What the work is; empty when there is none." }),
    short_description: z
      .string()
      .max(50)
      .openapi({ description: "A one-line teaser for the catalog; empty when there is none." }),
    visibility: VisibilitySchema,
    status: OpportunityStatusSchema,
    has_ended: z.boolean().openapi({ description: "`end_date` is before today (UTC); without one it never ends." }),
    start_date: calendarDateOut().openapi({ description: "The first day (YYYY-MM-DD)." }),
    end_date: calendarDateOut().nullable().openapi({ description: "The last day (YYYY-MM-DD); null: it never ends." }),
    total_budget: moneyOutput(
      "What it may spend: a decimal string in `currency`, with its number of decimals; null: no budget.",
    ).nullable(),
    currency: z.string().length(3).nullable().openapi({
      description:
        "ISO 4217 code of `total_budget` and of its payment units (a managed one's is its program's); null: none.",
      example: "EUR",
    }),
    country: z.string().length(2).nullable().openapi({
      description: "ISO 3166-1 alpha-2 code of where the work is (a managed one's is its program's); null: none.",
      example: "DE",
    }),
    delivery_type: z.string().max(100).nullable().openapi({
      description: "A delivery type's slug (a managed one's is its program's); null: none.",
      example: "field-work",
    }),
    role: z.string().max(100).nullable().openapi({ description: "The title of the role; null: none." }),
    work_environment: WorkEnvironmentSchema,
    min_hours_per_week: z
      .number()
      .int()
      .min(0)
      .max(168)
      .openapi({ format: "int32", description: "The fewest hours a week a volunteer gives." }),
    min_experience_years: z
      .number()
      .int()
      .min(0)
      .max(60)
      .nullable()
      .openapi({ format: "int32", description: "Years of experience asked for; null: none asked." }),
    meeting_times: MeetingTimesSchema.nullable(),
    required_skills: skillMatrixOut(MAX_OPPORTUNITY_SKILLS, "Skills required, `{skill_id: level}`, in id order."),
    preferred_skills: skillMatrixOut(MAX_OPPORTUNITY_SKILLS, "Skills preferred, `{skill_id: level}`, in id order."),
    created_at: timestampOut().openapi({ description: "When it was created (ISO 8601, UTC)." }),
    updated_at: timestampOut().openapi({ description: "When it last changed (ISO 8601, UTC)." }),
  })
  .openapi("Opportunity", { example: OPPORTUNITY_EXAMPLE });

/** The example of a one-page list of opportunities. */
export const OPPORTUNITY_LIST_EXAMPLE = {
  object: "list",
  data: [OPPORTUNITY_EXAMPLE],
  has_more: false,
  next_cursor: null,
};

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
  id: typeIdSchema(ID_PREFIX.opportunity).openapi({
    param: { name: "id", in: "path" },
    description: "The opportunity's id (`opp_...`); another prefix is a 400.",
  }),
});
