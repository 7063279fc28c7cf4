import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, deliveryType, insertApplication, insertProgram, type Made, type Tenant } from "../harness";
import { createOpportunity, opportunityBody } from "./helpers";

// The program manager runs a program (EUR, DE, test-delivery, 2026-01-01..2027-12-31); the partner has an
// accepted application to it, the invitee only an invitation, the stranger nothing at all.
let manager: Tenant;
let partner: Tenant;
let invitee: Tenant;
let stranger: Tenant;
let program: Made;

beforeAll(async () => {
  [manager, partner, invitee, stranger] = await Promise.all([
    createTenant("pm"),
    createTenant("partner"),
    createTenant("invitee"),
    createTenant("stranger"),
  ]);
  await deliveryType("other-delivery");
  program = await insertProgram(manager, { budget: "5000.00" });
  await insertApplication(program.uuid, partner, "accepted");
  await insertApplication(program.uuid, invitee, "invited");
});

const create = (tenant: Tenant, extra: Record<string, unknown> = {}, token = tenant.people.owner.token) =>
  createOpportunity(token, opportunityBody(tenant, { program_id: program.id, ...extra }));

describe("creating a managed opportunity", () => {
  it("an organisation with an accepted application creates one: currency, country, delivery type and end come from the program", async () => {
    const reply = await create(partner, { total_budget: "1000" });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({
      organisation_id: partner.id,
      program_id: program.id,
      program_organisation_id: manager.id,
      currency: "EUR",
      country: "DE",
      delivery_type: "test-delivery",
      end_date: "2027-12-31",
      total_budget: "1000.00",
      status: "draft",
    });
  });

  it("the program's own organisation delivers under it too", async () => {
    const reply = await create(manager, { end_date: "2026-06-30" });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({ organisation_id: manager.id, program_organisation_id: manager.id });
  });

  it("the same inherited values may be given; different ones are a 400 on each field", async () => {
    const same = await create(partner, { currency: "EUR", country: "DE", delivery_type: "test-delivery" });
    expect(same.status, same.text).toBe(201);
    const different = await create(partner, { currency: "USD", country: "FR", delivery_type: "other-delivery" });
    expect(different.status).toBe(400);
    expect(Object.keys(different.body.error.fields).sort()).toEqual(["country", "currency", "delivery_type"]);
    expect(different.body.error.fields.currency[0]).toMatch(/EUR/);
  });

  it.each([
    ["start_date", { start_date: "2025-12-31" }],
    ["end_date", { end_date: "2028-01-01" }],
    ["end_date", { end_date: null }],
    ["start_date", { start_date: "2028-02-01", end_date: "2028-03-01" }],
  ])("dates outside the program's are a 400 naming %s", async (field, extra) => {
    const reply = await create(partner, extra);
    expect(reply.status, reply.text).toBe(400);
    expect(Object.keys(reply.body.error.fields)).toContain(field);
  });

  it("a budget with more decimals than the program's currency has is a 400", async () => {
    const reply = await create(partner, { total_budget: "1.005" });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body.error.fields)).toEqual(["total_budget"]);
  });

  it("an organisation that is only invited gets 403 saying its application is not accepted", async () => {
    const reply = await create(invitee);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("permission_denied");
    expect(reply.body.error.message).toMatch(/accepted.*invited/);
  });

  it("an organisation without any application gets 404 for the program (a missing parent is 404, never 403)", async () => {
    const reply = await create(stranger);
    expect(reply.status).toBe(404);
    expect(reply.body.error.message).toMatch(/program/);
    const unknown = await create(partner, { program_id: "prg_01h455vb4pex5vsknk084sn02q" });
    expect(unknown.status).toBe(404);
  });

  it("a manager without global access reaches only the programs in their access list (404 for the rest)", async () => {
    const reply = await create(manager, {}, manager.people.manager.token);
    expect(reply.status).toBe(404);
  });
});
