import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { programGrants } from "../../schema";
import {
  addPerson,
  auditTrail,
  call,
  createTenant,
  insertApplication,
  insertOpportunity,
  insertProgram,
  type Made,
  type Person,
  type Tenant,
  withDb,
} from "../harness";
import { createOpportunity, getOpportunity, idsOf, opportunityBody, patchOpportunity } from "./helpers";

// The program manager runs two programs; the partner delivers a managed opportunity under each (accepted
// applications) and a standalone one. A manager of each organisation has no global access.
let pm: Tenant;
let partner: Tenant;
let granted: Made;
let ungranted: Made;
let underGranted: Made;
let underUngranted: Made;
let standalone: Made;
let pmManager: Person;

const managedValues = (program: Made) => ({
  status: "draft" as const,
  programId: program.uuid,
  currency: "EUR",
  country: "DE",
  endDate: "2027-12-31",
});

beforeAll(async () => {
  [pm, partner] = await Promise.all([createTenant("side-pm"), createTenant("side-partner")]);
  [granted, ungranted] = await Promise.all([insertProgram(pm), insertProgram(pm)]);
  await insertApplication(granted.uuid, partner, "accepted");
  await insertApplication(ungranted.uuid, partner, "accepted");
  underGranted = await insertOpportunity(partner, managedValues(granted));
  underUngranted = await insertOpportunity(partner, managedValues(ungranted));
  standalone = await insertOpportunity(pm, { status: "draft", visibility: "organisation" });
  pmManager = await addPerson(pm, "manager", "granted-manager");
  await withDb((db) =>
    db.insert(programGrants).values({
      organisationId: pm.uuid,
      programId: granted.uuid,
      membershipId: parseTypeId(ID_PREFIX.membership, pmManager.memberId)!,
    }),
  );
});

const listAs = (tenant: Tenant, token: string, query = "") =>
  call("GET", `/v1/opportunities?organisation_id=${tenant.id}&limit=100${query}`, { token });

describe("the program's side of a managed opportunity", () => {
  it("the program's organisation lists the opportunities under its programs, and reads them in any status", async () => {
    const list = await listAs(pm, pm.people.admin.token);
    expect(idsOf(list)).toEqual(expect.arrayContaining([underGranted.id, underUngranted.id, standalone.id]));
    const filtered = await listAs(pm, pm.people.admin.token, `&program_id=${granted.id}`);
    expect(idsOf(filtered)).toEqual([underGranted.id]);
    const one = await getOpportunity(underGranted.id, pm.people.admin.token);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ organisation_id: partner.id, program_organisation_id: pm.id, status: "draft" });
  });

  it("the program's organisation (programs:write) manages it; the event lands in its own trail", async () => {
    const before = (await auditTrail(partner.uuid)).length;
    const reply = await patchOpportunity(pm.people.admin.token, underGranted.id, {
      short_description: "Set by the PM",
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.short_description).toBe("Set by the PM");
    const events = (await auditTrail(pm.uuid)).filter((e) => e.resourceId === underGranted.uuid);
    expect(events.map((e) => e.action)).toEqual(["opportunity.updated"]);
    expect((await auditTrail(partner.uuid)).length).toBe(before);
    // Seeing every program is not changing them: global access without programs:write is a 403.
    const role = await call("POST", "/v1/roles", {
      token: pm.people.owner.token,
      body: { organisation_id: pm.id, name: "Auditor", permissions: ["audit:read"], global_access: true },
    });
    const auditor = await addPerson(pm, role.body.id, "auditor");
    expect((await getOpportunity(underGranted.id, auditor.token)).status).toBe(200);
    const refused = await patchOpportunity(auditor.token, underGranted.id, { name: "No" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/programs:write/);
  });

  it("the program's organisation cannot create under the partner's name, nor see the partner's standalone ones", async () => {
    const created = await createOpportunity(
      pm.people.owner.token,
      opportunityBody(partner, { program_id: granted.id }),
    );
    expect(created.status).toBe(404);
    const theirs = await insertOpportunity(partner, { status: "draft" });
    expect((await getOpportunity(theirs.id, pm.people.owner.token)).status).toBe(404);
    expect(idsOf(await listAs(pm, pm.people.owner.token))).not.toContain(theirs.id);
  });
});

describe("an access list limits a member without global access", () => {
  it("a manager sees the managed opportunities under the programs in their list only; standalone ones always", async () => {
    const list = idsOf(await listAs(pm, pmManager.token));
    expect(list).toContain(underGranted.id);
    expect(list).toContain(standalone.id);
    expect(list).not.toContain(underUngranted.id);
    expect((await getOpportunity(underGranted.id, pmManager.token)).status).toBe(200);
    expect((await getOpportunity(underUngranted.id, pmManager.token)).status).toBe(404);
    expect((await getOpportunity(standalone.id, pmManager.token)).status).toBe(200);
  });

  it("outside the list it is 404 on changes too (before any permission check); inside it the manager manages", async () => {
    const outside = await patchOpportunity(pmManager.token, underUngranted.id, { name: "No" });
    expect(outside.status).toBe(404);
    expect((await call("DELETE", `/v1/opportunities/${underUngranted.id}`, { token: pmManager.token })).status).toBe(
      404,
    );
    const inside = await patchOpportunity(pmManager.token, underGranted.id, { role: "Coordinator" });
    expect(inside.status, inside.text).toBe(200);
  });

  it("a manager creates under a program in their list, and gets 404 for one outside it", async () => {
    const inside = await createOpportunity(pmManager.token, opportunityBody(pm, { program_id: granted.id }));
    expect(inside.status, inside.text).toBe(201);
    const outside = await createOpportunity(pmManager.token, opportunityBody(pm, { program_id: ungranted.id }));
    expect(outside.status).toBe(404);
  });

  it("the partner's manager without global access sees its standalone opportunities, not the managed ones", async () => {
    const list = idsOf(await listAs(partner, partner.people.manager.token));
    expect(list).not.toContain(underGranted.id);
    expect((await getOpportunity(underGranted.id, partner.people.manager.token)).status).toBe(404);
    expect(idsOf(await listAs(partner, partner.people.owner.token))).toContain(underGranted.id);
  });
});
