// Changing a program: what its opportunities hold it to (budget, dates, inherited fields), and what a PATCH
// that changes nothing writes.

import { beforeAll, describe, expect, it } from "vitest";
import {
  auditCount,
  call,
  createTenant,
  deliveryType,
  insertOpportunity,
  makeProgramManager,
  type Tenant,
} from "../harness";
import { createProgram, programUuid } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("program-updates");
  await makeProgramManager(tenant);
});

const patch = (id: string, body: Record<string, unknown>, token = tenant.people.owner.token) =>
  call("PATCH", `/v1/programs/${id}`, { token, body });

/** A program (EUR, 2026) with a managed opportunity holding `totalBudget` from `startDate` to `endDate`. */
async function programWithOpportunity(opportunity: {
  totalBudget?: string;
  startDate?: string;
  endDate?: string | null;
}) {
  const created = await createProgram(tenant, { budget: "1000.00" });
  const made = await insertOpportunity(tenant, {
    programId: programUuid(created.body.id),
    currency: "EUR",
    country: "DE",
    totalBudget: opportunity.totalBudget ?? "400.00",
    startDate: opportunity.startDate ?? "2026-03-01",
    endDate: opportunity.endDate === undefined ? "2026-06-30" : opportunity.endDate,
  });
  return { program: created.body, opportunity: made };
}

describe("PATCH a program", () => {
  it("renames, describes and moves a program without opportunities, auditing the change", async () => {
    const created = await createProgram(tenant);
    const before = await auditCount(tenant.uuid, "program.updated");
    const changed = await patch(created.body.id, {
      name: "Renamed",
      description: "Now with\nlines",
      currency: "JPY",
      budget: "5000",
      country: "JP",
      start_date: "2026-02-01",
      end_date: "2027-01-31",
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({
      name: "Renamed",
      description: "Now with\nlines",
      currency: "JPY",
      budget: "5000",
      allocated: "0",
      country: "JP",
      start_date: "2026-02-01",
      end_date: "2027-01-31",
    });
    expect(await auditCount(tenant.uuid, "program.updated")).toBe(before + 1);
  });

  it("a PATCH that changes nothing writes nothing: same updated_at, no audit event", async () => {
    const created = await createProgram(tenant);
    const before = await auditCount(tenant.uuid, "program.updated");
    const same = await patch(created.body.id, { name: created.body.name, budget: "10000", currency: "EUR" });
    expect(same.status, same.text).toBe(200);
    expect(same.body.updated_at).toBe(created.body.updated_at);
    expect(await auditCount(tenant.uuid, "program.updated")).toBe(before);
  });

  it("dates: the end must stay after the start (400 naming the field sent)", async () => {
    const created = await createProgram(tenant);
    const early = await patch(created.body.id, { end_date: "2025-06-01" });
    expect(early.status).toBe(400);
    expect(Object.keys(early.body.error.fields)).toEqual(["end_date"]);
    const late = await patch(created.body.id, { start_date: "2027-01-01" });
    expect(late.status).toBe(400);
    expect(Object.keys(late.body.error.fields)).toEqual(["start_date"]);
    expect((await patch(created.body.id, { start_date: "2026-02-31" })).status).toBe(400);
  });

  it("a currency whose minor units the budget does not fit is a 400 (on currency when the budget stays)", async () => {
    const created = await createProgram(tenant, { budget: "10.50" });
    const refused = await patch(created.body.id, { currency: "JPY" });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.fields)).toEqual(["currency"]);
    const withBudget = await patch(created.body.id, { currency: "JPY", budget: "10.5" });
    expect(Object.keys(withBudget.body.error.fields)).toEqual(["budget"]);
    expect((await patch(created.body.id, { currency: "JPY", budget: "11" })).status).toBe(200);
  });

  it("server-owned fields and unknown ones are a 400", async () => {
    const created = await createProgram(tenant);
    for (const body of [{ organisation_id: tenant.id }, { allocated: "5.00" }, { id: created.body.id }]) {
      expect((await patch(created.body.id, body)).status).toBe(400);
    }
  });
});

describe("what its opportunities hold a program to", () => {
  it("allocated is the sum of its opportunities' total_budget", async () => {
    const { program } = await programWithOpportunity({ totalBudget: "400.25" });
    await insertOpportunity(tenant, { programId: programUuid(program.id), totalBudget: "99.75" });
    await insertOpportunity(tenant, { programId: programUuid(program.id), totalBudget: null });
    const read = await call("GET", `/v1/programs/${program.id}`, { token: tenant.people.owner.token });
    expect(read.body.allocated).toBe("500.00");
  });

  it("a budget below what its opportunities hold is 409 saying how much; exactly that much is fine", async () => {
    const { program } = await programWithOpportunity({ totalBudget: "400.00" });
    const refused = await patch(program.id, { budget: "399.99" });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "conflict", field: "budget", allocated: "400.00" });
    expect(refused.body.error.message).toContain("400.00 EUR");
    const exact = await patch(program.id, { budget: "400" });
    expect(exact.status, exact.text).toBe(200);
    expect(exact.body).toMatchObject({ budget: "400.00", allocated: "400.00" });
  });

  it.each([
    ["currency", "USD"],
    ["country", "FR"],
    ["delivery_type", "other-delivery"],
  ])("%s is fixed once the program has an opportunity (409 naming it)", async (field, value) => {
    const { program, opportunity } = await programWithOpportunity({});
    await deliveryType("other-delivery");
    const refused = await patch(program.id, { [field]: value });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ field, opportunity_id: opportunity.id });
    // The same value is no change, so it passes.
    const same = await patch(program.id, { [field]: program[field] });
    expect(same.status, same.text).toBe(200);
  });

  it("dates that no longer contain an opportunity's are 409 naming it; dates that still do are fine", async () => {
    const { program, opportunity } = await programWithOpportunity({ startDate: "2026-03-01", endDate: "2026-06-30" });
    const lateStart = await patch(program.id, { start_date: "2026-03-02" });
    expect(lateStart.status).toBe(409);
    expect(lateStart.body.error).toMatchObject({ field: "start_date", opportunity_id: opportunity.id });
    const earlyEnd = await patch(program.id, { end_date: "2026-06-29" });
    expect(earlyEnd.status).toBe(409);
    expect(earlyEnd.body.error).toMatchObject({ field: "end_date", opportunity_id: opportunity.id });
    const tight = await patch(program.id, { start_date: "2026-03-01", end_date: "2026-06-30" });
    expect(tight.status, tight.text).toBe(200);
  });

  it("an opportunity without an end date runs to the program's end: the end may move later, not earlier", async () => {
    const { program } = await programWithOpportunity({ endDate: null });
    const earlier = await patch(program.id, { end_date: "2026-12-30" });
    expect(earlier.status, earlier.text).toBe(409);
    expect(earlier.body.error.message).toMatch(/program's end/);
    expect((await patch(program.id, { end_date: "2027-03-31" })).status).toBe(200);
  });

  it("a refused PATCH changes nothing", async () => {
    const { program } = await programWithOpportunity({ totalBudget: "400.00" });
    const before = await auditCount(tenant.uuid, "program.updated");
    expect((await patch(program.id, { name: "Changed too", budget: "1.00" })).status).toBe(409);
    const read = await call("GET", `/v1/programs/${program.id}`, { token: tenant.people.owner.token });
    expect(read.body).toEqual({ ...program, allocated: "400.00" });
    expect(await auditCount(tenant.uuid, "program.updated")).toBe(before);
  });
});
