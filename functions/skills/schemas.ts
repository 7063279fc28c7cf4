import { z } from "@hono/zod-openapi";
import { PRACTICE_AREAS, type PracticeArea, type Skill } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { displayText } from "../platform/text";
import { PRACTICE_AREA_CATALOG } from "./practice-areas";

export const PracticeAreaIdSchema = z.enum(PRACTICE_AREAS).openapi("PracticeAreaId", {
  description: "One of the five communities of practice (GET /v1/practice-areas).",
  example: "data_science",
});

export const PracticeAreaSchema = z
  .object({
    id: PracticeAreaIdSchema,
    object: z.literal("practice_area").openapi({ description: "Always `practice_area`." }),
    name: z.string().max(100).openapi({ description: "The area's display name." }),
    job_titles: z
      .array(z.string().max(100))
      .max(50)
      .openapi({ description: "The roles people in this area usually hold." }),
  })
  .openapi("PracticeArea", { example: { ...PRACTICE_AREA_CATALOG[0], object: "practice_area" } });

/** Built once per isolate, so its ETag is too (platform/caching.ts). */
export const PRACTICE_AREA_LIST = {
  object: "list" as const,
  data: PRACTICE_AREA_CATALOG.map((area) => ({
    id: area.id,
    object: "practice_area" as const,
    name: area.name,
    job_titles: [...area.job_titles],
  })),
  has_more: false as const,
  next_cursor: null,
};

export const PracticeAreaListSchema = z
  .object({
    object: z.literal("list").openapi({ description: "Always `list`." }),
    data: z
      .array(PracticeAreaSchema)
      .min(PRACTICE_AREAS.length)
      .max(PRACTICE_AREAS.length)
      .openapi({ description: "All five practice areas, in the catalog's fixed order." }),
    has_more: z.literal(false).openapi({ description: "Always `false`: the list is never paginated." }),
    next_cursor: z.null().openapi({ description: "Always null: the list is never paginated." }),
  })
  .openapi("PracticeAreaList", { example: PRACTICE_AREA_LIST });

/** The practice areas are fixed: they change only with a deploy. */
export const PRACTICE_AREAS_MAX_AGE = 3600;
/** Skill reads may be cached this long (the ETag makes revalidation cheap after an edit). */
export const SKILLS_MAX_AGE = 300;

export const skillName = () =>
  displayText({ min: 1, max: 50 }).openapi({
    description: "1 to 50 characters on one line, HTML stripped; unique in the catalog, case-insensitively (409).",
  });
export const skillDescription = () =>
  displayText({ max: 500, multiline: true }).openapi({
    description: "What the skill covers: up to 500 characters; line breaks are kept, HTML is stripped.",
  });

/** 1–5 distinct practice areas; stored and shown in the catalog's order. */
export const practiceAreasInput = () =>
  z
    .array(PracticeAreaIdSchema)
    .min(1, "must name at least one practice area")
    .max(PRACTICE_AREAS.length, `must name at most ${PRACTICE_AREAS.length} practice areas`)
    .refine((areas) => new Set(areas).size === areas.length, "must not name a practice area twice")
    .transform((areas) => PRACTICE_AREAS.filter((area) => areas.includes(area)))
    .openapi({ description: "The practice areas the skill belongs to: 1–5 of the five, each once." });

const example = {
  id: "skl_01h455vb4pex5vsknk084sn02q",
  object: "skill" as const,
  name: "Python",
  description: "A general-purpose language: scripting, data analysis, web back ends.",
  practice_areas: ["data_science", "engineering"],
  retired: false,
  retired_at: null,
  created_at: "2026-01-31T12:00:00.000Z",
  updated_at: "2026-01-31T12:00:00.000Z",
};

export const SkillSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.skill).openapi({ description: "The skill's id: what skill matrices use as key." }),
    object: z.literal("skill").openapi({ description: "Always `skill`." }),
    name: z.string().max(50).openapi({ description: "Unique in the catalog, case-insensitively." }),
    description: z.string().max(500).openapi({ description: "Empty when there is none." }),
    practice_areas: z
      .array(PracticeAreaIdSchema)
      .min(1)
      .max(PRACTICE_AREAS.length)
      .openapi({ description: "The practice areas it belongs to (1–5), in the catalog's order." }),
    retired: z.boolean().openapi({
      description: "A retired skill stays in the matrices that hold it, but no new matrix may add it.",
    }),
    retired_at: timestampOut().nullable().openapi({ description: "When it was retired; null while it is not." }),
    created_at: timestampOut().openapi({ description: "When it was added to the catalog (ISO 8601, UTC)." }),
    updated_at: timestampOut().openapi({ description: "When it last changed (ISO 8601, UTC)." }),
  })
  .openapi("Skill", { example });

/** The example of a page of the catalog (GET /v1/skills). */
export const SKILL_LIST_EXAMPLE = {
  object: "list",
  data: [example],
  has_more: true,
  next_cursor: "eyJhZnRlciI6IjAxODkwYTVkLWFjOTYtNzc0Yi1iY2NlLWIzMDIwOTlhODA1NyJ9",
};

export type PresentedSkill = z.infer<typeof SkillSchema>;

export const SkillIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.skill).openapi({
    param: { name: "id", in: "path" },
    description: "The skill's id (`skl_...`); another prefix is a 400.",
  }),
});

export function presentSkill(row: Skill): PresentedSkill {
  return {
    id: toTypeId(ID_PREFIX.skill, row.id),
    object: "skill",
    name: row.name,
    description: row.description,
    // In the catalog's order, whatever order the array was stored in.
    practice_areas: PRACTICE_AREAS.filter((area) => row.practiceAreas.includes(area)) as PracticeArea[],
    retired: row.retiredAt !== null,
    retired_at: row.retiredAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** A skill matrix as responses show it: `{skill_id: level}`, in skill id order. */
export function skillMatrixOut(max: number, description: string) {
  return z.record(z.string().max(90), z.number().int().min(1).max(5)).openapi({
    type: "object",
    description,
    additionalProperties: { type: "integer", format: "int32", minimum: 1, maximum: 5 },
    maxProperties: max,
    example: { skl_01h455vb4pex5vsknk084sn02q: 4 },
  });
}
