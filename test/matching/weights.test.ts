// An organisation's matching weights: PATCH /v1/organisations/{id} {matching_weights}, and what they change.
import { beforeAll, describe, expect, it } from "vitest";
import { auditTrail, call, createTenant, type Tenant } from "../harness";
import { makeOpportunity, makeSkill, makeVolunteer, type Skill, slots, sumOfFactors } from "./helpers";

let tenant: Tenant;
let opportunity: string;
let a: Skill;
let b: Skill;
let c: Skill;

const DEFAULTS = { required_skills: 0.5, preferred_skills: 0.15, practice_area: 0.1, availability: 0.15, hours: 0.1 };
const patch = (body: unknown, token = tenant.people.owner.token) =>
  call("PATCH", `/v1/organisations/${tenant.id}`, { token, body });
const ranked = async () =>
  (await call("GET", `/v1/opportunities/${opportunity}/matches`, { token: tenant.people.owner.token })).body.data as {
    name: string;
    score: number;
    factors: { factor: string; score: number; weight: number; detail: string }[];
  }[];

beforeAll(async () => {
  tenant = await createTenant("weights");
  [a, b, c] = await Promise.all([makeSkill("Go"), makeSkill("SQL"), makeSkill("Docker")]);
  opportunity = (
    await makeOpportunity(tenant, {
      required: [
        [a, 3],
        [b, 3],
        [c, 3],
      ],
    })
  ).id;
  await Promise.all([
    // Every skill, but never free when it meets.
    makeVolunteer({
      name: "Skilled",
      skills: [
        [a, 3],
        [b, 3],
        [c, 3],
      ],
      availability: slots("UTC", ["tue", "09:00", "11:00"]),
    }),
    // One skill short, but free for every meeting minute.
    makeVolunteer({
      name: "Available",
      skills: [
        [a, 3],
        [b, 3],
      ],
    }),
  ]);
});

describe("matching weights of an organisation", () => {
  it("shows the defaults until the organisation sets its own", async () => {
    const reply = await call("GET", `/v1/organisations/${tenant.id}`, { token: tenant.people.viewer.token });
    expect(reply.body.matching_weights).toEqual(DEFAULTS);
    expect((await ranked()).map((m) => m.name)).toEqual(["Skilled", "Available"]);
  });

  it("a weights override changes the order, and the explanations still add up", async () => {
    const reply = await patch({ matching_weights: { availability: 1, required_skills: 0.1 } });
    expect(reply.status).toBe(200);
    expect(reply.body.matching_weights).toEqual({ ...DEFAULTS, availability: 1, required_skills: 0.1 });
    const matches = await ranked();
    expect(matches.map((m) => m.name)).toEqual(["Available", "Skilled"]);
    for (const match of matches) {
      expect(match.factors.find((f) => f.factor === "availability")!.weight).toBe(1);
      expect(Math.abs(sumOfFactors(match.factors) - match.score)).toBeLessThanOrEqual(0.05);
    }
  });

  it("keeps factors left out, gives one factor its default back with null, and resets them all with null", async () => {
    expect((await patch({ matching_weights: { hours: 0.3 } })).body.matching_weights).toEqual({
      ...DEFAULTS,
      availability: 1,
      required_skills: 0.1,
      hours: 0.3,
    });
    expect((await patch({ matching_weights: { availability: null } })).body.matching_weights).toEqual({
      ...DEFAULTS,
      required_skills: 0.1,
      hours: 0.3,
    });
    expect((await patch({ matching_weights: null })).body.matching_weights).toEqual(DEFAULTS);
    expect((await ranked()).map((m) => m.name)).toEqual(["Skilled", "Available"]);
  });

  it("audits each change as organisation.updated, with the weights before and after", async () => {
    await patch({ matching_weights: { practice_area: 0.4 } });
    const events = (await auditTrail(tenant.uuid)).filter((e) => e.action === "organisation.updated");
    const last = events.at(-1)!;
    expect(last.changes).toEqual({ matching_weights: { old: DEFAULTS, new: { ...DEFAULTS, practice_area: 0.4 } } });
    const count = events.length;
    await patch({ matching_weights: { practice_area: 0.4 } });
    expect((await auditTrail(tenant.uuid)).filter((e) => e.action === "organisation.updated")).toHaveLength(count);
  });

  it("refuses a weight outside 0–1, with too many decimals, an unknown factor, or no weight above 0", async () => {
    const bad = [
      { matching_weights: { hours: 1.5 } },
      { matching_weights: { hours: -0.1 } },
      { matching_weights: { hours: 0.123456 } },
      { matching_weights: { luck: 0.5 } },
      { matching_weights: { hours: "0.5" } },
      { matching_weights: { required_skills: 0, preferred_skills: 0, practice_area: 0, availability: 0, hours: 0 } },
    ];
    for (const body of bad) {
      const reply = await patch(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(reply.body.error.fields).join(" "), JSON.stringify(body)).toMatch(/matching_weights/);
    }
    const reply = await call("GET", `/v1/organisations/${tenant.id}`, { token: tenant.people.owner.token });
    expect(reply.body.matching_weights).toEqual({ ...DEFAULTS, practice_area: 0.4 });
  });

  it("needs organisations:write: a viewer gets 403", async () => {
    const reply = await patch({ matching_weights: { hours: 0.2 } }, tenant.people.viewer.token);
    expect(reply.status).toBe(403);
  });
});
