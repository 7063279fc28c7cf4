import { beforeAll, describe, expect, it } from "vitest";
import { auditTrail, call, createTenant, deliveryType, type Tenant } from "../harness";
import { createOpportunity, opportunityBody, opportunityUuid } from "./helpers";

let tenant: Tenant;
let outsider: Tenant;

beforeAll(async () => {
  [tenant, outsider] = await Promise.all([createTenant("opp-create"), createTenant("opp-create-out")]);
  await deliveryType("test-delivery");
});

const create = (extra: Record<string, unknown>, token = tenant.people.owner.token) =>
  createOpportunity(token, opportunityBody(tenant, extra));

describe("creating a standalone opportunity", () => {
  it("a manager creates a draft with defaults; money is shown in its currency's minor units", async () => {
    const reply = await create(
      {
        short_description: "Door to door",
        total_budget: "1250.5",
        currency: "EUR",
        country: "DE",
        delivery_type: "test-delivery",
        role: "Field surveyor",
        min_experience_years: 2,
        meeting_times: {
          time_zone: "europe/berlin",
          slots: [
            { day: "wed", start: "14:00", end: "24:00" },
            { day: "mon", start: "09:00", end: "12:30" },
          ],
        },
      },
      tenant.people.manager.token,
    );
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({
      object: "opportunity",
      organisation_id: tenant.id,
      program_id: null,
      program_organisation_id: null,
      status: "draft",
      visibility: "organisation",
      has_ended: false,
      description: "",
      end_date: null,
      total_budget: "1250.50",
      currency: "EUR",
      delivery_type: "test-delivery",
      meeting_times: {
        time_zone: "Europe/Berlin",
        slots: [
          { day: "mon", start: "09:00", end: "12:30" },
          { day: "wed", start: "14:00", end: "24:00" },
        ],
      },
    });
    expect(reply.body.id).toMatch(/^opp_/);
    const events = (await auditTrail(tenant.uuid)).filter((e) => e.resourceId === opportunityUuid(reply.body.id));
    expect(events.map((e) => e.action)).toEqual(["opportunity.created"]);
    expect(events[0]!.changes).toMatchObject({ name: { old: null, new: "Household survey" } });
  });

  it("has_ended: an end date before today (UTC) has ended; none never ends", async () => {
    const ended = await create({ start_date: "2020-01-01", end_date: "2020-06-30" });
    expect(ended.status, ended.text).toBe(201);
    expect(ended.body.has_ended).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const endsToday = await create({ start_date: "2020-01-01", end_date: today });
    expect(endsToday.body.has_ended).toBe(false);
  });

  it("a total_budget needs a currency, and fits its minor units (400 naming the field)", async () => {
    const noCurrency = await create({ total_budget: "100.00" });
    expect(noCurrency.status).toBe(400);
    expect(noCurrency.body.error.fields).toEqual({ currency: ["is required with total_budget"] });
    const yen = await create({ total_budget: "10.5", currency: "JPY" });
    expect(yen.status).toBe(400);
    expect(Object.keys(yen.body.error.fields)).toEqual(["total_budget"]);
    const wholeYen = await create({ total_budget: "10", currency: "JPY" });
    expect(wholeYen.status, wholeYen.text).toBe(201);
    expect(wholeYen.body.total_budget).toBe("10");
  });

  it.each([
    ["short_description", { short_description: "x".repeat(51) }],
    ["min_hours_per_week", { min_hours_per_week: 169 }],
    ["min_hours_per_week", { min_hours_per_week: 2.5 }],
    ["min_experience_years", { min_experience_years: 61 }],
    ["end_date", { start_date: "2026-05-01", end_date: "2026-04-30" }],
    ["start_date", { start_date: "2026-02-30" }],
    ["delivery_type", { delivery_type: "no-such-type" }],
    ["currency", { currency: "EURO" }],
    ["country", { country: "XX" }],
    ["visibility", { visibility: "secret" }],
    ["meeting_times.time_zone", { meeting_times: { time_zone: "Mars/Olympus", slots: [] } }],
    ["meeting_times.time_zone", { meeting_times: { time_zone: "+01:00", slots: [] } }],
    [
      "meeting_times.slots.0.end",
      { meeting_times: { time_zone: "UTC", slots: [{ day: "mon", start: "10:00", end: "10:00" }] } },
    ],
    [
      "meeting_times.slots.0.day",
      { meeting_times: { time_zone: "UTC", slots: [{ day: "monday", start: "10:00", end: "11:00" }] } },
    ],
    [
      "meeting_times.slots",
      {
        meeting_times: {
          time_zone: "UTC",
          slots: Array.from({ length: 51 }, (_, i) => ({
            day: "mon",
            start: `${String(i % 24).padStart(2, "0")}:00`,
            end: "24:00",
          })),
        },
      },
    ],
    ["organisation_id", { organisation_id: "prg_01h455vb4pex5vsknk084sn02q" }],
    ["status", { status: "open" }],
  ])("400 naming %s", async (field, extra) => {
    const reply = await create(extra);
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.error.code).toBe("validation_error");
    expect(Object.keys(reply.body.error.fields)).toContain(field);
  });

  it("overlapping slots on a day are a 400 naming the later one, even behind a shorter slot", async () => {
    const reply = await create({
      meeting_times: {
        time_zone: "Africa/Nairobi",
        slots: [
          { day: "tue", start: "09:00", end: "17:00" },
          { day: "tue", start: "10:00", end: "11:00" },
          { day: "tue", start: "12:00", end: "13:00" },
          { day: "wed", start: "12:00", end: "13:00" },
        ],
      },
    });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body.error.fields).sort()).toEqual(["meeting_times.slots.1", "meeting_times.slots.2"]);
    const touching = await create({
      meeting_times: {
        time_zone: "UTC",
        slots: [
          { day: "tue", start: "09:00", end: "10:00" },
          { day: "tue", start: "10:00", end: "11:00" },
        ],
      },
    });
    expect(touching.status, touching.text).toBe(201);
  });

  it("the viewer gets 403, another organisation's owner 404, and nothing is written", async () => {
    const before = (await auditTrail(tenant.uuid)).length;
    const viewer = await create({}, tenant.people.viewer.token);
    expect(viewer.status).toBe(403);
    const stranger = await create({}, outsider.people.owner.token);
    expect(stranger.status).toBe(404);
    expect((await auditTrail(tenant.uuid)).length).toBe(before);
  });

  it("a service account creates in its own organisation without naming it", async () => {
    const { organisation_id: _, ...body } = opportunityBody(tenant);
    const reply = await call("POST", "/v1/opportunities", { token: tenant.serviceAccount.token, body });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.organisation_id).toBe(tenant.id);
  });
});
