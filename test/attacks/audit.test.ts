// The audit trail under attack: the whole flow through the API, each successful write leaving exactly one event
// with a diff (in the acting organisation's trail), and each refused write leaving none and changing nothing.
import { beforeAll, describe, expect, it } from "vitest";
import {
  auditEventsOf,
  call,
  createTenant,
  deliveryType,
  platformAdminToken,
  type Reply,
  snapshot,
  type Tenant,
} from "../harness";

let funder: Tenant;
let deliverer: Tenant;

beforeAll(async () => {
  [funder, deliverer] = await Promise.all([createTenant("audit-funder"), createTenant("audit-deliverer")]);
  await deliveryType("test-delivery");
});

/** Exactly one event, of `action`, with a diff, recorded in `tenant`'s trail (or the platform's). */
async function audited(reply: Reply, action: string, tenant: Tenant | null) {
  expect(reply.status, reply.text).toBeLessThan(300);
  const events = await auditEventsOf(reply);
  expect(
    events.map((event) => event.action),
    action,
  ).toEqual([action]);
  const [event] = events;
  expect(Object.keys(event!.changes).length, `${action} has a diff`).toBeGreaterThan(0);
  if (tenant) expect(event!.organisationId).toBe(tenant.uuid);
  return reply.body;
}

/** A refusal: the expected status, no event, and neither organisation changed. */
async function refused(status: number, send: () => Promise<Reply>) {
  const before = [await snapshot(funder.uuid), await snapshot(deliverer.uuid)];
  const reply = await send();
  expect(reply.status, reply.text).toBe(status);
  expect(await auditEventsOf(reply)).toEqual([]);
  expect([await snapshot(funder.uuid), await snapshot(deliverer.uuid)]).toEqual(before);
}

