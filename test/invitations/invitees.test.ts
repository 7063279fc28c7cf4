// Who the invitee is (email, phone, verified or not) and who may be invited at all.

import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  codeIn,
  createTenant,
  invitationsTo,
  invitationTrail,
  mailFor,
  personToken,
  snapshot,
  type Tenant,
} from "../harness";
import { answer, invitationRow, invite, inviteWithCode, lookup, membershipsOf, newEmail, newPhone } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("invitations");
});

describe("the invitee's identity", () => {
  it("a person signed in with another email gets 409 invitee_mismatch on accept and decline; the invitation stays pending", async () => {
    const { id, code } = await inviteWithCode(tenant);
    const stranger = await personToken({ email: newEmail("stranger") });
    for (const verb of ["accept", "decline"] as const) {
      const reply = await answer(verb, code, stranger);
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe("invitee_mismatch");
    }
    expect((await invitationRow(id)).status).toBe("pending");
    expect((await lookup(code)).status).toBe(200);
    expect((await invitationTrail(tenant, id)).map((event) => event.action)).toEqual(["invitation.created"]);
  });

  it("the invitee's own email, unverified (email_verified false), is 409 invitee_mismatch", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    const unverified = await personToken({ email, claims: { email_verified: false } });
    const reply = await answer("accept", code, unverified);
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("invitee_mismatch");
    expect((await invitationRow(id)).status).toBe("pending");
    expect(await membershipsOf(tenant, email)).toBe(0);
  });

  it("the invitee's email in another letter case (verified) still matches", async () => {
    const { code, email } = await inviteWithCode(tenant);
    const reply = await answer("accept", code, await personToken({ email: email.toUpperCase() }));
    expect(reply.status).toBe(200);
    expect(reply.body.user.email).toBe(email);
  });

  it("an invitee addressed by phone gets an SMS; an unverified phone is 409 invitee_mismatch, a verified one accepts", async () => {
    const phone = newPhone();
    const created = await invite(tenant, { phone: phone.typed });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phone: phone.e164, email: null, delivery: "sms", delivery_status: "sent" });
    const sms = await mailFor(phone.e164);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.channel).toBe("sms");
    const code = codeIn(sms[0]!);

    const someone = newEmail("phone-owner");
    const unverified = await personToken({
      email: someone,
      claims: { phone_number: phone.e164, phone_number_verified: false },
    });
    const refused = await answer("accept", code, unverified);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("invitee_mismatch");
    expect((await invitationRow(created.body.id)).status).toBe("pending");

    const otherPhone = await personToken({
      email: someone,
      claims: { phone_number: newPhone().e164, phone_number_verified: true },
    });
    expect((await answer("accept", code, otherPhone)).body.error?.code).toBe("invitee_mismatch");

    const verified = await personToken({
      email: someone,
      claims: { phone_number: phone.e164, phone_number_verified: true },
    });
    const accepted = await answer("accept", code, verified);
    expect(accepted.status).toBe(200);
    expect(accepted.body.role.key).toBe("member");
    expect(await membershipsOf(tenant, someone)).toBe(1);
  });

  it("phone numbers are normalised to E.164; an invalid one is 400 naming the phone field and stores nothing", async () => {
    const phone = newPhone();
    const created = await invite(tenant, { phone: phone.typed.replaceAll(" ", "-"), delivery: "none" });
    expect(created.status).toBe(201);
    expect(created.body.phone).toBe(phone.e164);
    const listed = await call(
      "GET",
      `/v1/invitations?organisation_id=${tenant.id}&phone=${encodeURIComponent(phone.e164)}`,
      {
        token: tenant.people.viewer.token,
      },
    );
    expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([created.body.id]);

    for (const bad of ["+44 12", "not a phone", "+999 1234 5678"]) {
      const reply = await invite(tenant, { phone: bad });
      expect(reply.status, bad).toBe(400);
      expect(reply.body.error.code).toBe("validation_error");
      expect(reply.body.error.fields).toHaveProperty("phone");
    }
  });

  it("a phone number with an extension, letters or other text the parser would drop is 400 and stores nothing", async () => {
    const phone = newPhone();
    const before = await snapshot(tenant.uuid);
    for (const withExtension of [
      `${phone.typed} ext 5`,
      `${phone.typed} x5`,
      `${phone.e164};ext=5`,
      `${phone.typed} #5`,
    ]) {
      const reply = await invite(tenant, { phone: withExtension, delivery: "none" });
      expect(reply.status, withExtension).toBe(400);
      expect(reply.body.error.code).toBe("validation_error");
      expect(reply.body.error.fields.phone.join(" ")).toContain("must not have an extension");
    }
    const lossy = [
      "+1-800-FLOWERS",
      `${phone.e164}abc`,
      `${phone.typed} (home)`,
      `tel:${phone.e164}`,
      `Phone: ${phone.e164}`,
    ];
    for (const rewritten of lossy) {
      const reply = await invite(tenant, { phone: rewritten, delivery: "none" });
      expect(reply.status, rewritten).toBe(400);
      expect(reply.body.error.code).toBe("validation_error");
      expect(reply.body.error.fields).toHaveProperty("phone");
    }
    expect(await snapshot(tenant.uuid)).toEqual(before);

    // The bracketed trunk prefix is a way of writing the same number, not information the parser drops.
    const trunk = await invite(tenant, { phone: phone.typed.replace("+44 ", "+44 (0)"), delivery: "none" });
    expect(trunk.status).toBe(201);
    expect(trunk.body.phone).toBe(phone.e164);
  });

  it("the phone number the API suggests in its validation message is accepted", async () => {
    const invalid = await invite(tenant, { phone: "+44 12", delivery: "none" });
    const suggested = /e\.g\. (\+\d+)/.exec(invalid.body.error.fields.phone.join(" "))?.[1];
    expect(suggested).toMatch(/^\+\d{8,15}$/);
    const reply = await invite(tenant, { phone: suggested, delivery: "none" });
    expect(reply.status).toBe(201);
    expect(reply.body.phone).toBe(suggested);
  });

  it("an invitation needs exactly one of email and phone (400 otherwise)", async () => {
    const both = await invite(tenant, { email: newEmail(), phone: newPhone().typed });
    expect(both.status).toBe(400);
    expect(both.body.error.fields).toHaveProperty("non_field_errors");
    const neither = await invite(tenant, {});
    expect(neither.status).toBe(400);
    expect(neither.body.error.fields).toHaveProperty("non_field_errors");
  });

  it("a service account's token cannot accept an invitation (403)", async () => {
    const { id, code } = await inviteWithCode(tenant);
    const reply = await answer("accept", code, tenant.serviceAccount.token);
    expect(reply.status).toBe(403);
    expect((await invitationRow(id)).status).toBe("pending");
  });
});

