import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createTenant,
  insertApplication,
  insertOpportunity,
  insertProgram,
  type Made,
  type Tenant,
} from "../harness";
import { patchMe } from "../users/helpers";
import { expressInterest, listInterests, type Volunteer, volunteer } from "./helpers";

// The tenant delivers an opportunity three volunteers are interested in; a program manager's organisation runs
// the program of a managed one.
let tenant: Tenant;
let outsider: Tenant;
let pm: Tenant;
let opportunity: Made;
let managed: Made;
let volunteers: Volunteer[];

beforeAll(async () => {
  [tenant, outsider, pm] = await Promise.all([
    createTenant("interests"),
    createTenant("interests-out"),
    createTenant("interests-pm"),
  ]);
  opportunity = await insertOpportunity(tenant);
  const program = await insertProgram(pm);
  await insertApplication(program.uuid, tenant, "accepted");
  managed = await insertOpportunity(tenant, { programId: program.uuid, currency: "EUR", country: "DE" });
  volunteers = [];
  for (const label of ["ada", "bo", "cy"]) {
    const made = await volunteer(label, `Name ${label}`);
    const reply = await expressInterest(opportunity.id, made.token, { message: `from ${label}` });
    if (reply.status !== 201) throw new Error(reply.text);
    volunteers.push(made);
  }
  await expressInterest(managed.id, volunteers[0]!.token);
});

describe("GET /v1/opportunities/{id}/interests", () => {
  it("the delivering organisation's members with opportunities:write see who, with their email, oldest first", async () => {
    const reply = await listInterests(opportunity.id, tenant.people.manager.token);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.data.map((i: { email: string }) => i.email)).toEqual(volunteers.map((v) => v.email));
    expect(reply.body.data[0]).toMatchObject({
      object: "opportunity_interest",
      opportunity_id: opportunity.id,
      user_id: volunteers[0]!.userId,
      name: "Name ada",
      practice_area: "engineering",
      message: "from ada",
    });
  });

  it("pages with a stable cursor", async () => {
    const first = await listInterests(opportunity.id, tenant.people.owner.token, "?limit=2");
    expect(first.body.data).toHaveLength(2);
    expect(first.body.has_more).toBe(true);
    const rest = await listInterests(
      opportunity.id,
      tenant.people.owner.token,
      `?limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(rest.body.data.map((i: { user_id: string }) => i.user_id)).toEqual([volunteers[2]!.userId]);
    expect(rest.body.has_more).toBe(false);
  });

  it("shows the volunteer's current name and practice area", async () => {
    const [, bo] = volunteers;
    await patchMe(bo!.token, { name: "Bo Renamed", practice_area: "ui_ux" });
    const reply = await listInterests(opportunity.id, tenant.people.admin.token);
    expect(reply.body.data[1]).toMatchObject({ name: "Bo Renamed", practice_area: "ui_ux", email: bo!.email });
  });

  it("refuses a viewer and a member (403), another organisation and the volunteer (404), the program's side (403)", async () => {
    for (const role of ["viewer", "member"] as const) {
      const reply = await listInterests(opportunity.id, tenant.people[role].token);
      expect(reply.status, role).toBe(403);
    }
    expect((await listInterests(opportunity.id, outsider.people.owner.token)).status).toBe(404);
    expect((await listInterests(opportunity.id, volunteers[0]!.token)).status).toBe(404);
    const programSide = await listInterests(managed.id, pm.people.owner.token);
    expect(programSide.status, programSide.text).toBe(403);
    expect(programSide.body.error.message).toContain("delivers");
    expect(programSide.text).not.toContain(volunteers[0]!.email);
    expect((await listInterests(managed.id, tenant.people.owner.token)).body.data).toHaveLength(1);
  });

  it("the email shows nowhere else the organisation looks: the opportunity, its workers, the audit feed, the user", async () => {
    const token = tenant.people.owner.token;
    const [ada] = volunteers;
    const elsewhere = [
      await call("GET", `/v1/opportunities/${opportunity.id}`, { token }),
      await call("GET", `/v1/opportunities/${opportunity.id}/workers`, { token }),
      await call("GET", `/v1/audit-events?organisation_id=${tenant.id}&limit=100`, { token }),
      await call("GET", `/v1/users/${ada!.userId}`, { token }),
      await call("GET", `/v1/members?organisation_id=${tenant.id}&limit=100`, { token }),
    ];
    expect(elsewhere.map((reply) => reply.status)).toEqual([200, 200, 200, 404, 200]);
    const events = elsewhere[2]!.body.data.filter(
      (e: { action: string }) => e.action === "opportunity_interest.expressed",
    );
    expect(events.length, "the feed does show that they expressed interest").toBeGreaterThanOrEqual(3);
    for (const reply of elsewhere) expect(reply.text).not.toContain(ada!.email);
  });
});
