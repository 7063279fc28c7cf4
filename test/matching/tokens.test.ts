// The match tokens candidates are found by are the database's own business: whatever writes profiles,
// opportunities or their skills, the matches follow at once.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { opportunities, opportunitySkills, profileSkills, skills, volunteerProfiles } from "../../schema";
import { call, createTenant, type Tenant, withDb } from "../harness";
import { makeOpportunity, makeSkill, makeVolunteer, type Skill } from "./helpers";

let tenant: Tenant;
let skill: Skill;
let other: Skill;

const volunteersOf = async (opportunity: string) =>
  (await call("GET", `/v1/opportunities/${opportunity}/matches`, { token: tenant.people.owner.token })).body.data.map(
    (m: { user_id: string }) => m.user_id,
  );
const opportunitiesOf = async (token: string) =>
  (await call("GET", "/v1/users/me/matches", { token })).body.data.map(
    (m: { opportunity: { id: string } }) => m.opportunity.id,
  );

beforeAll(async () => {
  tenant = await createTenant("tokens");
  [skill, other] = await Promise.all([makeSkill("Terraform"), makeSkill("Ansible", ["devops"])]);
});

describe("match tokens kept by the database", () => {
  it("a skill added to a profile makes it a candidate; removed, it is one no more", async () => {
    const opportunity = await makeOpportunity(tenant, { required: [[skill, 2]] });
    const volunteer = await makeVolunteer({ skills: [[other, 3]] });
    expect(await volunteersOf(opportunity.id)).not.toContain(volunteer.id);
    await withDb((db) => db.insert(profileSkills).values({ userId: volunteer.uuid, skillId: skill.uuid, level: 2 }));
    expect(await volunteersOf(opportunity.id)).toContain(volunteer.id);
    await withDb((db) =>
      db
        .delete(profileSkills)
        .where(and(eq(profileSkills.userId, volunteer.uuid), eq(profileSkills.skillId, skill.uuid))),
    );
    expect(await volunteersOf(opportunity.id)).not.toContain(volunteer.id);
  });

  it("a profile that changes its environments, hours or discoverability follows at once", async () => {
    const opportunity = await makeOpportunity(tenant, { required: [[skill, 1]] });
    const volunteer = await makeVolunteer({ skills: [[skill, 1]] });
    const set = (values: Partial<typeof volunteerProfiles.$inferInsert>) =>
      withDb((db) => db.update(volunteerProfiles).set(values).where(eq(volunteerProfiles.userId, volunteer.uuid)));
    expect(await volunteersOf(opportunity.id)).toContain(volunteer.id);
    await set({ workEnvironments: ["hybrid"] });
    expect(await volunteersOf(opportunity.id)).not.toContain(volunteer.id);
    await set({ workEnvironments: ["hybrid", "remote"], maxHoursPerWeek: 2 });
    expect(await volunteersOf(opportunity.id)).not.toContain(volunteer.id);
    await set({ maxHoursPerWeek: 40 });
    expect(await volunteersOf(opportunity.id)).toContain(volunteer.id);
    await set({ discoverable: false });
    expect(await volunteersOf(opportunity.id)).not.toContain(volunteer.id);
  });

  it("an opportunity that gains, loses or changes a skill, or closes, follows at once on the volunteer's side", async () => {
    const volunteer = await makeVolunteer({ skills: [[other, 3]] });
    const opportunity = await makeOpportunity(tenant, { required: [[skill, 1]] });
    expect(await opportunitiesOf(volunteer.token)).not.toContain(opportunity.id);
    await withDb((db) =>
      db
        .insert(opportunitySkills)
        .values({ opportunityId: opportunity.uuid, skillId: other.uuid, level: 2, requirement: "preferred" }),
    );
    expect(await opportunitiesOf(volunteer.token)).toContain(opportunity.id);
    await withDb((db) =>
      db
        .update(opportunitySkills)
        .set({ requirement: "required" })
        .where(and(eq(opportunitySkills.opportunityId, opportunity.uuid), eq(opportunitySkills.skillId, other.uuid))),
    );
    const [match] = (await call("GET", "/v1/users/me/matches", { token: volunteer.token })).body.data.filter(
      (m: { opportunity: { id: string } }) => m.opportunity.id === opportunity.id,
    );
    expect(match.factors[0].score).toBe(0.5);
    await withDb((db) =>
      db.update(opportunities).set({ status: "closed" }).where(eq(opportunities.id, opportunity.uuid)),
    );
    expect(await opportunitiesOf(volunteer.token)).not.toContain(opportunity.id);
  });

  it("a skill whose practice areas change moves the opportunities requiring it", async () => {
    const moving = await makeSkill("Kubernetes", ["devops"]);
    const volunteer = await makeVolunteer({ skills: [[moving, 3]], practiceArea: "engineering" });
    const opportunity = await makeOpportunity(tenant, { required: [[moving, 3]] });
    const area = async () =>
      (await call("GET", "/v1/users/me/matches", { token: volunteer.token })).body.data
        .find((m: { opportunity: { id: string } }) => m.opportunity.id === opportunity.id)
        .factors.find((f: { factor: string }) => f.factor === "practice_area").score;
    expect(await area()).toBe(0);
    await withDb((db) =>
      db
        .update(skills)
        .set({ practiceAreas: ["engineering"] })
        .where(eq(skills.id, moving.uuid)),
    );
    expect(await area()).toBe(1);
  });
});
