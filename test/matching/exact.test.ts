// The tiered search reads only the candidates that could make the page: here it is held to the ranking a plain
// scorer gives over everyone. Generated volunteers and opportunities (seeded, so a failure replays), scored in
// this file from the documented formula with exact fractions, and compared with every page of both match lists
// at a small page size — all pages, so the thresholds of every tier and of the cursor are exercised.
import { beforeAll, describe, expect, it } from "vitest";
import type { PracticeArea, WeeklySchedule, WorkEnvironment } from "../../schema";
import { call, createTenant, type Tenant } from "../harness";
import { makeOpportunity, makeSkill, makeVolunteer, type Skill, slots, type Volunteer } from "./helpers";

const AREAS: PracticeArea[] = ["data_science", "engineering", "devops", "project_management", "ui_ux"];
const ENVIRONMENTS: WorkEnvironment[] = ["remote", "hybrid", "in_person"];
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const PAGE = 2;

/** mulberry32: small, seeded, good enough to spread cases. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[], n: number): T[] => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  };
  return { next, int, pick };
}

type Rng = ReturnType<typeof random>;
/** Whole-hour slots in UTC on distinct days, so minutes are easy to count here. */
interface Slot {
  day: number;
  start: number;
  end: number;
}

const minutesOf = (list: Slot[]) => list.map((s) => [s.day * 1440 + s.start * 60, s.day * 1440 + s.end * 60]);
const scheduleOf = (list: Slot[]): WeeklySchedule =>
  slots(
    "UTC",
    ...list.map((s): [(typeof DAYS)[number], string, string] => [
      DAYS[s.day]!,
      `${String(s.start).padStart(2, "0")}:00`,
      `${String(s.end).padStart(2, "0")}:00`,
    ]),
  );

function randomSlots(rng: Rng, chance: number): Slot[] {
  return DAYS.flatMap((_, day) => {
    if (rng.next() >= chance) return [];
    const start = rng.int(8, 19);
    return [{ day, start, end: start + rng.int(1, 3) }];
  });
}

interface PlannedVolunteer {
  skills: [number, number][];
  area: PracticeArea | null;
  maxHours: number;
  environments: WorkEnvironment[];
  free: Slot[];
  discoverable: boolean;
}

interface PlannedOpportunity {
  required: [number, number][];
  preferred: [number, number][];
  minHours: number;
  environment: WorkEnvironment;
  meeting: Slot[];
}

/** An exact fraction, rounded half up to `digits` decimals, as a number. */
function round(numerator: number, denominator: number, digits: number): number {
  const unit = 10 ** digits;
  return Math.floor((2 * numerator * unit + denominator) / (2 * denominator)) / unit;
}

const WEIGHTS = { r: 50, p: 15, a: 10, v: 15, h: 10 }; // the defaults, in hundredths

interface Expected {
  index: number;
  score: number;
}

