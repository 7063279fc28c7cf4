import { z } from "@hono/zod-openapi";
import { PRACTICE_AREAS, WORK_ENVIRONMENTS } from "../../schema";
import { ID_PREFIX, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { paginationQuery } from "../platform/pagination";
import { type Factor, factorsOf, type SkillHeld } from "./explain";
import type { OpportunityMatchRow } from "./opportunities";
import type { VolunteerMatchRow } from "./volunteers";
import { DEFAULT_MATCHING_WEIGHTS, MATCHING_FACTORS } from "./weights";

const EXAMPLE_SKILL = "skl_01h455vb4pex5vsknk084sn02q";
const EXAMPLE_SKILL_2 = "skl_01h455vb4pex5vsknk084sn02r";

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
    .openapi({ description: "`true`: only matches holding every required skill at its level." }),
  ...paginationQuery,
});

export const OpportunityMatchParams = z.object({
  id: typeIdSchema(ID_PREFIX.opportunity).openapi({ param: { name: "id", in: "path" } }),
});

const FactorSchema = z
  .object({
    factor: z.enum(MATCHING_FACTORS),
    score: z.number().min(0).max(1).openapi({ format: "double", description: "0–1, four decimals." }),
    weight: z.number().min(0).max(1).openapi({ format: "double" }),
    detail: z.string().max(500).openapi({ description: "Why, in a sentence." }),
  })
  .openapi("MatchFactor");

const SkillMatchSchema = z
  .object({
    skill: z.object({ id: typeIdOut(ID_PREFIX.skill), name: z.string().max(100) }),
    requirement: z.enum(["required", "preferred"]),
    required_level: z.number().int().min(1).max(5).openapi({ format: "int32" }),
    level: z
      .number()
      .int()
      .min(1)
      .max(5)
      .nullable()
      .openapi({ format: "int32", description: "The volunteer's level; null when they do not hold it." }),
  })
  .openapi("MatchSkill");

const score = z.number().min(0).max(100).openapi({ format: "double", description: "0–100, one decimal." });
const overlap = z
  .number()
  .int()
  .min(0)
  .max(10080)
  .openapi({ format: "int32", description: "Minutes a week of the meeting times the volunteer is available." });

const explanation = {
  score,
  factors: z.array(FactorSchema).min(MATCHING_FACTORS.length).max(MATCHING_FACTORS.length),
  matched_skills: z
    .array(SkillMatchSchema)
    .max(60)
    .openapi({ description: "The opportunity's skills held at or above the level asked." }),
  missing_skills: z.array(SkillMatchSchema).max(60).openapi({
    description: "The opportunity's skills not held, or held below the level asked (with the level held).",
  }),
};

const EXAMPLE_EXPLANATION = {
  score: 86.7,
  factors: [
    {
      factor: "required_skills",
      score: 0.8889,
      weight: 0.5,
      detail:
        "Holds 2 of 3 required skills at the level asked; 1 below it, counted in proportion (SQL at 2 of 3: 0.67).",
    },
    { factor: "preferred_skills", score: 1, weight: 0.15, detail: "Holds 1 of 1 preferred skill at the level asked." },
    {
      factor: "practice_area",
      score: 1,
      weight: 0.1,
      detail: "Practice area data_science is among the opportunity's (data_science).",
    },
    { factor: "availability", score: 0.75, weight: 0.15, detail: "Is free for 90 of its 120 meeting minutes a week." },
    {
      factor: "hours",
      score: 1,
      weight: 0.1,
      detail: "Can give up to 12 h a week for a minimum of 5 h (full marks from 10 h).",
    },
  ],
  matched_skills: [
    { skill: { id: EXAMPLE_SKILL, name: "Python" }, requirement: "required", required_level: 3, level: 4 },
  ],
  missing_skills: [
    { skill: { id: EXAMPLE_SKILL_2, name: "SQL" }, requirement: "required", required_level: 3, level: 2 },
  ],
};

export const VolunteerMatchSchema = z
  .object({
    object: z.literal("volunteer_match"),
    user_id: typeIdOut(ID_PREFIX.user),
    name: z.string().max(200).nullable(),
    practice_area: z.enum(PRACTICE_AREAS).nullable(),
    skills: z
      .record(z.string().max(90), z.number().int().min(1).max(5).openapi({ format: "int32" }))
      .openapi({ description: "The volunteer's levels of the opportunity's skills (only those)." }),
    availability_overlap_minutes: overlap,
    ...explanation,
  })
  .openapi("VolunteerMatch", {
    example: {
      object: "volunteer_match",
      user_id: "usr_01h455vb4pex5vsknk084sn02q",
      name: "Ada",
      practice_area: "data_science",
      skills: { [EXAMPLE_SKILL]: 4, [EXAMPLE_SKILL_2]: 2 },
      availability_overlap_minutes: 90,
      ...EXAMPLE_EXPLANATION,
    },
  });

export const OpportunityMatchSchema = z
  .object({
    object: z.literal("opportunity_match"),
    opportunity: z.object({
      id: typeIdOut(ID_PREFIX.opportunity),
      name: z.string().max(200),
      organisation_id: typeIdOut(ID_PREFIX.organisation),
      short_description: z.string().max(50),
      work_environment: z.enum(WORK_ENVIRONMENTS),
      min_hours_per_week: z.number().int().min(0).max(168).openapi({ format: "int32" }),
    }),
    availability_overlap_minutes: overlap,
    ...explanation,
  })
  .openapi("OpportunityMatch", {
    example: {
      object: "opportunity_match",
      opportunity: {
        id: "opp_01h455vb4pex5vsknk084sn02q",
        name: "Data clinic mentor",
        organisation_id: "org_01h455vb4pex5vsknk084sn02q",
        short_description: "Evenings, remote",
        work_environment: "remote",
        min_hours_per_week: 5,
      },
      availability_overlap_minutes: 90,
      ...EXAMPLE_EXPLANATION,
      factors: EXAMPLE_EXPLANATION.factors.map((f) => ({
        ...f,
        detail: f.detail.replace(/^(Holds|Is|Can)/, "You $1"),
      })),
    },
  });

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
