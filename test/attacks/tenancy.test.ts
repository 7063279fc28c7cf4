// Tenancy attacks: another organisation's programs, applications, opportunities and units must be 404 on every
// route (never 403, never 200) and stay unchanged; the parties of a program reach only what their side may.
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createTenant,
  insertApplication,
  insertDeliverUnit,
  insertOpportunity,
  insertPaymentUnit,
  insertProgram,
  type Made,
  snapshot,
  type Tenant,
} from "../harness";

let funder: Tenant;
let deliverer: Tenant;
let invitee: Tenant;
let stranger: Tenant;
let program: Made;
let application: Made;
let invitation: Made;
/** Drafts of the deliverer: one under the program, one standalone, each with a payment and a deliver unit. */
let managed: Made;
let standalone: Made;
let units: Record<"managed" | "standalone", { payment: Made; deliver: Made }>;

beforeAll(async () => {
  [funder, deliverer, invitee, stranger] = await Promise.all([
    createTenant("ten-funder"),
    createTenant("ten-deliverer"),
    createTenant("ten-invitee"),
    createTenant("ten-stranger"),
  ]);
  program = await insertProgram(funder);
  application = await insertApplication(program.uuid, deliverer, "accepted");
  invitation = await insertApplication(program.uuid, invitee, "invited");
  const draft = { status: "draft", visibility: "organisation", endDate: "2027-06-30" } as const;
  managed = await insertOpportunity(deliverer, { ...draft, programId: program.uuid, currency: "EUR", country: "DE" });
  standalone = await insertOpportunity(deliverer, { ...draft, currency: "EUR" });
  const unitsOf = async (made: Made) => {
    const payment = await insertPaymentUnit(made.uuid);
    return { payment, deliver: await insertDeliverUnit(made.uuid, payment.uuid) };
  };
  units = { managed: await unitsOf(managed), standalone: await unitsOf(standalone) };
});

/** Every route that reaches one opportunity or its units, as `[method, path, body?]`. */
function opportunityRoutes(opportunity: Made, of: { payment: Made; deliver: Made }): [string, string, unknown?][] {
  return [
    ["GET", `/v1/opportunities/${opportunity.id}`],
    ["PATCH", `/v1/opportunities/${opportunity.id}`, { name: "hijacked" }],
    ["DELETE", `/v1/opportunities/${opportunity.id}`],
    ["GET", `/v1/payment-units?opportunity_id=${opportunity.id}`],
    [
      "POST",
      "/v1/payment-units",
      { opportunity_id: opportunity.id, name: "x", amount: "1", max_total: 1, max_daily: 1 },
    ],
    ["GET", `/v1/payment-units/${of.payment.id}`],
    ["PATCH", `/v1/payment-units/${of.payment.id}`, { name: "hijacked" }],
    ["DELETE", `/v1/payment-units/${of.payment.id}`],
    ["GET", `/v1/deliver-units?opportunity_id=${opportunity.id}`],
    ["GET", `/v1/deliver-units?payment_unit_id=${of.payment.id}`],
    ["POST", "/v1/deliver-units", { opportunity_id: opportunity.id, name: "x", slug: "x" }],
    ["GET", `/v1/deliver-units/${of.deliver.id}`],
    ["PATCH", `/v1/deliver-units/${of.deliver.id}`, { name: "hijacked" }],
    ["DELETE", `/v1/deliver-units/${of.deliver.id}`],
  ];
}

const programRoutes = (): [string, string, unknown?][] => [
  ["GET", `/v1/programs/${program.id}`],
  ["PATCH", `/v1/programs/${program.id}`, { name: "hijacked" }],
  ["DELETE", `/v1/programs/${program.id}`],
  ["GET", `/v1/program-applications?program_id=${program.id}`],
  ["POST", "/v1/program-applications", { program_id: program.id, organisation_id: stranger.id }],
  ["GET", `/v1/program-applications/${application.id}`],
  ...["apply", "decline", "accept", "reject"].map(
    (verb) => ["POST", `/v1/program-applications/${application.id}:${verb}`] as [string, string],
  ),
];

async function expectAll(status: number, token: string, routes: [string, string, unknown?][]) {
  const before = await Promise.all([funder, deliverer, invitee].map((tenant) => snapshot(tenant.uuid)));
  for (const [method, path, body] of routes) {
    const reply = await call(method, path, { token, body });
    expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(status);
    if (status === 404) expect(reply.body.error.code).toBe("not_found");
  }
  expect(await Promise.all([funder, deliverer, invitee].map((tenant) => snapshot(tenant.uuid)))).toEqual(before);
}

