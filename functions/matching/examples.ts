// The matches the document shows: one volunteer for an opportunity and one opportunity for a volunteer, scored by
// the documented formula.

const EXAMPLE_SKILL = "skl_01h455vb4pex5vsknk084sn02q";
const EXAMPLE_SKILL_2 = "skl_01h455vb4pex5vsknk084sn02r";
const EXAMPLE_SKILL_3 = "skl_01h455vb4pex5vsknk084sn02s";
const EXAMPLE_SKILL_4 = "skl_01h455vb4pex5vsknk084sn02t";

/** The explanation of one example match, its sentences in the voice `they` (to an organisation) or `you`. */
function exampleExplanation(voice: "they" | "you") {
  const you = voice === "you";
  return {
    // 100 × (0.5 × 0.8889 + 0.15 × 1 + 0.1 × 1 + 0.15 × 0.75 + 0.1 × 1) ÷ 1, to one decimal.
    score: 90.7,
    factors: [
      {
        factor: "required_skills" as const,
        score: 0.8889,
        weight: 0.5,
        detail: `${you ? "You hold" : "Holds"} 2 of 3 required skills at the level asked; 1 below it, counted in proportion (SQL at 2 of 3: 0.67).`,
      },
      {
        factor: "preferred_skills" as const,
        score: 1,
        weight: 0.15,
        detail: `${you ? "You hold" : "Holds"} 1 of 1 preferred skill at the level asked.`,
      },
      {
        factor: "practice_area" as const,
        score: 1,
        weight: 0.1,
        detail: `${you ? "Your practice area" : "Practice area"} data_science is among the opportunity's (data_science, engineering).`,
      },
      {
        factor: "availability" as const,
        score: 0.75,
        weight: 0.15,
        detail: `${you ? "You are" : "Is"} free for 90 of its 120 meeting minutes a week.`,
      },
      {
        factor: "hours" as const,
        score: 1,
        weight: 0.1,
        detail: `${you ? "You can give" : "Can give"} up to 12 h a week for a minimum of 5 h (full marks from 10 h).`,
      },
    ],
    matched_skills: [
      { skill: { id: EXAMPLE_SKILL, name: "Python" }, requirement: "required" as const, required_level: 3, level: 4 },
      {
        skill: { id: EXAMPLE_SKILL_3, name: "Statistics" },
        requirement: "required" as const,
        required_level: 2,
        level: 3,
      },
      {
        skill: { id: EXAMPLE_SKILL_4, name: "Data Visualization" },
        requirement: "preferred" as const,
        required_level: 2,
        level: 2,
      },
    ],
    missing_skills: [
      { skill: { id: EXAMPLE_SKILL_2, name: "SQL" }, requirement: "required" as const, required_level: 3, level: 2 },
    ],
  };
}

export const VOLUNTEER_MATCH_EXAMPLE = {
  object: "volunteer_match" as const,
  user_id: "usr_01h455vb4pex5vsknk084sn02q",
  name: "Ada",
  practice_area: "data_science" as const,
  skills: { [EXAMPLE_SKILL]: 4, [EXAMPLE_SKILL_2]: 2, [EXAMPLE_SKILL_3]: 3, [EXAMPLE_SKILL_4]: 2 },
  availability_overlap_minutes: 90,
  ...exampleExplanation("they"),
};

export const VOLUNTEER_MATCH_LIST_EXAMPLE = {
  object: "list",
  data: [VOLUNTEER_MATCH_EXAMPLE],
  has_more: false,
  next_cursor: null,
};

export const OPPORTUNITY_MATCH_EXAMPLE = {
  object: "opportunity_match" as const,
  opportunity: {
    id: "opp_01h455vb4pex5vsknk084sn02q",
    name: "Data clinic mentor",
    organisation_id: "org_01h455vb4pex5vsknk084sn02q",
    short_description: "Evenings, remote",
    work_environment: "remote" as const,
    min_hours_per_week: 5,
  },
  availability_overlap_minutes: 90,
  ...exampleExplanation("you"),
};

export const OPPORTUNITY_MATCH_LIST_EXAMPLE = {
  object: "list",
  data: [OPPORTUNITY_MATCH_EXAMPLE],
  has_more: false,
  next_cursor: null,
};