describe("the whole flow, write by write", () => {
  it("audits each write once with a diff, and each refusal not at all", async () => {
    const f = funder.people.owner.token;
    const d = deliverer.people.owner.token;
    const admin = await platformAdminToken();
    await audited(
      await call("PATCH", `/v1/platform/organisations/${funder.id}`, { token: admin, body: { program_manager: true } }),
      "organisation.updated",
      funder,
    );
    const programBody = {
      organisation_id: funder.id,
      name: "Audited program",
      delivery_type: "test-delivery",
      currency: "EUR",
      country: "DE",
      budget: "1000.00",
      start_date: "2026-01-01",
      end_date: "2027-12-31",
    };
    const program = await audited(
      await call("POST", "/v1/programs", { token: f, body: programBody }),
      "program.created",
      funder,
    );
    // A manager without global access: the program and its grant are one event.
    await audited(
      await call("POST", "/v1/programs", { token: funder.people.manager.token, body: { ...programBody, name: "m" } }),
      "program.created",
      funder,
    );
    await refused(400, () => call("PATCH", `/v1/programs/${program.id}`, { token: f, body: { budget: "1.001" } }));
    await audited(
      await call("PATCH", `/v1/programs/${program.id}`, { token: f, body: { budget: "900.00" } }),
      "program.updated",
      funder,
    );
    const unchanged = await call("PATCH", `/v1/programs/${program.id}`, { token: f, body: { budget: "900.00" } });
    expect(await auditEventsOf(unchanged)).toEqual([]);

    const application = await audited(
      await call("POST", "/v1/program-applications", {
        token: f,
        body: { program_id: program.id, organisation_id: deliverer.id },
      }),
      "program_application.invited",
      funder,
    );
    await refused(409, () =>
      call("POST", "/v1/program-applications", {
        token: f,
        body: { program_id: program.id, organisation_id: deliverer.id },
      }),
    );
    await refused(403, () => call("POST", `/v1/program-applications/${application.id}:accept`, { token: d }));
    await audited(
      await call("POST", `/v1/program-applications/${application.id}:apply`, { token: d }),
      "program_application.applied",
      deliverer,
    );
    await refused(409, () => call("POST", `/v1/program-applications/${application.id}:apply`, { token: d }));
    await audited(
      await call("POST", `/v1/program-applications/${application.id}:accept`, { token: f }),
      "program_application.accepted",
      funder,
    );

    const managedBody = {
      organisation_id: deliverer.id,
      program_id: program.id,
      name: "Audited survey",
      start_date: "2026-03-01",
      end_date: "2027-06-30",
      total_budget: "600.00",
      work_environment: "remote",
      min_hours_per_week: 4,
    };
    await refused(400, () =>
      call("POST", "/v1/opportunities", { token: d, body: { ...managedBody, total_budget: "900.01" } }),
    );
    const opportunity = await audited(
      await call("POST", "/v1/opportunities", { token: d, body: managedBody }),
      "opportunity.created",
      deliverer,
    );
    await refused(409, () => call("PATCH", `/v1/programs/${program.id}`, { token: f, body: { budget: "599.99" } }));
    await refused(409, () => call("PATCH", `/v1/programs/${program.id}`, { token: f, body: { currency: "USD" } }));
    await refused(409, () =>
      call("PATCH", `/v1/opportunities/${opportunity.id}`, { token: d, body: { status: "open" } }),
    );
    const unitBody = { opportunity_id: opportunity.id, name: "Survey", amount: "2.50", max_total: 10, max_daily: 2 };
    const parent = await audited(
      await call("POST", "/v1/payment-units", { token: d, body: unitBody }),
      "payment_unit.created",
      deliverer,
    );
    // The program's side manages the units too; its event is in its own trail.
    const child = await audited(
      await call("POST", "/v1/payment-units", {
        token: f,
        body: { ...unitBody, name: "Follow-up", parent_payment_unit_id: parent.id },
      }),
      "payment_unit.created",
      funder,
    );
    await refused(400, () =>
      call("PATCH", `/v1/payment-units/${parent.id}`, { token: d, body: { parent_payment_unit_id: child.id } }),
    );
    const deliver = await audited(
      await call("POST", "/v1/deliver-units", {
        token: d,
        body: { opportunity_id: opportunity.id, name: "Form", slug: "form", payment_unit_id: child.id },
      }),
      "deliver_unit.created",
      deliverer,
    );
    await refused(409, () => call("DELETE", `/v1/payment-units/${child.id}`, { token: d }));
    await audited(
      await call("PATCH", `/v1/deliver-units/${deliver.id}`, { token: d, body: { optional: true } }),
      "deliver_unit.updated",
      deliverer,
    );
    await audited(
      await call("PATCH", `/v1/opportunities/${opportunity.id}`, {
        token: d,
        body: { status: "open", visibility: "public" },
      }),
      "opportunity.status_changed",
      deliverer,
    );
    await refused(409, () => call("DELETE", `/v1/opportunities/${opportunity.id}`, { token: d }));
    await refused(409, () =>
      call("PATCH", `/v1/opportunities/${opportunity.id}`, { token: d, body: { status: "draft" } }),
    );
    await audited(
      await call("PATCH", `/v1/opportunities/${opportunity.id}`, { token: f, body: { status: "on_hold" } }),
      "opportunity.status_changed",
      funder,
    );
    await audited(
      await call("PUT", `/v1/members/${deliverer.people.viewer.memberId}/access`, {
        token: d,
        body: { programs: [program.id] },
      }),
      "member.access_replaced",
      deliverer,
    );
    const again = await call("PUT", `/v1/members/${deliverer.people.viewer.memberId}/access`, {
      token: d,
      body: { programs: [program.id, program.id] },
    });
    expect(again.status).toBe(200);
    expect(await auditEventsOf(again)).toEqual([]);
    await audited(
      await call("PATCH", `/v1/opportunities/${opportunity.id}`, { token: d, body: { status: "closed" } }),
      "opportunity.status_changed",
      deliverer,
    );
    await refused(409, () => call("PATCH", `/v1/opportunities/${opportunity.id}`, { token: d, body: { name: "x" } }));
  });
});
