// GET /v1/opportunities/{id}/matches on hand-built cases where the right order is obvious.
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, type Tenant } from "../harness";
import {
  factorOf,
  makeOpportunity,
  makeSkill,
  makeVolunteer,
  type Skill,
  slots,
  sumOfFactors,
  type Volunteer,
} from "./helpers";

let tenant: Tenant;
let outsider: Tenant;
let a: Skill;
let b: Skill;
let c: Skill;
let preferred: Skill;
let opportunity: string;
const people: Record<string, Volunteer> = {};

const matches = (query = "", token = tenant.people.owner.token) =>
  call("GET", `/v1/opportunities/${opportunity}/matches${query}`, { token });

beforeAll(async () => {
  [tenant, outsider] = await Promise.all([createTenant("matching"), createTenant("matching-outsider")]);
  [a, b, c, preferred] = await Promise.all([
    makeSkill("Python"),
    makeSkill("SQL"),
    makeSkill("Statistics"),
    makeSkill("dbt"),
  ]);
  opportunity = (
    await makeOpportunity(tenant, {
      required: [
        [a, 3],
        [b, 3],
        [c, 3],
      ],
      preferred: [[preferred, 2]],
    })
  ).id;
  const all: [Skill, number][] = [
    [a, 4],
    [b, 3],
    [c, 5],
    [preferred, 2],
  ];
  const entries = await Promise.all([
    ["perfect", makeVolunteer({ name: "Perfect", skills: all })],
    [
      "belowLevel",
      makeVolunteer({
        name: "Below level",
        skills: [
          [a, 4],
          [b, 3],
          [c, 2],
          [preferred, 2],
        ],
      }),
    ],
    [
      "missingOne",
      makeVolunteer({
        name: "Missing one",
        skills: [
          [a, 4],
          [b, 3],
          [preferred, 2],
        ],
      }),
    ],
    ["hidden", makeVolunteer({ name: "Hidden", skills: all, discoverable: false })],
    ["tooFewHours", makeVolunteer({ name: "Too few hours", skills: all, maxHours: 4 })],
    ["inPersonOnly", makeVolunteer({ name: "In person only", skills: all, environments: ["in_person"] })],
    ["noSkill", makeVolunteer({ name: "No skill of it", skills: [] })],
  ] as const);
  for (const [key, made] of entries) people[key] = await made;
});

describe("volunteers ranked for an opportunity", () => {
  it("puts the perfect match first, then the one below a level, then the one missing a skill", async () => {
    const reply = await matches();
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((m: { name: string }) => m.name)).toEqual(["Perfect", "Below level", "Missing one"]);
    expect(reply.body.data[0].score).toBe(100);
    expect(reply.body.has_more).toBe(false);
  });

  it("a missing required skill lowers the score by its share of the required-skills weight", async () => {
    const [perfect, , missing] = (await matches()).body.data;
    expect(perfect.score - missing.score).toBeCloseTo((100 * 0.5) / 3, 0);
    expect(factorOf(missing, "required_skills").score).toBeCloseTo(2 / 3, 4);
    expect(missing.missing_skills).toEqual([
      { skill: { id: c.id, name: c.name }, requirement: "required", required_level: 3, level: null },
    ]);
  });

  it("a level below the requirement counts in proportion (2 of 3 counts 0.67)", async () => {
    const below = (await matches()).body.data[1];
    expect(factorOf(below, "required_skills").score).toBeCloseTo((1 + 1 + 2 / 3) / 3, 4);
    expect(below.missing_skills).toEqual([
      { skill: { id: c.id, name: c.name }, requirement: "required", required_level: 3, level: 2 },
    ]);
    expect(below.matched_skills.map((s: { skill: { id: string } }) => s.skill.id).sort()).toEqual(
      [a.id, b.id, preferred.id].sort(),
    );
  });

  it("explanations add up to the score, with the default weights", async () => {
    for (const match of (await matches()).body.data) {
      expect(match.factors.map((f: { factor: string }) => f.factor)).toEqual([
        "required_skills",
        "preferred_skills",
        "practice_area",
        "availability",
        "hours",
      ]);
      expect(match.factors.map((f: { weight: number }) => f.weight)).toEqual([0.5, 0.15, 0.1, 0.15, 0.1]);
      expect(Math.abs(sumOfFactors(match.factors) - match.score)).toBeLessThanOrEqual(0.05);
      for (const factor of match.factors) expect(factor.detail.length).toBeGreaterThan(10);
    }
  });

  it("shows name, practice area, the levels of the opportunity's skills only and the overlap, never an email", async () => {
    const reply = await matches();
    const perfect = reply.body.data[0];
    expect(perfect).toMatchObject({
      object: "volunteer_match",
      user_id: people.perfect!.id,
      name: "Perfect",
      practice_area: "engineering",
      skills: { [a.id]: 4, [b.id]: 3, [c.id]: 5, [preferred.id]: 2 },
      availability_overlap_minutes: 120,
    });
    for (const person of Object.values(people)) expect(reply.text).not.toContain(person.email);
    expect(reply.text).not.toContain("@");
  });

  it("leaves out who cannot give the hours, does not work in its environment, or holds no required skill", async () => {
    const ids = (await matches()).body.data.map((m: { user_id: string }) => m.user_id);
    for (const key of ["tooFewHours", "inPersonOnly", "noSkill"]) expect(ids).not.toContain(people[key]!.id);
  });

  it("never shows a volunteer who is not discoverable, even with strict or on later pages", async () => {
    for (const query of ["", "?strict=true", "?limit=1"]) {
      expect((await matches(query)).text).not.toContain(people.hidden!.id);
    }
  });

  it("with strict=true keeps only those holding every required skill at its level", async () => {
    const reply = await matches("?strict=true");
    expect(reply.body.data.map((m: { name: string }) => m.name)).toEqual(["Perfect"]);
  });

  it("pages with a stable cursor: one at a time gives the same order, nothing twice, nothing skipped", async () => {
    const all = (await matches()).body.data.map((m: { user_id: string }) => m.user_id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const reply = await matches(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.data.map((m: { user_id: string }) => m.user_id));
      cursor = reply.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("refuses a cursor of another kind of list", async () => {
    const reply = await matches("?cursor=eyJhZnRlciI6IjAxOGYwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMCJ9");
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("cursor");
  });

  it("counts time zones: Mon 18:00–20:00 London is fully covered by Mon 13:00–15:00 New York", async () => {
    const skill = await makeSkill("Mentoring");
    const london = await makeOpportunity(tenant, {
      required: [[skill, 1]],
      meeting: slots("Europe/London", ["mon", "18:00", "20:00"]),
    });
    const newYork = await makeVolunteer({
      skills: [[skill, 1]],
      availability: slots("America/New_York", ["mon", "13:00", "15:00"]),
    });
    const reply = await call("GET", `/v1/opportunities/${london.id}/matches`, { token: tenant.people.owner.token });
    const match = reply.body.data.find((m: { user_id: string }) => m.user_id === newYork.id);
    expect(match.availability_overlap_minutes).toBe(120);
    expect(factorOf(match, "availability").score).toBe(1);
  });

  it("is for the organisation's members with opportunities:write: a viewer gets 403, another organisation 404", async () => {
    expect((await matches("", tenant.people.viewer.token)).status).toBe(403);
    expect((await matches("", outsider.people.owner.token)).status).toBe(404);
    expect((await matches("", tenant.people.admin.token)).status).toBe(200);
  });
});