/** The documented score of a volunteer for an opportunity, or null when a hard filter leaves them out. */
function scoreOf(
  v: PlannedVolunteer,
  o: PlannedOpportunity,
  skillAreas: PracticeArea[][],
  strict: boolean,
  side: "volunteers" | "opportunities",
): number | null {
  const level = (skill: number) => v.skills.find(([s]) => s === skill)?.[1] ?? 0;
  const held = [...o.required, ...o.preferred].filter(([s]) => level(s) > 0).length;
  if (side === "volunteers" ? o.required.length > 0 && !o.required.some(([s]) => level(s) > 0) : held === 0) {
    return null;
  }
  if (v.maxHours < o.minHours || !v.environments.includes(o.environment)) return null;
  if (strict && o.required.some(([s, l]) => level(s) < l)) return null;
  // Σ min(held, asked) / asked over the list, ÷ its length: a fraction over 60 × length (60 = lcm(1..5)).
  const coverage = (list: [number, number][]) =>
    list.length === 0
      ? 1
      : round(
          list.reduce((sum, [s, l]) => sum + Math.min(level(s), l) * (60 / l), 0),
          60 * list.length,
          4,
        );
  const named = (o.required.length > 0 ? o.required : o.preferred).flatMap(([s]) => skillAreas[s]!);
  const a = named.length === 0 || (v.area !== null && named.includes(v.area)) ? 1 : 0;
  const meeting = minutesOf(o.meeting);
  const total = meeting.reduce((sum, [from, to]) => sum + to! - from!, 0);
  const overlap = meeting.reduce(
    (sum, [from, to]) =>
      sum +
      minutesOf(v.free).reduce((inner, [f, t]) => inner + Math.max(0, Math.min(to!, t!) - Math.max(from!, f!)), 0),
    0,
  );
  const factors = {
    r: coverage(o.required),
    p: coverage(o.preferred),
    a,
    v: total === 0 ? 1 : round(overlap, total, 4),
    h: o.minHours <= 0 ? 1 : round(Math.min(v.maxHours, 2 * o.minHours), 2 * o.minHours, 4),
  };
  // Σ weight (hundredths) × factor (ten-thousandths) is 10^6 × Σ weight × factor; the weights add up to 1, so the
  // score is that sum ÷ 10^4, to one decimal.
  const sum = (Object.keys(WEIGHTS) as (keyof typeof WEIGHTS)[]).reduce(
    (acc, key) => acc + WEIGHTS[key] * Math.round(factors[key] * 10_000),
    0,
  );
  return round(sum, 10_000, 1);
}

/** Every page of a match list, PAGE at a time: each page's threshold prunes the tiers afresh. */
async function allPages(path: string, token: string): Promise<{ id: string; score: number }[]> {
  const rows: { id: string; score: number }[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const separator = path.includes("?") ? "&" : "?";
    const reply: { status: number; body: any } = await call(
      "GET",
      `${path}${separator}limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`,
      { token },
    );
    expect(reply.status).toBe(200);
    for (const m of reply.body.data) rows.push({ id: m.user_id ?? m.opportunity.id, score: m.score });
    cursor = reply.body.next_cursor;
    if (!cursor) return rows;
  }
  throw new Error(`${path}: more than 100 pages`);
}

function ranking(expected: Expected[], ids: { id: string; uuid: string }[]) {
  return expected
    .sort((x, y) => y.score - x.score || (ids[x.index]!.uuid < ids[y.index]!.uuid ? -1 : 1))
    .map((e) => ({ id: ids[e.index]!.id, score: e.score }));
}