describe("who may be invited", () => {
  it("inviting an existing member is 409 with the membership as existing_id", async () => {
    const reply = await invite(tenant, { email: tenant.people.viewer.email });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("conflict");
    expect(reply.body.error.existing_id).toBe(tenant.people.viewer.memberId);
    expect(await invitationsTo(tenant, tenant.people.viewer.email)).toBe(0);
  });

  it("inviting someone with a pending invitation, in any letter case, is 409 with that invitation as existing_id", async () => {
    const { id, email } = await inviteWithCode(tenant);
    const again = await invite(tenant, { email: email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.error.existing_id).toBe(id);
    expect(await invitationsTo(tenant, email)).toBe(1);
    expect(await mailFor(email)).toHaveLength(0);
  });

  it("once the pending invitation is cancelled, the same person can be invited again", async () => {
    const { id, email } = await inviteWithCode(tenant);
    await call("POST", `/v1/invitations/${id}:cancel`, { token: tenant.people.manager.token });
    const again = await invite(tenant, { email, delivery: "none" });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
  });

  it("the same person may hold pending invitations from two organisations", async () => {
    const other = await createTenant("invitations-second");
    const { email } = await inviteWithCode(tenant);
    const reply = await invite(other, { email, delivery: "none" });
    expect(reply.status).toBe(201);
  });
});
