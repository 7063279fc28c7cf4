import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { call, insertOpportunity } from "../harness";
import { type Arrangement, arrange, createPaymentUnit, eventsAbout, madePaymentUnit } from "./helpers";

let a: Arrangement;
let owner: string;

beforeAll(async () => {
  a = await arrange("pu-crud");
  owner = a.deliverer.people.owner.token;
});

describe("payment units: create, read, change, delete", () => {
  it("the delivering organisation's owner creates one; it reads back in the opportunity's currency", async () => {
    const created = await createPaymentUnit(owner, a.managed.id, {
      name: "Household survey",
      description: "One completed survey.",
      amount: "12.5",
      org_amount: "2",
      max_total: 200,
      max_daily: 10,
      start_date: "2026-03-01",
      end_date: "2026-06-30",
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      object: "payment_unit",
      opportunity_id: a.managed.id,
      parent_payment_unit_id: null,
      name: "Household survey",
      description: "One completed survey.",
      amount: "12.50",
      org_amount: "2.00",
      currency: "EUR",
      max_total: 200,
      max_daily: 10,
      start_date: "2026-03-01",
      end_date: "2026-06-30",
    });
    expect(created.body.id).toMatch(/^pu_/);
    // An admin reads it (global access: the managed opportunity is in every list of theirs).
    const got = await call("GET", `/v1/payment-units/${created.body.id}`, { token: a.deliverer.people.admin.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
  });

  it("org_amount defaults to 0, description to empty, dates to none", async () => {
    const created = await createPaymentUnit(owner, a.managed.id);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ org_amount: "0.00", description: "", start_date: null, end_date: null });
  });

  it("lists an opportunity's units oldest first, a page at a time; opportunity_id is required", async () => {
    const opportunity = await insertOpportunity(a.deliverer, { currency: "EUR" });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await madePaymentUnit(owner, opportunity.id));
    const first = await call("GET", `/v1/payment-units?opportunity_id=${opportunity.id}&limit=2`, { token: owner });
    expect(first.status).toBe(200);
    expect(first.body.data.map((u: { id: string }) => u.id)).toEqual(ids.slice(0, 2));
    expect(first.body.has_more).toBe(true);
    const second = await call(
      "GET",
      `/v1/payment-units?opportunity_id=${opportunity.id}&limit=2&cursor=${first.body.next_cursor}`,
      { token: owner },
    );
    expect(second.body.data.map((u: { id: string }) => u.id)).toEqual(ids.slice(2));
    expect(second.body.has_more).toBe(false);
    const missing = await call("GET", "/v1/payment-units", { token: owner });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toHaveProperty("opportunity_id");
  });

  it("PATCH changes what it names, checks caps against the kept values, and a no-op writes nothing", async () => {
    const id = await madePaymentUnit(owner, a.managed.id, { max_total: 10, max_daily: 5 });
    const tooMany = await call("PATCH", `/v1/payment-units/${id}`, { token: owner, body: { max_daily: 11 } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields.max_daily).toEqual(["must be at most max_total (10)"]);
    const lowered = await call("PATCH", `/v1/payment-units/${id}`, { token: owner, body: { max_total: 4 } });
    expect(lowered.status).toBe(400);
    expect(lowered.body.error.fields).toHaveProperty("max_daily");
    const changed = await call("PATCH", `/v1/payment-units/${id}`, {
      token: owner,
      body: { amount: "20", max_total: 30, max_daily: 12, name: "Renamed" },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ amount: "20.00", max_total: 30, max_daily: 12, name: "Renamed" });
    const before = await eventsAbout(id);
    const same = await call("PATCH", `/v1/payment-units/${id}`, { token: owner, body: { amount: "20.00" } });
    expect(same.status).toBe(200);
    expect(same.body.updated_at).toBe(changed.body.updated_at);
    expect(await eventsAbout(id)).toHaveLength(before.length);
  });

  it("deletes an unused unit (204, then 404)", async () => {
    const id = await madePaymentUnit(owner, a.managed.id);
    const removed = await call("DELETE", `/v1/payment-units/${id}`, { token: owner });
    expect(removed.status).toBe(204);
    expect((await call("GET", `/v1/payment-units/${id}`, { token: owner })).status).toBe(404);
    expect((await call("DELETE", `/v1/payment-units/${id}`, { token: owner })).status).toBe(404);
  });

  it("every write is audited in the acting organisation, with what changed", async () => {
    const id = await madePaymentUnit(owner, a.managed.id, { amount: "1.00" });
    await call("PATCH", `/v1/payment-units/${id}`, { token: owner, body: { amount: "2.00" } });
    await call("DELETE", `/v1/payment-units/${id}`, { token: owner });
    const events = await eventsAbout(id);
    expect(events.map((e) => e.action)).toEqual([
      "payment_unit.created",
      "payment_unit.updated",
      "payment_unit.deleted",
    ]);
    expect(events.every((e) => e.organisationId === a.deliverer.uuid)).toBe(true);
    expect(events[0]!.resourceType).toBe("payment_unit");
    expect(events[0]!.resourceId).toBe(parseTypeId(ID_PREFIX.payment_unit, id));
    expect(events[1]!.changes).toEqual({ amount: { old: "1.00", new: "2.00" } });
    expect(events[2]!.changes.amount).toEqual({ old: "2.00", new: null });
  });
});

