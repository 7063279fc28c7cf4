// Inviting people to an opportunity by phone: a result per number, the states that refuse it, either side of a
// managed opportunity, the audit trail, and two batches racing for one number.

import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { invitations } from "../../schema";
import {
  auditTrail,
  call,
  createTenant,
  insertApplication,
  insertOpportunity,
  insertProgram,
  mailFor,
  snapshot,
  type Tenant,
  withDb,
} from "../harness";
import { makeOverdue } from "../invitations/helpers";
import { invitationUuid, inviteTo, newPhone, sendQueued } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("workers");
});

const pendingTo = (opportunityUuid: string, phone: string) =>
  withDb((db) =>
    db
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.opportunityId, opportunityUuid),
          eq(invitations.phone, phone),
          eq(invitations.status, "pending"),
        ),
      ),
  );

describe("inviting people to an opportunity by phone", () => {
  it("three numbers (one invalid) and a duplicate: a result per number in order, one invitation and one SMS each", async () => {
    const opportunity = await insertOpportunity(tenant, { status: "open" });
    const [first, second] = [newPhone(), newPhone()];
    const reply = await inviteTo(
      opportunity.id,
      {
        phone_numbers: [first.typed, "+999 1234 5678", second.e164, first.e164.replace("+44", "+44 ")],
        custom_message: "See you Saturday",
      },
      tenant.people.manager.token,
    );
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({
      object: "opportunity_invite_result",
      opportunity_id: opportunity.id,
      invited: 2,
    });
    const results = reply.body.results;
    expect(results.map((r: { status: string }) => r.status)).toEqual(["invited", "invalid", "invited", "invited"]);
    expect(results.map((r: { phone: string }) => r.phone)).toEqual([
      first.e164,
      "+999 1234 5678",
      second.e164,
      first.e164,
    ]);
    expect(results[1].error).toMatch(/valid phone number/);
    expect(results[1].invitation_id).toBeUndefined();
    // The duplicate reports the one invitation made for its number.
    expect(results[3].invitation_id).toBe(results[0].invitation_id);

    for (const phone of [first, second]) {
      const rows = await pendingTo(opportunity.uuid, phone.e164);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        organisationId: tenant.uuid,
        roleId: null,
        delivery: "sms",
        customMessage: "See you Saturday",
      });
    }
    await sendQueued(results[0].invitation_id);
    const sms = await mailFor(first.e164);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain("invited you to work on");
    expect(sms[0]!.text).toContain("See you Saturday");

    const invitation = await call("GET", `/v1/invitations/${results[2].invitation_id}`, {
      token: tenant.people.viewer.token,
    });
    expect(invitation.body).toMatchObject({ opportunity_id: opportunity.id, role: null, phone: second.e164 });
  });

  it("inviting a number again while its invitation is pending reports already_invited and sends nothing", async () => {
    const opportunity = await insertOpportunity(tenant);
    const phone = newPhone();
    const first = await inviteTo(opportunity.id, { phone_numbers: [phone.e164] }, tenant.people.owner.token);
    const again = await inviteTo(opportunity.id, { phone_numbers: [phone.typed] }, tenant.people.owner.token);
    expect(again.status).toBe(200);
    expect(again.body.invited).toBe(0);
    expect(again.body.results).toEqual([
      { phone: phone.e164, status: "already_invited", invitation_id: first.body.results[0].invitation_id },
    ]);
    expect(await pendingTo(opportunity.uuid, phone.e164)).toHaveLength(1);
  });

  it("an overdue invitation no longer counts: the number is invited afresh, the old one shows as expired", async () => {
    const opportunity = await insertOpportunity(tenant);
    const phone = newPhone();
    const first = await inviteTo(opportunity.id, { phone_numbers: [phone.e164] }, tenant.people.owner.token);
    const oldId: string = first.body.results[0].invitation_id;
    await makeOverdue(oldId);
    const again = await inviteTo(opportunity.id, { phone_numbers: [phone.e164] }, tenant.people.owner.token);
    expect(again.body.results[0].status).toBe("invited");
    expect(again.body.results[0].invitation_id).not.toBe(oldId);
    const roster = await call("GET", `/v1/opportunities/${opportunity.id}/workers`, {
      token: tenant.people.owner.token,
    });
    expect(roster.body.data.map((entry: { status: string }) => entry.status)).toEqual(["expired", "invited"]);
  });

  it("a hundred numbers at once: a hundred invitations, messages and audit events, in one transaction", async () => {
    const opportunity = await insertOpportunity(tenant);
    const phones = Array.from({ length: 100 }, (_, i) => `+4474009${String(i).padStart(5, "0")}`);
    const reply = await inviteTo(opportunity.id, { phone_numbers: phones }, tenant.people.owner.token);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.invited).toBe(100);
    const ids = new Set(reply.body.results.map((r: { invitation_id: string }) => invitationUuid(r.invitation_id)));
    expect(ids.size).toBe(100);
    const events = (await auditTrail(tenant.uuid)).filter((event) => ids.has(event.resourceId));
    expect(events).toHaveLength(100);
    expect(new Set(events.map((event) => event.requestId)).size).toBe(1);
  });

  it("an opportunity that has ended is 400 opportunity_ended, and one that is not open is 409; nothing is written", async () => {
    const ended = await insertOpportunity(tenant, { startDate: "2020-01-01", endDate: "2020-12-31" });
    const before = await snapshot(tenant.uuid);
    const refused = await inviteTo(ended.id, { phone_numbers: [newPhone().e164] }, tenant.people.owner.token);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("opportunity_ended");
    expect(refused.body.error.message).toContain("2020-12-31");
    for (const status of ["draft", "on_hold", "closed", "filled"] as const) {
      const opportunity = await insertOpportunity(tenant, { status });
      const reply = await inviteTo(opportunity.id, { phone_numbers: [newPhone().e164] }, tenant.people.owner.token);
      expect(reply.status, status).toBe(409);
      expect(reply.body.error).toMatchObject({ code: "conflict", status });
    }
    // Ended and closed: the end date is the reason given.
    const both = await insertOpportunity(tenant, { status: "closed", startDate: "2020-01-01", endDate: "2020-01-02" });
    expect((await inviteTo(both.id, { phone_numbers: [newPhone().e164] }, tenant.people.owner.token)).status).toBe(400);
    const after = await snapshot(tenant.uuid);
    expect({ ...after, opportunities: 0 }).toEqual({ ...before, opportunities: 0 });
  });

  it("an opportunity ending today still takes invitations; the list is 1 to 100 numbers, each a string", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const opportunity = await insertOpportunity(tenant, { startDate: "2020-01-01", endDate: today });
    const ok = await inviteTo(opportunity.id, { phone_numbers: [newPhone().e164] }, tenant.people.owner.token);
    expect(ok.status, ok.text).toBe(200);
    for (const phone_numbers of [[], Array.from({ length: 101 }, () => newPhone().e164), [447400123456]]) {
      const reply = await inviteTo(opportunity.id, { phone_numbers }, tenant.people.owner.token);
      expect(reply.status).toBe(400);
      expect(reply.body.error.fields).toHaveProperty(phone_numbers.length === 1 ? "phone_numbers.0" : "phone_numbers");
    }
  });

  it("each new invitation writes one invitation.created in the delivering organisation, by the inviter", async () => {
    const opportunity = await insertOpportunity(tenant);
    const phones = [newPhone(), newPhone()];
    const reply = await inviteTo(
      opportunity.id,
      { phone_numbers: phones.map((p) => p.e164) },
      tenant.people.admin.token,
    );
    const ids = reply.body.results.map((r: { invitation_id: string }) => invitationUuid(r.invitation_id));
    const events = (await auditTrail(tenant.uuid)).filter((event) => ids.includes(event.resourceId));
    expect(events.map((event) => event.action)).toEqual(["invitation.created", "invitation.created"]);
    expect(events[0]).toMatchObject({ actorType: "user", actorEmail: tenant.people.admin.email });
    expect(events[0]!.requestId).toBe(events[1]!.requestId);
    expect(events[0]!.changes).toMatchObject({
      opportunity_id: { old: null, new: opportunity.id },
      phone: { old: null, new: phones[0]!.e164 },
    });
  });

  it("a managed opportunity takes invitations from its program's organisation too; they live with the deliverer", async () => {
    const funder = await createTenant("funder");
    const program = await insertProgram(funder);
    await insertApplication(program.uuid, tenant, "accepted");
    const opportunity = await insertOpportunity(tenant, {
      programId: program.uuid,
      currency: "EUR",
      country: "DE",
    });
    const phone = newPhone();
    const reply = await inviteTo(opportunity.id, { phone_numbers: [phone.e164] }, funder.people.admin.token);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.results[0].status).toBe("invited");
    const [row] = await pendingTo(opportunity.uuid, phone.e164);
    expect(row!.organisationId).toBe(tenant.uuid);
    const events = (await auditTrail(tenant.uuid)).filter((event) => event.resourceId === row!.id);
    expect(events).toMatchObject([{ action: "invitation.created", actorEmail: funder.people.admin.email }]);
  });

  it("two batches racing for one number make one invitation: one says invited, the other already_invited", async () => {
    for (let round = 0; round < 6; round++) {
      const opportunity = await insertOpportunity(tenant);
      const phone = newPhone();
      const replies = await Promise.all(
        [tenant.people.owner.token, tenant.people.manager.token].map((token) =>
          inviteTo(opportunity.id, { phone_numbers: [phone.e164, newPhone().e164] }, token),
        ),
      );
      expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
      const statuses = replies.map((reply) => reply.body.results[0].status).sort();
      expect(statuses).toEqual(["already_invited", "invited"]);
      expect(replies[0]!.body.results[0].invitation_id).toBe(replies[1]!.body.results[0].invitation_id);
      expect(await pendingTo(opportunity.uuid, phone.e164)).toHaveLength(1);
    }
  });
});
