import { beforeAll, describe, expect, it } from "vitest";
import type { OpportunityStatus } from "../../schema";
import {
  auditTrail,
  createTenant,
  insertOpportunity,
  insertPaymentUnit,
  insertProgram,
  type Made,
  type Tenant,
} from "../harness";
import { opportunityUuid, patchOpportunity } from "./helpers";

let tenant: Tenant;
let program: Made;

beforeAll(async () => {
  tenant = await createTenant("opp-status");
  program = await insertProgram(tenant);
});

const standalone = (status: OpportunityStatus, extra: Parameters<typeof insertOpportunity>[1] = {}) =>
  insertOpportunity(tenant, { status, ...extra });
const managed = (status: OpportunityStatus = "draft") =>
  insertOpportunity(tenant, {
    status,
    programId: program.uuid,
    currency: "EUR",
    country: "DE",
    endDate: "2027-12-31",
  });
// The manager has no global access: standalone opportunities are theirs to run, managed ones only by grant.
const move = (id: string, status: OpportunityStatus, extra: Record<string, unknown> = {}, token?: string) =>
  patchOpportunity(token ?? tenant.people.manager.token, id, { status, ...extra });
const trailOf = async (id: string) =>
  (await auditTrail(tenant.uuid)).filter((event) => event.resourceId === opportunityUuid(id));

