// The `sms_invitations` gate on every path that sends an invitation by SMS: one invitation, a bulk row, the
// webhook's invitation.create, and a resend (by the API or the webhook's invitation.send) after a downgrade. Email
// goes on as before; what a refusal would have written is not written.
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, platformAdminToken, type Reply, type Tenant } from "../harness";
import { invitationRow, newEmail, newPhone } from "../invitations/helpers";
import { deliverWebhook } from "../webhooks/helpers";

/** Free, with room for invitations, so only the feature refuses. */
const ROOMY_FREE = { plan: "free" as const, planOverrides: { quotas: { members: 50 } } };

const invite = (tenant: Tenant, invitee: { email?: string; phone?: string }) =>
  call("POST", "/v1/invitations", {
    token: tenant.people.owner.token,
    body: { organisation_id: tenant.id, role_id: tenant.roleIds.member, ...invitee },
  });

const resend = (tenant: Tenant, id: string) =>
  call("POST", `/v1/invitations/${id}:resend`, { token: tenant.people.owner.token });

function expectSmsRefused(reply: Reply) {
  expect(reply.status, reply.text).toBe(403);
  expect(reply.body.error).toMatchObject({ code: "feature_not_in_plan", feature: "sms_invitations", plan: "free" });
  expect(reply.body.error.message).toContain("invitations by phone, sent as SMS");
}

const invitationsOfPhone = async (tenant: Tenant, e164: string) => {
  const listed = await call("GET", `/v1/invitations?organisation_id=${tenant.id}`, {
    token: tenant.people.owner.token,
  });
  expect(listed.status, listed.text).toBe(200);
  return listed.body.data.filter((row: { phone: string | null }) => row.phone === e164);
};

describe("on free, nothing is sent by SMS", () => {
  let free: Tenant;
  beforeAll(async () => {
    free = await createTenant("sms-free", ROOMY_FREE);
  });

  it("an invitation by phone is 403 and is not saved; one by email is 201", async () => {
    const phone = newPhone();
    expectSmsRefused(await invite(free, { phone: phone.typed }));
    expect(await invitationsOfPhone(free, phone.e164)).toEqual([]);
    expect((await invite(free, { email: newEmail("sms-free") })).status).toBe(201);
  });

  it("a bulk row by phone is refused on its row with the feature; the email rows are created", async () => {
    const phone = newPhone();
    const reply = await call("POST", "/v1/invitations:bulk", {
      token: free.people.owner.token,
      body: {
        organisation_id: free.id,
        invitations: [
          { email: newEmail("sms-bulk"), role_id: free.roleIds.member },
          { phone: phone.typed, role_id: free.roleIds.member },
        ],
      },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ created: 1, failed: 1 });
    expect(reply.body.results[1]).toMatchObject({
      status: "error",
      error: { code: "feature_not_in_plan", feature: "sms_invitations", plan: "free" },
    });
    expect(await invitationsOfPhone(free, phone.e164)).toEqual([]);
  });

  it("the webhook's invitation.create by phone is 403", async () => {
    const phone = newPhone();
    const reply = await deliverWebhook({
      type: "invitation.create",
      data: { organisation_id: free.id, phone: phone.typed, role_id: free.roleIds.member },
    });
    expectSmsRefused(reply);
    expect(await invitationsOfPhone(free, phone.e164)).toEqual([]);
  });
});

describe("a plan that loses sms_invitations keeps its SMS invitations but sends no more", () => {
  let tenant: Tenant;
  let bySms: string;
  let byEmail: string;
  beforeAll(async () => {
    tenant = await createTenant("sms-downgrade", { plan: "pro" });
    const sms = await invite(tenant, { phone: newPhone().typed });
    const email = await invite(tenant, { email: newEmail("sms-downgrade") });
    expect([sms.status, email.status], sms.text).toEqual([201, 201]);
    bySms = sms.body.id;
    byEmail = email.body.id;
    const downgraded = await call("PATCH", `/v1/platform/organisations/${tenant.id}`, {
      token: await platformAdminToken(),
      body: { plan: "free", overrides: ROOMY_FREE.planOverrides },
    });
    expect(downgraded.status, downgraded.text).toBe(200);
  });

  it(":resend of the SMS invitation is 403 and changes nothing: same code, same expiry, same count", async () => {
    const before = await invitationRow(bySms);
    expectSmsRefused(await resend(tenant, bySms));
    const after = await invitationRow(bySms);
    expect(after).toMatchObject({
      status: "pending",
      codeHash: before.codeHash,
      sendCount: before.sendCount,
      expiresAt: before.expiresAt,
    });
  });

  it("the webhook's invitation.send of it is 403 too", async () => {
    const before = await invitationRow(bySms);
    expectSmsRefused(await deliverWebhook({ type: "invitation.send", data: { invitation_id: bySms } }));
    expect((await invitationRow(bySms)).codeHash).toBe(before.codeHash);
  });

  it("an email invitation is resent as before", async () => {
    const reply = await resend(tenant, byEmail);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.send_count).toBe(2);
  });
});