describe("a stranger (another organisation's owner, and its service account)", () => {
  it("gets 404 on every program and application route, and nothing changes", async () => {
    await expectAll(404, stranger.people.owner.token, programRoutes());
    await expectAll(404, stranger.serviceAccount.token, programRoutes());
  });

  it("gets 404 on every opportunity and unit route, managed or standalone, and nothing changes", async () => {
    for (const token of [stranger.people.owner.token, stranger.serviceAccount.token]) {
      await expectAll(404, token, opportunityRoutes(managed, units.managed));
      await expectAll(404, token, opportunityRoutes(standalone, units.standalone));
    }
  });

  it("lists nothing of theirs with its own organisation_id, and 404 with theirs", async () => {
    const token = stranger.people.owner.token;
    const own = await call("GET", `/v1/opportunities?organisation_id=${stranger.id}&program_id=${program.id}`, {
      token,
    });
    expect(own.body.data).toEqual([]);
    for (const tenant of [funder, deliverer]) {
      for (const path of ["/v1/opportunities", "/v1/programs", "/v1/program-applications"]) {
        const reply = await call("GET", `${path}?organisation_id=${tenant.id}`, { token });
        expect(reply.status, path).toBe(404);
      }
    }
  });
});

describe("the program's side", () => {
  it("never reaches the deliverer's standalone opportunity or its units (404)", async () => {
    await expectAll(404, funder.people.owner.token, opportunityRoutes(standalone, units.standalone));
  });

  it("does not see it in its organisation's list either", async () => {
    const reply = await call("GET", `/v1/opportunities?organisation_id=${funder.id}&limit=100`, {
      token: funder.people.owner.token,
    });
    const listed = reply.body.data.map((item: { id: string }) => item.id);
    expect(listed).toContain(managed.id);
    expect(listed).not.toContain(standalone.id);
  });
});

describe("a delivering organisation (accepted) and an invited one", () => {
  it("the deliverer reads the program but cannot change it, list its applications or invite (403, nothing changes)", async () => {
    const token = deliverer.people.owner.token;
    expect((await call("GET", `/v1/programs/${program.id}`, { token })).status).toBe(200);
    await expectAll(403, token, [
      ["PATCH", `/v1/programs/${program.id}`, { budget: "99999999.00" }],
      ["DELETE", `/v1/programs/${program.id}`],
      ["GET", `/v1/program-applications?program_id=${program.id}`],
      ["POST", "/v1/program-applications", { program_id: program.id, organisation_id: stranger.id }],
      ["POST", `/v1/program-applications/${application.id}:accept`],
      ["POST", `/v1/program-applications/${application.id}:reject`],
    ]);
  });

  it("the deliverer does not reach another party's application (404)", async () => {
    await expectAll(404, deliverer.people.owner.token, [
      ["GET", `/v1/program-applications/${invitation.id}`],
      ["POST", `/v1/program-applications/${invitation.id}:apply`],
      ["POST", `/v1/program-applications/${invitation.id}:decline`],
    ]);
  });

  it("an organisation only invited, or declined, or rejected, delivers nothing under the program (403)", async () => {
    const body = (tenant: Tenant) => ({
      organisation_id: tenant.id,
      program_id: program.id,
      name: "sneaking in",
      start_date: "2026-03-01",
      end_date: "2026-06-30",
      work_environment: "remote",
      min_hours_per_week: 1,
    });
    await expectAll(403, invitee.people.owner.token, [["POST", "/v1/opportunities", body(invitee)]]);
    for (const status of ["declined", "rejected", "applied"] as const) {
      const tenant = await createTenant(`ten-${status}`);
      await insertApplication(program.uuid, tenant, status);
      const reply = await call("POST", "/v1/opportunities", { token: tenant.people.owner.token, body: body(tenant) });
      expect(reply.status, status).toBe(403);
      expect(reply.body.error.message).toContain(status);
    }
  });

  it("an invited organisation reaches neither the deliverer's opportunities nor their units (404)", async () => {
    await expectAll(404, invitee.people.owner.token, opportunityRoutes(managed, units.managed));
  });
});

describe("ids of one resource used as another", () => {
  const as = (prefix: string, made: Made) => `${prefix}_${made.id.split("_")[1]}`;

  it("a payment unit's uuid as a deliver unit's, an opportunity's as a program's: 404, never another row", async () => {
    const token = deliverer.people.owner.token;
    for (const path of [
      `/v1/deliver-units/${as("du", units.managed.payment)}`,
      `/v1/payment-units/${as("pu", units.managed.deliver)}`,
      `/v1/payment-units/${as("pu", managed)}`,
      `/v1/programs/${as("prg", managed)}`,
      `/v1/opportunities/${as("opp", program)}`,
      `/v1/program-applications/${as("papp", program)}`,
      `/v1/payment-units?opportunity_id=${as("opp", units.managed.payment)}`,
    ]) {
      const reply = await call("GET", path, { token });
      expect(reply.status, path).toBe(404);
    }
  });

  it("a cursor naming another tenant's row continues the caller's own list only", async () => {
    const token = stranger.people.owner.token;
    const cursor = btoa(JSON.stringify({ after: "00000000-0000-7000-8000-000000000000" }))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    const reply = await call("GET", `/v1/opportunities?organisation_id=${stranger.id}&cursor=${cursor}`, { token });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual([]);
    const forged = await call("GET", `/v1/payment-units?opportunity_id=${managed.id}&cursor=${cursor}`, { token });
    expect(forged.status).toBe(404);
  });
});
