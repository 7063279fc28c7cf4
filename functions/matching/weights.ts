import { z } from "@hono/zod-openapi";

/** The factors of a match score, in the order the explanations list them. */
export const MATCHING_FACTORS = [
  "required_skills",
  "preferred_skills",
  "practice_area",
  "availability",
  "hours",
] as const;
export type MatchingFactor = (typeof MATCHING_FACTORS)[number];
export type MatchingWeights = Record<MatchingFactor, number>;

/** What an organisation's matches use until it sets its own (`matching_weights` on PATCH /v1/organisations/{id}). */
export const DEFAULT_MATCHING_WEIGHTS: MatchingWeights = {
  required_skills: 0.5,
  preferred_skills: 0.15,
  practice_area: 0.1,
  availability: 0.15,
  hours: 0.1,
};

/** What each factor measures, as the weights' fields describe it. */
const FACTOR_TEXT: Record<MatchingFactor, string> = {
  required_skills: "how well the volunteer holds the opportunity's required skills",
  preferred_skills: "how well the volunteer holds the opportunity's preferred skills",
  practice_area: "whether the volunteer's practice area is among those of the opportunity's skills",
  availability: "how much of the opportunity's weekly meeting times the volunteer is free for",
  hours: "whether the volunteer can give the hours a week the opportunity asks",
};

const DEFAULTS_TEXT = MATCHING_FACTORS.map((factor) => `\`${factor}\` ${DEFAULT_MATCHING_WEIGHTS[factor]}`).join(", ");

/** The organisation's stored overrides (only the factors it set), or null: the defaults. */
export type StoredWeights = Partial<MatchingWeights> | null;

/** The weights in effect: the organisation's overrides over the defaults. */
export function effectiveWeights(stored: StoredWeights | Record<string, number> | undefined): MatchingWeights {
  const weights = { ...DEFAULT_MATCHING_WEIGHTS };
  for (const factor of MATCHING_FACTORS) {
    const value = stored?.[factor];
    if (typeof value === "number") weights[factor] = value;
  }
  return weights;
}

const weight = z
  .number()
  .min(0, "must be at least 0")
  .max(1, "must be at most 1")
  .refine((value) => Math.abs(Math.round(value * 10_000) - value * 10_000) < 1e-6, "must have at most 4 decimals")
  .openapi({ format: "double", minimum: 0, maximum: 1, example: 0.2 });

/**
 * The `matching_weights` of PATCH /v1/organisations/{id}: a factor's weight (0–1), `null` to give one factor its
 * default back, or `null` for the whole field to drop every override. Factors left out keep their weight.
 */
export const MatchingWeightsPatch = z
  .strictObject(
    Object.fromEntries(
      MATCHING_FACTORS.map((factor) => [
        factor,
        weight
          .nullable()
          .optional()
          .openapi({
            description:
              `The weight of ${FACTOR_TEXT[factor]}: 0–1, at most 4 decimals; null: back to the default ` +
              `(${DEFAULT_MATCHING_WEIGHTS[factor]}); left out: unchanged.`,
          }),
      ]),
    ) as {
      [K in MatchingFactor]: z.ZodOptional<z.ZodNullable<typeof weight>>;
    },
  )
  .nullable()
  .openapi("MatchingWeightsPatch", {
    description:
      "How much each factor counts in this organisation's match scores (GET /v1/opportunities/{id}/matches, and " +
      "its opportunities in GET /v1/users/me/matches), each 0–1, at most 4 decimals. A factor given `null` " +
      "goes back to its default; factors left out keep theirs; `null` for the whole object resets them all. " +
      `The defaults: ${DEFAULTS_TEXT}. At least one weight must stay above 0.`,
    example: { availability: 0.3, hours: null },
  });
export type MatchingWeightsPatch = z.infer<typeof MatchingWeightsPatch>;

/** The overrides after a patch (null when none is left), or a problem for `matching_weights`. */
export function patchWeights(
  stored: StoredWeights,
  patch: MatchingWeightsPatch,
): { stored: StoredWeights } | { problem: string } {
  const next: Partial<MatchingWeights> = patch === null ? {} : { ...(stored ?? {}) };
  for (const factor of MATCHING_FACTORS) {
    const value = patch?.[factor];
    if (value === null) delete next[factor];
    else if (value !== undefined) next[factor] = value;
  }
  const total = MATCHING_FACTORS.reduce((sum, factor) => sum + effectiveWeights(next)[factor], 0);
  if (total <= 0) return { problem: "at least one weight must be above 0" };
  return { stored: Object.keys(next).length === 0 ? null : next };
}

/** The weights in effect, as responses show them. */
export const MatchingWeightsSchema = z
  .object(
    Object.fromEntries(
      MATCHING_FACTORS.map((factor) => [
        factor,
        z
          .number()
          .min(0)
          .max(1)
          .openapi({
            format: "double",
            description: `The weight (0–1) of ${FACTOR_TEXT[factor]} (default ${DEFAULT_MATCHING_WEIGHTS[factor]}).`,
          }),
      ]),
    ) as {
      [K in MatchingFactor]: z.ZodNumber;
    },
  )
  .openapi("MatchingWeights", {
    description: `The weight of each factor in the organisation's match scores (defaults: ${DEFAULTS_TEXT}).`,
    example: { ...DEFAULT_MATCHING_WEIGHTS },
  });
