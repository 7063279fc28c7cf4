import { validationError } from "../platform/errors";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { integerParam } from "../platform/params";
import { displayText } from "../platform/text";
import { PracticeAreaIdSchema } from "../skills/schemas";
import { OpportunityStatusSchema, VisibilitySchema, WorkEnvironmentSchema } from "./schemas";

/** The opportunity list's filters: GET /v1/opportunities and its export take the same ones. */
export const opportunityFilters = {
  program_id: typeIdSchema(ID_PREFIX.program)
    .optional()
    .openapi({ description: "Only the opportunities managed under this program." }),
  status: OpportunityStatusSchema.optional().openapi({
    param: { description: "Only opportunities in this status (the public catalog holds `open` ones only)." },
  }),
  work_environment: WorkEnvironmentSchema.optional().openapi({
    param: { description: "Only opportunities done in this environment (`remote`, `hybrid`, `in_person`)." },
  }),
  max_hours: integerParam({ min: 0, max: 168 })
    .optional()
    .openapi({ description: "Only opportunities asking at most this many hours a week." }),
  visibility: VisibilitySchema.optional().openapi({
    param: { description: "Only opportunities of this visibility (the public catalog holds `public` ones only)." },
  }),
  q: displayText({ min: 1, max: 200 }).optional().openapi({ description: "Full-text search, ranked." }),
  skill_id: typeIdSchema(ID_PREFIX.skill)
    .optional()
    .openapi({ description: "Only opportunities that require this skill (preferring it is not enough)." }),
  min_level: integerParam({ min: 1, max: 5 })
    .optional()
    .openapi({ description: "With `skill_id`: only where the skill is required at this level or above (1)." }),
  practice_area: PracticeAreaIdSchema.optional().openapi({
    param: { description: "Only opportunities with a required skill in this practice area." },
  }),
};

/** `min_level` is the level of one skill: without `skill_id` it means nothing, and is a 400 rather than ignored. */
export function assertLevelNamesSkill(filters: { min_level?: number; skill_id?: string }): void {
  if (filters.min_level !== undefined && filters.skill_id === undefined) {
    throw validationError({ min_level: ["needs skill_id: the level is the one that skill is required at"] });
  }
}
