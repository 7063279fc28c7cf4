// The reasons of a match: each factor's score, weight and a sentence, and the skills met and missing.
import { MATCHING_FACTORS, type MatchingFactor } from "./weights";

/** An opportunity skill as a volunteer holds it (level null when not held); levels arrive as JSON numbers. */
export interface SkillHeld {
  skill_id: string;
  name: string;
  required: boolean;
  required_level: number;
  level: number | null;
}

/** What a ranked row carries for its explanation (numeric columns arrive as strings). */
export interface Explained {
  r: string;
  p: string;
  a: string | number;
  v: string;
  h: string;
  wr: string;
  wp: string;
  wa: string;
  wv: string;
  wh: string;
  score: string;
  n_req: number;
  n_pref: number;
  areas: string[];
  skills: SkillHeld[];
  overlap: number;
  meeting_total: number;
}

/** Who the sentences speak of: the volunteer to an organisation, or the volunteer to themselves. */
export type Voice = "they" | "you";

export interface Factor {
  factor: MatchingFactor;
  score: number;
  weight: number;
  detail: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function skillsDetail(voice: Voice, kind: "required" | "preferred", skills: SkillHeld[]): string {
  if (skills.length === 0) return `The opportunity ${kind === "required" ? "requires" : "prefers"} no skills.`;
  const full = skills.filter((s) => s.level !== null && s.level >= s.required_level).length;
  const below = skills.filter((s) => s.level !== null && s.level < s.required_level);
  const missing = skills.filter((s) => s.level === null).length;
  const parts = [
    `${voice === "you" ? "You hold" : "Holds"} ${full} of ${plural(skills.length, `${kind} skill`)} at the level asked`,
  ];
  if (below.length > 0) {
    const example = below[0] as SkillHeld;
    const share = ((example.level ?? 0) / example.required_level).toFixed(2);
    parts.push(
      `${below.length} below it, counted in proportion (${example.name} at ${example.level} of ${example.required_level}: ${share})`,
    );
  }
  if (missing > 0) parts.push(`${missing} not at all`);
  return `${parts.join("; ")}.`;
}

function areaDetail(voice: Voice, practiceArea: string | null, areas: string[], score: number): string {
  if (areas.length === 0) return "The opportunity's skills name no practice area.";
  const theirs = `the opportunity's (${areas.join(", ")})`;
  if (practiceArea === null) return `${voice === "you" ? "You have" : "Has"} no practice area set; ${theirs}.`;
  const own = voice === "you" ? `Your practice area ${practiceArea}` : `Practice area ${practiceArea}`;
  return score === 1 ? `${own} is among ${theirs}.` : `${own} is not among ${theirs}.`;
}

function availabilityDetail(voice: Voice, overlap: number, meeting: number): string {
  if (meeting === 0) return "The opportunity has no meeting times.";
  return `${voice === "you" ? "You are" : "Is"} free for ${overlap} of its ${meeting} meeting minutes a week.`;
}

function hoursDetail(voice: Voice, max: number, min: number): string {
  if (min <= 0) return "The opportunity asks no minimum of hours.";
  return `${voice === "you" ? "You can give" : "Can give"} up to ${max} h a week for a minimum of ${min} h (full marks from ${2 * min} h).`;
}

/** The five factors, in the documented order; 100 × Σ weight × score ÷ Σ weight is the score (one decimal). */
export function factorsOf(
  row: Explained,
  voice: Voice,
  who: { practiceArea: string | null; maxHours: number; minHours: number },
) {
  const required = row.skills.filter((s) => s.required);
  const preferred = row.skills.filter((s) => !s.required);
  const scores: Record<MatchingFactor, number> = {
    required_skills: Number(row.r),
    preferred_skills: Number(row.p),
    practice_area: Number(row.a),
    availability: Number(row.v),
    hours: Number(row.h),
  };
  const weights: Record<MatchingFactor, number> = {
    required_skills: Number(row.wr),
    preferred_skills: Number(row.wp),
    practice_area: Number(row.wa),
    availability: Number(row.wv),
    hours: Number(row.wh),
  };
  const details: Record<MatchingFactor, string> = {
    required_skills: skillsDetail(voice, "required", required),
    preferred_skills: skillsDetail(voice, "preferred", preferred),
    practice_area: areaDetail(voice, who.practiceArea, row.areas, scores.practice_area),
    availability: availabilityDetail(voice, row.overlap, row.meeting_total),
    hours: hoursDetail(voice, who.maxHours, who.minHours),
  };
  return MATCHING_FACTORS.map(
    (factor): Factor => ({ factor, score: scores[factor], weight: weights[factor], detail: details[factor] }),
  );
}