describe("the status machine: draft → open ↔ on_hold → closed | filled", () => {
  it.each([
    ["draft", "open"],
    ["open", "on_hold"],
    ["on_hold", "open"],
    ["open", "closed"],
    ["open", "filled"],
    ["on_hold", "closed"],
    ["on_hold", "filled"],
  ] as const)("%s → %s is a move (audited as opportunity.status_changed)", async (from, to) => {
    const { id } = await standalone(from);
    const reply = await move(id, to);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.status).toBe(to);
    const trail = await trailOf(id);
    expect(trail.map((event) => event.action)).toEqual(["opportunity.status_changed"]);
    expect(trail[0]!.changes).toEqual({ status: { old: from, new: to } });
  });

  it.each([
    ["draft", "on_hold"],
    ["draft", "closed"],
    ["draft", "filled"],
    ["open", "draft"],
    ["on_hold", "draft"],
  ] as const)("%s → %s is a 409 naming both statuses, and changes nothing", async (from, to) => {
    const { id } = await standalone(from);
    const reply = await move(id, to, { name: "Not saved" });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: "conflict", current_status: from, requested_status: to });
    expect(reply.body.error.message).toContain(`from ${from} to ${to}`);
    expect(await trailOf(id)).toEqual([]);
  });

  it.each(["closed", "filled"] as const)("%s is final: a status move or any other change is a 409", async (status) => {
    const { id } = await standalone(status);
    const renamed = await patchOpportunity(tenant.people.owner.token, id, { name: "Renamed" });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error.current_status).toBe(status);
    const reopened = await move(id, "open");
    expect(reopened.status).toBe(409);
    expect(reopened.body.error).toMatchObject({ current_status: status, requested_status: "open" });
  });

  it("the same status again is no move: nothing changes and nothing is audited", async () => {
    const { id } = await standalone("open");
    const reply = await move(id, "open");
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe("open");
    expect(await trailOf(id)).toEqual([]);
  });

  it("opening an opportunity that has ended is a 409 saying so; moving its end date first opens it", async () => {
    const { id } = await standalone("draft", { startDate: "2020-01-01", endDate: "2020-12-31" });
    const refused = await move(id, "open");
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/ended on 2020-12-31/);
    const reopened = await move(id, "open", { end_date: "2030-01-01" });
    expect(reopened.status, reopened.text).toBe(200);
    expect(reopened.body).toMatchObject({ status: "open", has_ended: false, end_date: "2030-01-01" });
    const held = await standalone("on_hold", { startDate: "2020-01-01", endDate: "2020-12-31" });
    expect((await move(held.id, "open")).status, "on_hold → open too").toBe(409);
  });

  it("a managed opportunity opens once it has a payment unit (409 saying so before)", async () => {
    const { id, uuid } = await managed();
    const owner = tenant.people.owner.token;
    const refused = await move(id, "open", {}, owner);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/payment unit/);
    await insertPaymentUnit(uuid);
    const opened = await move(id, "open", {}, owner);
    expect(opened.status, opened.text).toBe(200);
    expect(opened.body.status).toBe("open");
    const standaloneDraft = await standalone("draft");
    expect((await move(standaloneDraft.id, "open")).status, "a standalone one needs none").toBe(200);
  });

  it("a PATCH that moves the status and changes fields writes one status_changed event carrying both", async () => {
    const { id } = await standalone("open");
    const reply = await move(id, "on_hold", { min_hours_per_week: 12, visibility: "organisation" });
    expect(reply.status).toBe(200);
    const trail = await trailOf(id);
    expect(trail.map((event) => event.action)).toEqual(["opportunity.status_changed"]);
    expect(trail[0]!.changes).toEqual({
      status: { old: "open", new: "on_hold" },
      min_hours_per_week: { old: 5, new: 12 },
      visibility: { old: "public", new: "organisation" },
    });
  });

  it("a PATCH of fields alone is opportunity.updated; one that changes nothing (a schedule included) writes nothing", async () => {
    const { id } = await standalone("draft");
    const token = tenant.people.owner.token;
    const first = await patchOpportunity(token, id, { name: "Renamed", description: "Line one\nLine two" });
    expect(first.status).toBe(200);
    expect(first.body.updated_at > first.body.created_at).toBe(true);
    const again = await patchOpportunity(token, id, { name: "Renamed" });
    expect(again.body.updated_at).toBe(first.body.updated_at);
    const schedule = { time_zone: "UTC", slots: [{ day: "fri", start: "08:00", end: "09:00" }] };
    expect((await patchOpportunity(token, id, { meeting_times: schedule })).status).toBe(200);
    const sameSchedule = await patchOpportunity(token, id, { meeting_times: schedule });
    expect(sameSchedule.body.meeting_times).toEqual(schedule);
    const trail = await trailOf(id);
    expect(trail.map((event) => event.action)).toEqual(["opportunity.updated", "opportunity.updated"]);
    expect(Object.keys(trail[0]!.changes).sort()).toEqual(["description", "name"]);
    expect(Object.keys(trail[1]!.changes)).toEqual(["meeting_times"]);
  });

  it("a PATCH keeps the rules of a create: end before start, a budget without currency", async () => {
    const { id } = await standalone("draft", { startDate: "2026-05-01" });
    const token = tenant.people.owner.token;
    const early = await patchOpportunity(token, id, { end_date: "2026-04-01" });
    expect(early.status).toBe(400);
    expect(Object.keys(early.body.error.fields)).toEqual(["end_date"]);
    const budget = await patchOpportunity(token, id, { total_budget: "10.00" });
    expect(budget.body.error.fields).toEqual({ currency: ["is required with total_budget"] });
    const unknown = await patchOpportunity(token, id, { organisation_id: tenant.id });
    expect(unknown.status).toBe(400);
  });

  it("a standalone opportunity with payment units keeps its currency (409); dates must keep its units inside", async () => {
    const { id, uuid } = await standalone("draft", { currency: "EUR", startDate: "2026-01-01" });
    await insertPaymentUnit(uuid, { startDate: "2026-02-01", endDate: "2026-03-31" });
    const token = tenant.people.owner.token;
    const currency = await patchOpportunity(token, id, { currency: "USD" });
    expect(currency.status).toBe(409);
    expect(currency.body.error.payment_unit_id).toMatch(/^pu_/);
    const dates = await patchOpportunity(token, id, { end_date: "2026-03-01" });
    expect(dates.status).toBe(409);
    expect((await patchOpportunity(token, id, { end_date: "2026-03-31" })).status).toBe(200);
  });

  it("a managed opportunity keeps its program's values and dates (400)", async () => {
    const { id } = await managed();
    const token = tenant.people.owner.token;
    const currency = await patchOpportunity(token, id, { currency: null });
    expect(Object.keys(currency.body.error.fields)).toEqual(["currency"]);
    const late = await patchOpportunity(token, id, { end_date: "2028-01-31" });
    expect(Object.keys(late.body.error.fields)).toEqual(["end_date"]);
    const endless = await patchOpportunity(token, id, { end_date: null });
    expect(Object.keys(endless.body.error.fields)).toEqual(["end_date"]);
  });
});
