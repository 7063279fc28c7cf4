import { z } from "@hono/zod-openapi";
import { PRACTICE_AREAS, WORK_ENVIRONMENTS } from "../../schema";
import { ID_PREFIX, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { paginationQuery } from "../platform/pagination";
import { OPPORTUNITY_MATCH_EXAMPLE, VOLUNTEER_MATCH_EXAMPLE } from "./examples";
import { type Factor, factorsOf, type SkillHeld } from "./explain";
import type { OpportunityMatchRow } from "./opportunities";
import type { VolunteerMatchRow } from "./volunteers";
import { DEFAULT_MATCHING_WEIGHTS, MATCHING_FACTORS } from "./weights";

export const SCORE_TEXT =
  "`score` is 100 × Σ weight × factor score ÷ Σ weight over the five `factors`, rounded to one decimal (factor " +
  "scores are rounded to four decimals first, so the explanation adds up). The factors: `required_skills`, the " +
  "mean over the required skills of min(level held ÷ level asked, 1), 0 for a skill not held, 1 when none is " +
  "required; `preferred_skills`, the same over the preferred skills; `practice_area`, 1 when the volunteer's " +
  "practice area is one of the practice areas of the opportunity's required skills (of its preferred skills when " +
  "it requires none) and 0 otherwise, 1 when those skills name none; `availability`, the minutes of the weekly " +
  "meeting times the volunteer is available (both in UTC, so time zones are accounted for) ÷ the meeting " +
  "minutes, 1 when the opportunity has no meeting times; `hours`, min(1, the volunteer's max_hours_per_week ÷ " +
  "(2 × the opportunity's min_hours_per_week)), 1 when it asks no minimum. Weights are the organisation's " +
  `(\`matching_weights\`, PATCH /v1/organisations/{id}); the defaults: ${MATCHING_FACTORS.map(
    (f) => `${f} ${DEFAULT_MATCHING_WEIGHTS[f]}`,
  ).join(", ")}. Order: score descending, then id; the cursor keeps that order.`;

export const MatchesQuery = z.object({
  strict: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "`true`: only matches holding every required skill at its level (default `false`)." }),
  ...paginationQuery,
  limit: paginationQuery.limit.openapi({ description: "How many matches a page holds, 1 to 100 (default 20)." }),
});

export const OpportunityMatchParams = z.object({
  id: typeIdSchema(ID_PREFIX.opportunity).openapi({
    param: { name: "id", in: "path" },
    description: "The opportunity's id (`opp_...`); another prefix is a 400.",
  }),
});

const FactorSchema = z
  .object({
    factor: z.enum(MATCHING_FACTORS).openapi({ description: "Which of the five factors this is." }),
    score: z.number().min(0).max(1).openapi({ format: "double", description: "0–1, four decimals." }),
    weight: z.number().min(0).max(1).openapi({
      format: "double",
      description: "The factor's weight (0–1) in the scoring organisation's `matching_weights`.",
    }),
    detail: z.string().max(500).openapi({ description: "Why, in a sentence." }),
  })
  .openapi("MatchFactor", {
    description: "One factor of a match score: how well it is met (`score`), how much it counts (`weight`) and why.",
  });

const SkillMatchSchema = z
  .object({
    skill: z
      .object({
        id: typeIdOut(ID_PREFIX.skill).openapi({ description: "The skill's id (GET /v1/skills/{id})." }),
        name: z.string().max(100).openapi({ description: "The skill's name." }),
      })
      .openapi({ description: "The skill of the opportunity." }),
    requirement: z
      .enum(["required", "preferred"])
      .openapi({ description: "Whether the opportunity requires the skill or prefers it." }),
    required_level: z
      .number()
      .int()
      .min(1)
      .max(5)
      .openapi({ format: "int32", description: "The level (1–5) the opportunity asks for." }),
    level: z
      .number()
      .int()
      .min(1)
      .max(5)
      .nullable()
      .openapi({ format: "int32", description: "The volunteer's level; null when they do not hold it." }),
  })
  .openapi("MatchSkill", {
    description: "One of the opportunity's skills, with the level it asks for and the level the volunteer holds.",
  });

const score = z.number().min(0).max(100).openapi({ format: "double", description: "0–100, one decimal." });
const overlap = z
  .number()
  .int()
  .min(0)
  .max(10080)
  .openapi({ format: "int32", description: "Minutes a week of the meeting times the volunteer is available." });

const explanation = {
  score,
  factors: z.array(FactorSchema).min(MATCHING_FACTORS.length).max(MATCHING_FACTORS.length).openapi({
    description:
      "The five factors, in this order: `required_skills`, `preferred_skills`, `practice_area`, `availability`, `hours`.",
  }),
  matched_skills: z
    .array(SkillMatchSchema)
    .max(60)
    .openapi({ description: "The opportunity's skills held at or above the level asked." }),
  missing_skills: z.array(SkillMatchSchema).max(60).openapi({
    description: "The opportunity's skills not held, or held below the level asked (with the level held).",
  }),
};