describe("payment units: money, caps and dates", () => {
  it("amounts take at most the currency's minor units: JPY whole numbers, EUR two decimals", async () => {
    const yen = await createPaymentUnit(owner, a.standalone.id, { amount: "10.5" });
    expect(yen.status).toBe(400);
    expect(yen.body.error.fields.amount).toEqual(["must be a whole number of JPY"]);
    const yenOrg = await createPaymentUnit(owner, a.standalone.id, { amount: "10", org_amount: "0.5" });
    expect(yenOrg.status).toBe(400);
    expect(yenOrg.body.error.fields).toHaveProperty("org_amount");
    const wholeYen = await createPaymentUnit(owner, a.standalone.id, { amount: "1000", org_amount: "10.000" });
    expect(wholeYen.status, wholeYen.text).toBe(201);
    expect(wholeYen.body).toMatchObject({ amount: "1000", org_amount: "10", currency: "JPY" });
    const euro = await createPaymentUnit(owner, a.managed.id, { amount: "10.505" });
    expect(euro.status).toBe(400);
    expect(euro.body.error.fields.amount).toEqual(["must have at most 2 decimals in EUR"]);
    const patched = await call("PATCH", `/v1/payment-units/${wholeYen.body.id}`, {
      token: owner,
      body: { amount: "0.1" },
    });
    expect(patched.status).toBe(400);
  });

  it("amounts are decimal strings: numbers, signs, exponents and separators are 400", async () => {
    for (const amount of [12.5, "-1", "1e2", "1,000", "", " 1", "0x10", "01"]) {
      const reply = await createPaymentUnit(owner, a.managed.id, { amount });
      expect(reply.status, `${JSON.stringify(amount)}: ${reply.text}`).toBe(400);
      expect(reply.body.error.fields).toHaveProperty("amount");
    }
  });

  it("an amount is stored exactly, up to 16 integer digits", async () => {
    const created = await createPaymentUnit(owner, a.managed.id, { amount: "9999999999999999.99" });
    expect(created.status, created.text).toBe(201);
    expect(created.body.amount).toBe("9999999999999999.99");
    const tooBig = await createPaymentUnit(owner, a.managed.id, { amount: "10000000000000000" });
    expect(tooBig.status).toBe(400);
  });

  it("an opportunity without a currency takes no payment units yet (409)", async () => {
    const bare = await insertOpportunity(a.deliverer, { currency: null });
    const reply = await createPaymentUnit(owner, bare.id);
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: "conflict", opportunity_id: bare.id });
    expect(reply.body.error.message).toMatch(/currency/);
  });

  it("caps are whole numbers of at least 1, and max_daily is at most max_total", async () => {
    for (const [field, value] of [
      ["max_total", 0],
      ["max_daily", 0],
      ["max_total", 1.5],
      ["max_daily", "3"],
      ["max_total", 2 ** 31],
    ] as const) {
      const reply = await createPaymentUnit(owner, a.managed.id, { [field]: value });
      expect(reply.status, `${field}=${value}`).toBe(400);
      expect(reply.body.error.fields).toHaveProperty(field);
    }
    const over = await createPaymentUnit(owner, a.managed.id, { max_total: 3, max_daily: 4 });
    expect(over.status).toBe(400);
    expect(over.body.error.fields.max_daily).toEqual(["must be at most max_total (3)"]);
    expect((await createPaymentUnit(owner, a.managed.id, { max_total: 1, max_daily: 1 })).status).toBe(201);
  });

  it("dates lie within the opportunity's, end on or after start, and every field at fault is named", async () => {
    const early = await createPaymentUnit(owner, a.managed.id, { start_date: "2025-12-31" });
    expect(early.status).toBe(400);
    expect(early.body.error.fields.start_date).toEqual([
      "must be on or after the opportunity's start date (2026-01-01)",
    ]);
    const late = await createPaymentUnit(owner, a.managed.id, { end_date: "2027-01-01" });
    expect(late.status).toBe(400);
    expect(late.body.error.fields.end_date).toEqual(["must be on or before the opportunity's end date (2026-12-31)"]);
    const reversed = await createPaymentUnit(owner, a.managed.id, { start_date: "2026-05-02", end_date: "2026-05-01" });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.fields.end_date).toEqual(["must be on or after start_date (2026-05-02)"]);
    const both = await createPaymentUnit(owner, a.managed.id, {
      start_date: "2025-01-01",
      max_total: 1,
      max_daily: 2,
    });
    expect(Object.keys(both.body.error.fields).sort()).toEqual(["max_daily", "start_date"]);
    for (const date of ["2026-02-30", "2026-1-1", "0000-01-01", "tomorrow"]) {
      const reply = await createPaymentUnit(owner, a.managed.id, { start_date: date });
      expect(reply.status, date).toBe(400);
      expect(reply.body.error.fields).toHaveProperty("start_date");
    }
    const sameDay = await createPaymentUnit(owner, a.managed.id, { start_date: "2026-12-31", end_date: "2026-12-31" });
    expect(sameDay.status, sameDay.text).toBe(201);
  });

  it("an opportunity without an end date bounds only the start; PATCH checks the dates it is given", async () => {
    const far = await createPaymentUnit(owner, a.standalone.id, { amount: "100", end_date: "2099-12-31" });
    expect(far.status, far.text).toBe(201);
    const id = far.body.id;
    const reversed = await call("PATCH", `/v1/payment-units/${id}`, {
      token: owner,
      body: { start_date: "2100-01-01" },
    });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.fields).toHaveProperty("end_date");
    const cleared = await call("PATCH", `/v1/payment-units/${id}`, {
      token: owner,
      body: { start_date: "2030-01-01", end_date: null },
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body).toMatchObject({ start_date: "2030-01-01", end_date: null });
  });

  it("bodies are strict: unknown and server-owned fields are 400", async () => {
    const unknown = await createPaymentUnit(owner, a.managed.id, { currency: "USD" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.currency).toEqual(["is not a known field"]);
    const id = await madePaymentUnit(owner, a.managed.id);
    const moved = await call("PATCH", `/v1/payment-units/${id}`, {
      token: owner,
      body: { opportunity_id: a.standalone.id },
    });
    expect(moved.status).toBe(400);
    const wrongPrefix = await call("GET", `/v1/payment-units/${a.managed.id}`, { token: owner });
    expect(wrongPrefix.status).toBe(400);
  });
});
