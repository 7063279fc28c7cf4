// Attacks with odd input on the programs domain: each must be a clear 400 naming the field, never a 500, and
// must write nothing.
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createTenant,
  deliveryType,
  insertOpportunity,
  insertProgram,
  type Made,
  makeProgramManager,
  snapshot,
  type Tenant,
} from "../harness";

let tenant: Tenant;
let program: Made;
let opportunity: Made;

beforeAll(async () => {
  tenant = await createTenant("input-attack");
  await makeProgramManager(tenant);
  await deliveryType("test-delivery");
  program = await insertProgram(tenant);
  opportunity = await insertOpportunity(tenant, { status: "draft", currency: "EUR" });
});

const programBody = (extra: Record<string, unknown>) => ({
  organisation_id: tenant.id,
  name: "Attacked program",
  delivery_type: "test-delivery",
  currency: "EUR",
  country: "DE",
  budget: "100.00",
  start_date: "2026-01-01",
  end_date: "2026-12-31",
  ...extra,
});

/** 400 `validation_error` naming `field`, and nothing written in the tenant. */
async function refused(method: string, path: string, body: unknown, field: string) {
  const before = await snapshot(tenant.uuid);
  const reply = await call(method, path, { token: tenant.people.owner.token, body });
  expect(reply.status, `${method} ${path} ${JSON.stringify(body)}: ${reply.text}`).toBe(400);
  expect(reply.body.error.code).toBe("validation_error");
  expect(Object.keys(reply.body.error.fields)).toContain(field);
  expect(await snapshot(tenant.uuid)).toEqual(before);
}

describe("a delivery type that is no slug", () => {
  for (const slug of ["a\u0000b", "\u0000", "test-delivery\n", "Test-Delivery", " test-delivery", "x".repeat(101)]) {
    it(`${JSON.stringify(slug.slice(0, 20))} is a 400 on delivery_type, on POST and PATCH of a program`, async () => {
      await refused("POST", "/v1/programs", programBody({ delivery_type: slug }), "delivery_type");
      await refused("PATCH", `/v1/programs/${program.id}`, { delivery_type: slug }, "delivery_type");
    });
  }

  it("and on an opportunity", async () => {
    const body = {
      organisation_id: tenant.id,
      name: "x",
      start_date: "2026-01-01",
      work_environment: "remote",
      min_hours_per_week: 1,
      delivery_type: "a\u0000b",
    };
    await refused("POST", "/v1/opportunities", body, "delivery_type");
    await refused("PATCH", `/v1/opportunities/${opportunity.id}`, { delivery_type: "\u0000" }, "delivery_type");
  });
});