export const VolunteerMatchSchema = z
  .object({
    object: z.literal("volunteer_match").openapi({ description: "Always `volunteer_match`." }),
    user_id: typeIdOut(ID_PREFIX.user).openapi({ description: "The volunteer." }),
    name: z.string().max(200).nullable().openapi({ description: "The volunteer's name; null when they have none." }),
    practice_area: z
      .enum(PRACTICE_AREAS)
      .nullable()
      .openapi({ description: "The volunteer's practice area (GET /v1/practice-areas); null when not set." }),
    skills: z
      .record(z.string().max(90), z.number().int().min(1).max(5).openapi({ format: "int32" }))
      .openapi({ description: "The volunteer's levels of the opportunity's skills (only those)." }),
    availability_overlap_minutes: overlap,
    ...explanation,
  })
  .openapi("VolunteerMatch", { example: VOLUNTEER_MATCH_EXAMPLE });

export const OpportunityMatchSchema = z
  .object({
    object: z.literal("opportunity_match").openapi({ description: "Always `opportunity_match`." }),
    opportunity: z
      .object({
        id: typeIdOut(ID_PREFIX.opportunity).openapi({ description: "The opportunity (GET /v1/opportunities/{id})." }),
        name: z.string().max(200).openapi({ description: "Its name." }),
        organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({
          description: "The delivering organisation, whose weights scored it.",
        }),
        short_description: z.string().max(50).openapi({ description: "Its one-line teaser; empty when none." }),
        work_environment: z
          .enum(WORK_ENVIRONMENTS)
          .openapi({ description: "Where the work is done: `remote`, `hybrid` or `in_person`." }),
        min_hours_per_week: z
          .number()
          .int()
          .min(0)
          .max(168)
          .openapi({ format: "int32", description: "The fewest hours a week it asks for." }),
      })
      .openapi({ description: "What the match is: the opportunity, in brief." }),
    availability_overlap_minutes: overlap,
    ...explanation,
  })
  .openapi("OpportunityMatch", { example: OPPORTUNITY_MATCH_EXAMPLE });

function skillMatch(skill: SkillHeld) {
  return {
    skill: { id: toTypeId(ID_PREFIX.skill, skill.skill_id), name: skill.name },
    requirement: skill.required ? ("required" as const) : ("preferred" as const),
    required_level: Number(skill.required_level),
    level: skill.level === null ? null : Number(skill.level),
  };
}

function explanationOf(row: { score: string; skills: SkillHeld[] }, factors: Factor[]) {
  const met = (s: SkillHeld) => s.level !== null && Number(s.level) >= Number(s.required_level);
  return {
    score: Number(row.score),
    factors,
    matched_skills: row.skills.filter(met).map(skillMatch),
    missing_skills: row.skills.filter((s) => !met(s)).map(skillMatch),
  };
}

/** One volunteer for an organisation: name, practice area, levels of the relevant skills, reasons; no email. */
export function presentVolunteerMatch(row: VolunteerMatchRow, minHours: number) {
  const factors = factorsOf(row, "they", { practiceArea: row.practice_area, maxHours: row.max_hours, minHours });
  return {
    object: "volunteer_match" as const,
    user_id: toTypeId(ID_PREFIX.user, row.user_id),
    name: row.name,
    practice_area: row.practice_area as (typeof PRACTICE_AREAS)[number] | null,
    skills: Object.fromEntries(
      row.skills.filter((s) => s.level !== null).map((s) => [toTypeId(ID_PREFIX.skill, s.skill_id), Number(s.level)]),
    ),
    availability_overlap_minutes: row.overlap,
    ...explanationOf(row, factors),
  };
}

/** One opportunity for the volunteer asking, with the reasons. */
export function presentOpportunityMatch(
  row: OpportunityMatchRow,
  me: { practiceArea: string | null; maxHours: number },
) {
  const factors = factorsOf(row, "you", {
    practiceArea: me.practiceArea,
    maxHours: me.maxHours,
    minHours: row.min_hours,
  });
  return {
    object: "opportunity_match" as const,
    opportunity: {
      id: toTypeId(ID_PREFIX.opportunity, row.id),
      name: row.name,
      organisation_id: toTypeId(ID_PREFIX.organisation, row.organisation_id),
      short_description: row.short_description,
      work_environment: row.work_environment as (typeof WORK_ENVIRONMENTS)[number],
      min_hours_per_week: row.min_hours,
    },
    availability_overlap_minutes: row.overlap,
    ...explanationOf(row, factors),
  };
}
