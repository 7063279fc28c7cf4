// The program manager's whole flow, as its users run it, in one test: a program, an organisation invited into
// it that applies and is accepted, a managed opportunity with payment units (one a child) and deliver units,
// opened, people invited by phone (one number invalid), one of them accepting, and the audit trail of it all.

import { beforeAll, describe, expect, it } from "vitest";
import {
  auditTrail,
  call,
  codeIn,
  createTenant,
  deliveryType,
  mailFor,
  personToken,
  type Tenant,
  uniqueSuffix,
} from "../harness";
import { sendQueued } from "../opportunity-workers/helpers";

const PLATFORM_ADMIN = "platform-admin@example.test";
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const newMobile = () => `+4474009${String(Math.floor(Math.random() * 100_000)).padStart(5, "0")}`;

let funder: Tenant;
let partner: Tenant;

beforeAll(async () => {
  [funder, partner] = await Promise.all([createTenant("funder"), createTenant("partner")]);
});

describe("the upstream flow, end to end", () => {
  it("program → application → managed opportunity → units → open → phone invitations → a worker", async () => {
    const admin = await personToken({ email: PLATFORM_ADMIN });
    const marked = await call("PATCH", `/v1/platform/organisations/${funder.id}`, {
      token: admin,
      body: { program_manager: true },
    });
    expect(marked.status, marked.text).toBe(200);

    const type = await deliveryType("flow-delivery");
    const program = await call("POST", "/v1/programs", {
      token: funder.people.owner.token,
      body: {
        organisation_id: funder.id,
        name: `Literacy ${uniqueSuffix()}`,
        delivery_type: type.slug,
        currency: "EUR",
        country: "DE",
        budget: "5000.00",
        start_date: day(-30),
        end_date: day(400),
      },
    });
    expect(program.status, program.text).toBe(201);
    expect(program.body).toMatchObject({ currency: "EUR", budget: "5000.00" });

    const invited = await call("POST", "/v1/program-applications", {
      token: funder.people.owner.token,
      body: { program_id: program.body.id, organisation_id: partner.id },
    });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.body.status).toBe("invited");
    const applied = await call("POST", `/v1/program-applications/${invited.body.id}:apply`, {
      token: partner.people.owner.token,
    });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.status).toBe("applied");
    const accepted = await call("POST", `/v1/program-applications/${invited.body.id}:accept`, {
      token: funder.people.owner.token,
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.status).toBe("accepted");

    const opportunity = await call("POST", "/v1/opportunities", {
      token: partner.people.owner.token,
      body: {
        organisation_id: partner.id,
        program_id: program.body.id,
        name: "Reading mentors",
        short_description: "Read with children once a week",
        visibility: "public",
        start_date: day(0),
        end_date: day(200),
        total_budget: "1200.00",
        work_environment: "remote",
        min_hours_per_week: 2,
      },
    });
    expect(opportunity.status, opportunity.text).toBe(201);
    expect(opportunity.body).toMatchObject({ status: "draft", currency: "EUR", country: "DE", has_ended: false });
    const opportunityId: string = opportunity.body.id;

    const parent = await call("POST", "/v1/payment-units", {
      token: partner.people.owner.token,
      body: { opportunity_id: opportunityId, name: "Session", amount: "25.00", max_total: 40, max_daily: 2 },
    });
    expect(parent.status, parent.text).toBe(201);
    const child = await call("POST", "/v1/payment-units", {
      token: partner.people.owner.token,
      body: {
        opportunity_id: opportunityId,
        name: "Session report",
        amount: "5.00",
        org_amount: "1.50",
        max_total: 40,
        max_daily: 2,
        parent_payment_unit_id: parent.body.id,
      },
    });
    expect(child.status, child.text).toBe(201);
    expect(child.body).toMatchObject({ parent_payment_unit_id: parent.body.id, currency: "EUR", org_amount: "1.50" });
    for (const [slug, paymentUnit] of [
      ["reading-session", parent.body.id],
      ["session-report", child.body.id],
    ]) {
      const unit = await call("POST", "/v1/deliver-units", {
        token: partner.people.owner.token,
        body: { opportunity_id: opportunityId, name: slug, slug, payment_unit_id: paymentUnit },
      });
      expect(unit.status, unit.text).toBe(201);
    }

    const opened = await call("PATCH", `/v1/opportunities/${opportunityId}`, {
      token: partner.people.owner.token,
      body: { status: "open" },
    });
    expect(opened.status, opened.text).toBe(200);
    expect(opened.body.status).toBe("open");
    expect((await call("GET", `/v1/opportunities/${opportunityId}`)).status, "in the public catalog").toBe(200);

    const [first, second] = [newMobile(), newMobile()];
    const invitedPeople = await call("POST", `/v1/opportunities/${opportunityId}:invite`, {
      token: partner.people.owner.token,
      body: { phone_numbers: [first, "not a phone", second] },
    });
    expect(invitedPeople.status, invitedPeople.text).toBe(200);
    expect(invitedPeople.body.results.map((r: { status: string }) => r.status)).toEqual([
      "invited",
      "invalid",
      "invited",
    ]);

    await sendQueued(invitedPeople.body.results[0].invitation_id);
    const [sms] = await mailFor(first);
    expect(sms, "the SMS reached the first number").toBeDefined();
    const worker = await personToken({
      email: `worker-${uniqueSuffix()}@example.test`,
      claims: { phone_number: first, phone_number_verified: true },
    });
    const joined = await call("POST", "/v1/invitations:accept", { token: worker, body: { code: codeIn(sms!) } });
    expect(joined.status, joined.text).toBe(200);

    const workers = await call("GET", `/v1/opportunities/${opportunityId}/workers`, {
      token: partner.people.owner.token,
    });
    expect(workers.status, workers.text).toBe(200);
    const byPhone = new Map(workers.body.data.map((w: { phone: string; status: string }) => [w.phone, w.status]));
    expect(byPhone.get(first)).toBe("accepted");
    expect(byPhone.get(second)).toBe("invited");
    const mine = await call("GET", "/v1/users/me/opportunities", { token: worker });
    expect(mine.body.data.map((o: { id: string }) => o.id)).toEqual([opportunityId]);
    // Access to the opportunity, not membership of the organisation.
    expect((await call("GET", `/v1/organisations/${partner.id}`, { token: worker })).status).toBe(404);

    const actions = async (tenant: Tenant) => (await auditTrail(tenant.uuid)).map((event) => event.action);
    expect(await actions(funder)).toEqual(
      expect.arrayContaining([
        "organisation.updated",
        "program.created",
        "program_application.invited",
        "program_application.accepted",
      ]),
    );
    const partnerActions = await actions(partner);
    expect(partnerActions).toEqual(
      expect.arrayContaining(["program_application.applied", "opportunity.created", "invitation.accepted"]),
    );
    expect(partnerActions.filter((action) => action === "payment_unit.created")).toHaveLength(2);
    expect(partnerActions.filter((action) => action === "deliver_unit.created")).toHaveLength(2);
  });
});