describe("money", () => {
  const BAD = ["1e3", "-1", "+1", "01.5", "00", "1.", ".5", "1,5", " 1", "1 ", "12345678901234567", "1.23456", "0x10"];
  for (const budget of [...BAD, "1.234", "1.2340", 1000, 10.5, null, true, ["1"], { amount: "1" }]) {
    it(`budget ${JSON.stringify(budget)} is a 400 on budget`, async () => {
      await refused("POST", "/v1/programs", programBody({ budget }), "budget");
    });
  }

  it("a JPY budget with decimals is a 400; 16 integer digits are stored exactly", async () => {
    await refused("POST", "/v1/programs", programBody({ currency: "JPY", budget: "10.5" }), "budget");
    const reply = await call("POST", "/v1/programs", {
      token: tenant.people.owner.token,
      body: programBody({ budget: "9999999999999999.99" }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body.budget).toBe("9999999999999999.99");
  });

  it("payment unit amounts: the same rules, in the opportunity's currency", async () => {
    const unit = { opportunity_id: opportunity.id, name: "u", max_total: 2, max_daily: 1 };
    for (const amount of [...BAD, "1.234", 5]) {
      await refused("POST", "/v1/payment-units", { ...unit, amount }, "amount");
    }
    await refused("POST", "/v1/payment-units", { ...unit, amount: "1", org_amount: "-0" }, "org_amount");
  });
});

describe("dates", () => {
  for (const date of [
    "2026-02-30",
    "2026-1-1",
    "0000-01-01",
    "2026-13-01",
    "2026-00-10",
    "20260101",
    "2026-01-01T00:00:00Z",
    "",
    20260101,
  ]) {
    it(`start_date ${JSON.stringify(date)} is a 400 on start_date`, async () => {
      await refused("POST", "/v1/programs", programBody({ start_date: date }), "start_date");
    });
  }

  it("an end on or before the start is a 400 on end_date", async () => {
    await refused("POST", "/v1/programs", programBody({ end_date: "2026-01-01" }), "end_date");
    await refused("PATCH", `/v1/programs/${program.id}`, { end_date: "2025-12-31" }, "end_date");
  });
});

describe("bodies", () => {
  it("unknown and server-owned fields are a 400 naming them", async () => {
    await refused("PATCH", `/v1/programs/${program.id}`, { organisation_id: tenant.id }, "organisation_id");
    await refused("PATCH", `/v1/programs/${program.id}`, { allocated: "0" }, "allocated");
    await refused("PATCH", `/v1/opportunities/${opportunity.id}`, { program_id: program.id }, "program_id");
    await refused("PATCH", `/v1/opportunities/${opportunity.id}`, { organisation_id: tenant.id }, "organisation_id");
    await refused("PATCH", `/v1/opportunities/${opportunity.id}`, { __proto__x: 1 }, "__proto__x");
  });

  it("ids with the wrong prefix are a 400 naming the field", async () => {
    const asOpportunity = `opp_${program.id.slice(4)}`;
    await refused(
      "PUT",
      `/v1/members/${tenant.people.manager.memberId}/access`,
      { programs: [asOpportunity] },
      "programs.0",
    );
    const unit = { opportunity_id: program.id, name: "u", amount: "1", max_total: 2, max_daily: 1 };
    await refused("POST", "/v1/payment-units", unit, "opportunity_id");
    const reply = await call("GET", `/v1/programs/${asOpportunity}`, { token: tenant.people.owner.token });
    expect(reply.status).toBe(400);
  });

  it("a huge access list is a 400 on programs", async () => {
    const programs = Array.from({ length: 501 }, () => program.id);
    await refused("PUT", `/v1/members/${tenant.people.manager.memberId}/access`, { programs }, "programs");
  });

  it("payment unit caps: fractions, zero, beyond int32, strings", async () => {
    const unit = { opportunity_id: opportunity.id, name: "u", amount: "1", max_daily: 1 };
    for (const max_total of [1.5, 0, -1, 2 ** 31, "2"]) {
      await refused("POST", "/v1/payment-units", { ...unit, max_total }, "max_total");
    }
  });
});

describe("the catalog's query", () => {
  const list = (query: string) => call("GET", `/v1/opportunities?${query}`);

  it("SQL and tsquery metacharacters, quotes, odd UTF-8 and a long query are searched, never a 500", async () => {
    const queries = [
      "%25",
      "_",
      "%27%3B--",
      "%5C",
      "zqx%3A*",
      "!!!",
      "(",
      "%22",
      "zqx%26zqy%7Czqz",
      // Undecodable bytes reach the search as their escapes ("ff"), which could match a random hex name: the
      // leading word that no name holds keeps the answer empty.
      "zqx%ED%A0%80",
      "zqx%FF",
      "x".repeat(200),
    ];
    for (const q of queries) {
      const reply = await list(`q=${q}`);
      expect(reply.status, q).toBe(200);
      expect(reply.body.data).toEqual([]);
    }
  });

  it("an empty, blank, control-character or over-long q is a 400 on q", async () => {
    for (const q of ["", "%20%20", "a%00b", "a%0Ab", "x".repeat(201)]) {
      const reply = await list(`q=${q}`);
      expect(reply.status, q).toBe(400);
      expect(Object.keys(reply.body.error.fields)).toEqual(["q"]);
    }
  });

  it("numbers, enums and cursors that are not theirs are a 400 naming the parameter", async () => {
    for (const [query, field] of [
      ["max_hours=1e1", "max_hours"],
      ["max_hours=-1", "max_hours"],
      ["max_hours=169", "max_hours"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["status=open&status=draft", "status"],
      ["status=OPEN", "status"],
      ["cursor=abc", "cursor"],
      ["organisation_id=prg_01h455vb4pex5vsknk084sn02q", "organisation_id"],
    ] as const) {
      const reply = await list(query);
      expect(reply.status, query).toBe(400);
      expect(Object.keys(reply.body.error.fields), query).toEqual([field]);
    }
  });
});
