// Creating programs: the program-manager gate, money in each currency's minor units, dates, and the creator's
// own access.

import { beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  auditCount,
  auditTrail,
  call,
  createTenant,
  makeProgramManager,
  snapshot,
  type Tenant,
} from "../harness";
import { createProgram, grantsOf, programBody, programUuid } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("programs");
  await makeProgramManager(tenant);
});

describe("who creates programs", () => {
  it("an organisation that is not a program manager gets 403 permission_denied saying so, and nothing is written", async () => {
    const plain = await createTenant("plain");
    const before = await snapshot(plain.uuid);
    const refused = await createProgram(plain);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error.code).toBe("permission_denied");
    expect(refused.body.error.message).toMatch(/program-manager/);
    expect(await snapshot(plain.uuid)).toEqual(before);
    await makeProgramManager(plain);
    expect((await createProgram(plain)).status).toBe(201);
  });

  it("the owner creates a program: 201 with the full representation and a program.created event", async () => {
    const created = await createProgram(tenant, { name: "Digital skills", description: "Training <b>now</b>" });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      object: "program",
      organisation_id: tenant.id,
      name: "Digital skills",
      description: "Training now",
      delivery_type: "test-delivery",
      currency: "EUR",
      country: "DE",
      budget: "10000.00",
      allocated: "0.00",
      start_date: "2026-01-01",
      end_date: "2026-12-31",
    });
    expect(created.body.id).toMatch(/^prg_/);
    const events = (await auditTrail(tenant.uuid)).filter((e) => e.resourceId === programUuid(created.body.id));
    expect(events.map((e) => e.action)).toEqual(["program.created"]);
    expect(events[0]!.changes).toMatchObject({ budget: { old: null, new: "10000.00" } });
    const read = await call("GET", `/v1/programs/${created.body.id}`, { token: tenant.people.admin.token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    // A viewer has no global access: without the program in their access list, it is not there for them.
    expect((await call("GET", `/v1/programs/${created.body.id}`, { token: tenant.people.viewer.token })).status).toBe(
      404,
    );
  });

  it("a viewer lacks programs:write (403); a member too", async () => {
    for (const role of ["viewer", "member"] as const) {
      const refused = await createProgram(tenant, {}, tenant.people[role].token);
      expect(refused.status, role).toBe(403);
    }
  });

  it("a manager without global access is granted the program they create, and sees it; an admin is not granted", async () => {
    const manager = await addPerson(tenant, "manager", "creator");
    const created = await createProgram(tenant, {}, manager.token);
    expect(created.status, created.text).toBe(201);
    const grants = await grantsOf(created.body.id);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.serviceAccountId).toBeNull();
    expect((await call("GET", `/v1/programs/${created.body.id}`, { token: manager.token })).status).toBe(200);
    const byAdmin = await createProgram(tenant, {}, tenant.people.admin.token);
    expect(await grantsOf(byAdmin.body.id)).toEqual([]);
    // The manager sees only what they made (or were given), not the admin's program.
    expect((await call("GET", `/v1/programs/${byAdmin.body.id}`, { token: manager.token })).status).toBe(404);
  });

  it("a service account (manager role, no global access) is granted the program it creates", async () => {
    const created = await createProgram(tenant, {}, tenant.serviceAccount.token);
    expect(created.status, created.text).toBe(201);
    const grants = await grantsOf(created.body.id);
    expect(grants.map((g) => g.membershipId)).toEqual([null]);
    expect(grants[0]!.serviceAccountId).not.toBeNull();
    const listed = await call("GET", "/v1/programs", { token: tenant.serviceAccount.token });
    expect(listed.body.data.map((p: { id: string }) => p.id)).toContain(created.body.id);
  });
});

describe("money and the currency's minor units", () => {
  it.each([
    ["EUR", "10.5", "10.50"],
    ["EUR", "0", "0.00"],
    ["JPY", "10", "10"],
    ["JPY", "10.0", "10"],
    ["BHD", "1.234", "1.234"],
    ["BHD", "7", "7.000"],
    ["EUR", "9999999999999999.99", "9999999999999999.99"],
  ])("%s %s is stored exactly and shown as %s", async (currency, budget, shown) => {
    const created = await createProgram(tenant, { currency, budget });
    expect(created.status, created.text).toBe(201);
    expect(created.body.budget).toBe(shown);
    expect(created.body.allocated).toBe(currency === "JPY" ? "0" : currency === "BHD" ? "0.000" : "0.00");
  });

  it.each([
    ["JPY", "10.5", /whole number/],
    ["EUR", "10.123", /at most 2 decimals/],
    ["BHD", "1.2345", /at most 3 decimals/],
  ])("%s %s is a 400 on budget", async (currency, budget, problem) => {
    const refused = await createProgram(tenant, { currency, budget });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.error.fields.budget[0]).toMatch(problem);
  });

  it.each(["1e3", "-5", "1,000.00", " 10", "10.", ".5", "0x10", "10.12345", "12345678901234567"])(
    "budget %j is a 400",
    async (budget) => {
      const refused = await createProgram(tenant, { budget });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body.error.fields).toHaveProperty("budget");
    },
  );

  it("a number instead of a decimal string is a 400 on budget", async () => {
    const refused = await createProgram(tenant, { budget: 100 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toHaveProperty("budget");
  });

  it("unknown currency, country or delivery type is a 400 naming the field", async () => {
    for (const [field, value] of [
      ["currency", "eur"],
      ["currency", "XXX"],
      ["country", "de"],
      ["country", "ZZ"],
      ["delivery_type", "no-such-type"],
    ] as const) {
      const refused = await createProgram(tenant, { [field]: value });
      expect(refused.status, `${field}=${value}: ${refused.text}`).toBe(400);
      expect(Object.keys(refused.body.error.fields), `${field}=${value}`).toEqual([field]);
    }
  });
});

describe("dates", () => {
  it.each([
    ["2026-02-30", "start_date"],
    ["2026-13-01", "start_date"],
    ["2026-1-01", "start_date"],
    ["2026-01-01T00:00:00Z", "start_date"],
    ["0000-01-01", "start_date"],
  ])("%s is a 400 on %s", async (start, field) => {
    const refused = await createProgram(tenant, { start_date: start });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.error.fields).toHaveProperty(field);
  });

  it("29 February exists in a leap year only", async () => {
    expect((await createProgram(tenant, { start_date: "2028-02-29", end_date: "2028-03-01" })).status).toBe(201);
    expect((await createProgram(tenant, { start_date: "2027-02-29", end_date: "2027-03-01" })).status).toBe(400);
  });

  it("an end date on or before the start date is a 400 naming end_date", async () => {
    for (const end of ["2026-01-01", "2025-12-31"]) {
      const refused = await createProgram(tenant, { start_date: "2026-01-01", end_date: end });
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.error.fields)).toEqual(["end_date"]);
    }
  });

  it("a refused create writes no audit event", async () => {
    const before = await auditCount(tenant.uuid, "program.created");
    await createProgram(tenant, { budget: "1.001" });
    await createProgram(tenant, { unknown: true });
    expect(await auditCount(tenant.uuid, "program.created")).toBe(before);
  });

  it("a strict body: unknown or server-owned fields are a 400", async () => {
    const body = await programBody(tenant);
    for (const extra of [{ id: "prg_x" }, { allocated: "1" }, { created_at: "2026-01-01T00:00:00Z" }]) {
      const refused = await call("POST", "/v1/programs", {
        token: tenant.people.owner.token,
        body: { ...body, ...extra },
      });
      expect(refused.status).toBe(400);
    }
  });
});