describe.each([11, 47])("matching agrees with scoring everyone (seed %i)", (seed) => {
  const rng = random(seed);
  let tenant: Tenant;
  let skills: Skill[];
  const skillAreas: PracticeArea[][] = [];
  const plannedVolunteers: PlannedVolunteer[] = [];
  const plannedOpportunities: PlannedOpportunity[] = [];
  let volunteers: Volunteer[];
  let opportunities: { id: string; uuid: string }[];

  beforeAll(async () => {
    tenant = await createTenant(`exact-${seed}`);
    for (let i = 0; i < 5; i++) skillAreas.push(rng.pick(AREAS, rng.int(1, 2)));
    const indexes = skillAreas.map((_, i) => i);
    // Skills no opportunity asks for: the first volunteer holds them too, past MAX_SUBSET_SKILLS, so their side
    // is searched through the position tokens.
    const spare = Array.from({ length: 8 }, (_, i) => indexes.length + i);
    for (const i of spare) skillAreas.push([AREAS[i % AREAS.length]!]);
    skills = await Promise.all(skillAreas.map((areas, i) => makeSkill(`Exact ${seed}-${i}`, areas)));
    for (let i = 0; i < 30; i++) {
      // The first three can do anything: every opportunity ranks them near the top, and on their side the first
      // tier alone fills pages with high scores, so the later tiers' groups are chosen by tight guards.
      const star = i < 3;
      plannedVolunteers.push({
        skills: star
          ? [...indexes, ...(i === 0 ? spare : [])].map((s) => [s, 5])
          : rng.pick(indexes, rng.int(2, 5)).map((s) => [s, rng.int(1, 5)]),
        area: rng.next() < 0.15 ? null : rng.pick(AREAS, 1)[0]!,
        maxHours: star ? 40 : rng.int(1, 20),
        environments: star ? ENVIRONMENTS : rng.pick(ENVIRONMENTS, rng.int(1, 3)),
        free: star ? DAYS.map((_, day) => ({ day, start: 8, end: 23 })) : randomSlots(rng, 0.5),
        discoverable: rng.next() < 0.9,
      });
    }
    for (let i = 0; i < 24; i++) {
      const chosen = rng.pick(indexes, rng.int(1, 5));
      const required = i === 0 ? 0 : Math.min(chosen.length, rng.int(1, 3));
      plannedOpportunities.push({
        required: chosen.slice(0, required).map((s) => [s, rng.int(1, 5)]),
        preferred: chosen.slice(required, required + rng.int(0, 2)).map((s) => [s, rng.int(1, 5)]),
        minHours: rng.int(0, 8),
        environment: rng.pick(ENVIRONMENTS, 1)[0]!,
        meeting: i === 1 ? [] : randomSlots(rng, 0.35),
      });
    }
    // The first opportunity requires nothing (preferred skills only), so it is left out of the volunteers side:
    // there, every discoverable volunteer in the database would be a candidate.
    if (plannedOpportunities[0]!.preferred.length === 0) plannedOpportunities[0]!.preferred.push([0, 2]);
    volunteers = await Promise.all(
      plannedVolunteers.map((v) =>
        makeVolunteer({
          skills: v.skills.map(([s, l]) => [skills[s]!, l]),
          practiceArea: v.area,
          maxHours: v.maxHours,
          environments: v.environments,
          availability: scheduleOf(v.free),
          discoverable: v.discoverable,
        }),
      ),
    );
    opportunities = await Promise.all(
      plannedOpportunities.map((o) =>
        makeOpportunity(tenant, {
          required: o.required.map(([s, l]) => [skills[s]!, l]),
          preferred: o.preferred.map(([s, l]) => [skills[s]!, l]),
          minHoursPerWeek: o.minHours,
          workEnvironment: o.environment,
          meeting: o.meeting.length === 0 ? null : scheduleOf(o.meeting),
        }),
      ),
    );
  });

  it.each([false, true])("volunteers for each opportunity, page by page (strict=%s)", async (strict) => {
    // Each list walked on its own, all at once.
    const walks = plannedOpportunities.map(async (opportunity, index) => {
      if (opportunity.required.length === 0) return;
      const expected = plannedVolunteers.flatMap((v, i) => {
        const score = v.discoverable ? scoreOf(v, opportunity, skillAreas, strict, "volunteers") : null;
        return score === null ? [] : [{ index: i, score }];
      });
      const got = await allPages(
        `/v1/opportunities/${opportunities[index]!.id}/matches?strict=${strict}`,
        tenant.people.owner.token,
      );
      expect(got, `opportunity ${index}`).toEqual(ranking(expected, volunteers));
    });
    await Promise.all(walks);
  });

  it.each([false, true])("opportunities for each volunteer, page by page (strict=%s)", async (strict) => {
    const walks = plannedVolunteers.map(async (volunteer, index) => {
      const expected = plannedOpportunities.flatMap((o, i) => {
        const score = scoreOf(volunteer, o, skillAreas, strict, "opportunities");
        return score === null ? [] : [{ index: i, score }];
      });
      const got = await allPages(`/v1/users/me/matches?strict=${strict}`, volunteers[index]!.token);
      expect(got, `volunteer ${index}`).toEqual(ranking(expected, opportunities));
    });
    await Promise.all(walks);
  });
});
