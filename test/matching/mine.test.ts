// GET /v1/users/me/matches: open, public opportunities ranked for the volunteer asking.
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, personToken, type Tenant, uniqueSuffix } from "../harness";
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
let other: Tenant;
let mine: Skill;
let second: Skill;
let notMine: Skill;
let me: Volunteer;
const opportunities: Record<string, string> = {};

const myMatches = (query = "", token = me.token) => call("GET", `/v1/users/me/matches${query}`, { token });
const names = (reply: { body: { data: { opportunity: { name: string } }[] } }) =>
  reply.body.data.map((m) => m.opportunity.name);

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant("mine"), createTenant("mine-other")]);
  [mine, second, notMine] = await Promise.all([makeSkill("React"), makeSkill("CSS"), makeSkill("Kotlin")]);
  me = await makeVolunteer({
    skills: [
      [mine, 4],
      [second, 2],
    ],
    discoverable: false,
  });
  const made = await Promise.all([
    ["all mine", makeOpportunity(tenant, { name: "all mine", required: [[mine, 3]], preferred: [[second, 2]] })],
    [
      "one below",
      makeOpportunity(other, {
        name: "one below",
        required: [
          [mine, 3],
          [second, 4],
        ],
      }),
    ],
    [
      "half mine",
      makeOpportunity(tenant, {
        name: "half mine",
        required: [
          [mine, 3],
          [notMine, 3],
        ],
      }),
    ],
    [
      "preferred only",
      makeOpportunity(tenant, {
        name: "preferred only",
        preferred: [[second, 1]],
        meeting: slots("UTC", ["tue", "18:00", "20:00"]),
      }),
    ],
    ["closed", makeOpportunity(tenant, { name: "closed", status: "closed", required: [[mine, 1]] })],
    [
      "members only",
      makeOpportunity(tenant, { name: "members only", visibility: "organisation", required: [[mine, 1]] }),
    ],
    ["in person", makeOpportunity(tenant, { name: "in person", workEnvironment: "in_person", required: [[mine, 1]] })],
    ["too many hours", makeOpportunity(tenant, { name: "too many hours", minHoursPerWeek: 20, required: [[mine, 1]] })],
    ["not my skills", makeOpportunity(tenant, { name: "not my skills", required: [[notMine, 1]] })],
  ] as const);
  for (const [name, opportunity] of made) opportunities[name] = (await opportunity).id;
});

describe("opportunities ranked for me", () => {
  it("ranks the open, public ones needing my skills: all mine first, then one below a level, then half mine", async () => {
    const reply = await myMatches();
    expect(reply.status).toBe(200);
    expect(names(reply)).toEqual(["all mine", "one below", "preferred only", "half mine"]);
    expect(reply.body.data[0].score).toBe(100);
    expect(reply.body.data[0].opportunity).toEqual({
      id: opportunities["all mine"],
      name: "all mine",
      organisation_id: tenant.id,
      short_description: "",
      work_environment: "remote",
      min_hours_per_week: 5,
    });
  });

  it("leaves out closed, members-only, other environments, too many hours and opportunities without my skills", async () => {
    const listed = names(await myMatches());
    for (const name of ["closed", "members only", "in person", "too many hours", "not my skills"]) {
      expect(listed).not.toContain(name);
    }
  });

  it("explains each: the factors add up to the score, skills met and missing with my level", async () => {
    const reply = await myMatches();
    for (const match of reply.body.data) {
      expect(Math.abs(sumOfFactors(match.factors) - match.score)).toBeLessThanOrEqual(0.05);
    }
    const half = reply.body.data.find((m: { opportunity: { name: string } }) => m.opportunity.name === "half mine");
    expect(factorOf(half, "required_skills").score).toBe(0.5);
    expect(factorOf(half, "required_skills").detail).toMatch(/^You hold 1 of 2 required skills/);
    expect(half.missing_skills).toEqual([
      { skill: { id: notMine.id, name: notMine.name }, requirement: "required", required_level: 3, level: null },
    ]);
    const below = reply.body.data.find((m: { opportunity: { name: string } }) => m.opportunity.name === "one below");
    expect(factorOf(below, "required_skills").score).toBeCloseTo((1 + 2 / 4) / 2, 4);
    expect(factorOf(below, "preferred_skills").score).toBe(1);
  });

  it("with strict=true keeps only those whose every required skill I hold at its level", async () => {
    expect(names(await myMatches("?strict=true"))).toEqual(["all mine", "preferred only"]);
  });

  it("pages with a stable cursor", async () => {
    const all = names(await myMatches());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const reply = await myMatches(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...names(reply));
      cursor = reply.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("scores each opportunity with its own organisation's weights", async () => {
    const patched = await call("PATCH", `/v1/organisations/${other.id}`, {
      token: other.people.owner.token,
      body: {
        matching_weights: { required_skills: 0, preferred_skills: 0, practice_area: 0, hours: 0, availability: 1 },
      },
    });
    expect(patched.status).toBe(200);
    const reply = await myMatches();
    const below = reply.body.data.find((m: { opportunity: { name: string } }) => m.opportunity.name === "one below");
    expect(below.score).toBe(100);
    expect(factorOf(below, "availability").weight).toBe(1);
    expect(names(reply).slice(0, 2).sort()).toEqual(["all mine", "one below"]);
  });

  it("counts time zones from my side too", async () => {
    const skill = await makeSkill("Writing");
    const volunteer = await makeVolunteer({
      skills: [[skill, 1]],
      availability: slots("America/New_York", ["mon", "13:00", "15:00"]),
    });
    await makeOpportunity(tenant, {
      required: [[skill, 1]],
      meeting: slots("Europe/London", ["mon", "18:00", "20:00"]),
    });
    const [match] = (await myMatches("", volunteer.token)).body.data;
    expect(match.availability_overlap_minutes).toBe(120);
    expect(factorOf(match, "availability").score).toBe(1);
  });

  it("is a 409 for a person without a volunteer profile, and a 403 for a service account", async () => {
    const stranger = await personToken({ email: `no-profile-${uniqueSuffix()}@matching.test` });
    const none = await myMatches("", stranger);
    expect(none.status).toBe(409);
    expect(none.body.error.message).toContain("PATCH /v1/users/me");
    expect((await myMatches("", tenant.serviceAccount.token)).status).toBe(403);
    expect((await call("GET", "/v1/users/me/matches")).status).toBe(401);
  });
});
