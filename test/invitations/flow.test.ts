// Invitations end to end: invite, look up, accept or decline; cancel, resend and list.

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/background";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { invitations, outboxMessages } from "../../schema";
import {
  call,
  codeIn,
  createTenant,
  invitationTrail,
  mailFor,
  personToken,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "../harness";
import {
  answer,
  cronEnv,
  DEAD_PROVIDER,
  invitationRow,
  invite,
  inviteWithCode,
  lookup,
  membershipsOf,
  newEmail,
  outboxOf,
  uuidOf,
} from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("invitations");
});

describe("the invitation flow", () => {
  it("a manager invites by email; the invitee takes the code from the email, looks it up, accepts and becomes a member", async () => {
    const email = newEmail();
    const created = await invite(tenant, { email, custom_message: "Welcome aboard" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: "invitation",
      organisation_id: tenant.id,
      email,
      phone: null,
      status: "pending",
      delivery: "email",
      delivery_status: "sent",
      send_count: 1,
      custom_message: "Welcome aboard",
      inviter: { type: "user", id: tenant.people.manager.userId },
      role: { key: "member" },
    });
    expect(created.body.code).toBeUndefined();
    expect(created.body.last_sent_at).not.toBeNull();

    const mail = await mailFor(email);
    expect(mail).toHaveLength(1);
    const [outbox] = await outboxOf(created.body.id);
    expect(mail[0]!.idempotencyKey).toBe(outbox!.id);
    expect(outbox!.status).toBe("sent");
    expect(mail[0]!.subject).toContain(tenant.name);
    expect(mail[0]!.text).toContain("Welcome aboard");
    const code = codeIn(mail[0]!);

    const preview = await lookup(code);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      object: "invitation_preview",
      organisation: { name: tenant.name },
      inviter: { name: created.body.inviter.name },
      role: { name: "Member" },
      opportunity: null,
      status: "pending",
      answerable: true,
      expires_at: created.body.expires_at,
    });
    expect(created.body.inviter.name).toBe(tenant.people.manager.email.split("@")[0]);

    const accepted = await answer("accept", code, await personToken({ email }));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      object: "member",
      organisation_id: tenant.id,
      user: { email },
      role: { key: "member" },
    });
    expect(await membershipsOf(tenant, email)).toBe(1);

    const member = await call("GET", `/v1/members/${accepted.body.id}`, { token: tenant.people.viewer.token });
    expect(member.status).toBe(200);
    expect(member.body.user.email).toBe(email);

    const after = await call("GET", `/v1/invitations/${created.body.id}`, { token: tenant.people.viewer.token });
    expect(after.body).toMatchObject({ status: "accepted", accepted_by: accepted.body.user.id });
    expect(after.body.accepted_at).not.toBeNull();
    expect((await lookup(code)).body).toMatchObject({ status: "accepted", answerable: false });

    const trail = await invitationTrail(tenant, created.body.id);
    expect(trail.map((event) => event.action)).toEqual(["invitation.created", "invitation.accepted"]);
    expect(trail[0]).toMatchObject({
      actorType: "user",
      actorId: parseTypeId(ID_PREFIX.user, tenant.people.manager.userId),
      actorEmail: tenant.people.manager.email,
    });
    expect(trail[1]).toMatchObject({
      actorType: "user",
      actorId: parseTypeId(ID_PREFIX.user, accepted.body.user.id),
      actorEmail: email,
    });
    expect(trail[1]!.changes.member_id).toEqual({ old: null, new: accepted.body.id });
    expect(trail[1]!.changes.status).toEqual({ old: "pending", new: "accepted" });
  });

  it("an unknown code is 404 on lookup, accept and decline", async () => {
    const code = `unknown-${uniqueSuffix()}${uniqueSuffix()}`;
    expect((await lookup(code)).status).toBe(404);
    const token = await personToken({ email: newEmail() });
    const accepted = await answer("accept", code, token);
    expect(accepted.status).toBe(404);
    expect(accepted.body.error.code).toBe("not_found");
    expect((await answer("decline", code, token)).status).toBe(404);
  });

  it("the invitee declines: the invitation is declined, no membership is made, the code stops working, audited as the invitee", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    const declined = await answer("decline", code, await personToken({ email }));
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ id, status: "declined", accepted_by: null });
    expect(declined.body.declined_at).not.toBeNull();
    expect(await membershipsOf(tenant, email)).toBe(0);
    expect((await lookup(code)).body).toMatchObject({ status: "declined", answerable: false });
    const again = await answer("accept", code, await personToken({ email }));
    expect(again.status).toBe(409);
    expect(await membershipsOf(tenant, email)).toBe(0);
    const trail = await invitationTrail(tenant, id);
    expect(trail.map((event) => event.action)).toEqual(["invitation.created", "invitation.declined"]);
    expect(trail[1]).toMatchObject({ actorType: "user", actorEmail: email });
  });

  it("a manager cancels a pending invitation: its code stops working, accept is refused, a second cancel is 409", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    const cancelled = await call("POST", `/v1/invitations/${id}:cancel`, { token: tenant.people.manager.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect(cancelled.body.cancelled_at).not.toBeNull();
    expect((await lookup(code)).body).toMatchObject({ status: "cancelled", answerable: false });
    const accepted = await answer("accept", code, await personToken({ email }));
    expect(accepted.status).toBe(409);
    expect(await membershipsOf(tenant, email)).toBe(0);
    const twice = await call("POST", `/v1/invitations/${id}:cancel`, { token: tenant.people.manager.token });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("conflict");
    const trail = await invitationTrail(tenant, id);
    expect(trail.map((event) => event.action)).toEqual(["invitation.created", "invitation.cancelled"]);
    expect(trail[1]).toMatchObject({
      actorType: "user",
      actorId: parseTypeId(ID_PREFIX.user, tenant.people.manager.userId),
    });
  });

  it("a manager cancels an invitation whose email has not gone out yet (provider down): it never goes out", async () => {
    const email = newEmail();
    const created = await invite(tenant, { email }, { env: DEAD_PROVIDER });
    expect(created.status).toBe(502);
    const id = created.body.error.invitation_id as string;
    const cancelled = await call("POST", `/v1/invitations/${id}:cancel`, { token: tenant.people.manager.token });
    expect(cancelled.status).toBe(200);
    const [outbox] = await outboxOf(id);
    expect(outbox!.status).toBe("superseded");
    await withDb((db) =>
      db
        .update(outboxMessages)
        .set({ nextAttemptAt: sql`now() - interval '5 minutes'` })
        .where(eq(outboxMessages.invitationId, uuidOf(id))),
    );
    await runCron(cronEnv());
    expect(await mailFor(email)).toHaveLength(0);
  });

  it("a manager resends: a new email with a new code, the old code is 404, the expiry moves out and the send is counted", async () => {
    const email = newEmail();
    const created = await invite(tenant, { email });
    expect(created.status).toBe(201);
    const [first] = await mailFor(email);
    const oldCode = codeIn(first!);
    await withDb((db) =>
      db
        .update(invitations)
        .set({ expiresAt: sql`now() + interval '1 hour'` })
        .where(eq(invitations.id, uuidOf(created.body.id))),
    );

    const resent = await call("POST", `/v1/invitations/${created.body.id}:resend`, {
      token: tenant.people.manager.token,
    });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: "pending", send_count: 2, delivery_status: "sent" });
    expect(resent.body.code).toBeUndefined();
    expect(Date.parse(resent.body.expires_at)).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const mail = await mailFor(email);
    expect(mail).toHaveLength(2);
    const newCode = codeIn(mail[1]!);
    expect(newCode).not.toBe(oldCode);
    expect((await lookup(oldCode)).status).toBe(404);
    const preview = await lookup(newCode);
    expect(preview.status).toBe(200);
    expect(preview.body.expires_at).toBe(resent.body.expires_at);
    expect((await answer("accept", oldCode, await personToken({ email }))).status).toBe(404);

    const trail = await invitationTrail(tenant, created.body.id);
    expect(trail.map((event) => event.action)).toEqual(["invitation.created", "invitation.resent"]);
    expect(trail[1]).toMatchObject({ actorType: "user", actorEmail: tenant.people.manager.email });
    expect(trail[1]!.changes.send_count).toEqual({ old: 1, new: 2 });
    expect(JSON.stringify(trail[1]!.changes)).not.toContain(newCode);
  });

  it("resending an invitation made with delivery none returns a fresh code once; the old code stops working", async () => {
    const { id, code: oldCode, email } = await inviteWithCode(tenant);
    const resent = await call("POST", `/v1/invitations/${id}:resend`, { token: tenant.people.manager.token });
    expect(resent.status).toBe(200);
    expect(typeof resent.body.code).toBe("string");
    expect(resent.body.code).not.toBe(oldCode);
    expect(resent.body.send_count).toBe(0);
    expect((await lookup(oldCode)).status).toBe(404);
    expect((await lookup(resent.body.code)).status).toBe(200);
    expect(await mailFor(email)).toHaveLength(0);
  });

  it("accepted, declined and cancelled invitations cannot be cancelled or resent (409)", async () => {
    const accepted = await inviteWithCode(tenant);
    expect((await answer("accept", accepted.code, await personToken({ email: accepted.email }))).status).toBe(200);
    const declined = await inviteWithCode(tenant);
    expect((await answer("decline", declined.code, await personToken({ email: declined.email }))).status).toBe(200);
    const cancelled = await inviteWithCode(tenant);
    expect(
      (await call("POST", `/v1/invitations/${cancelled.id}:cancel`, { token: tenant.people.manager.token })).status,
    ).toBe(200);
    for (const { id } of [accepted, declined, cancelled]) {
      const before = await invitationRow(id);
      for (const verb of ["cancel", "resend"]) {
        const reply = await call("POST", `/v1/invitations/${id}:${verb}`, { token: tenant.people.manager.token });
        expect(reply.status, `${verb} of ${before.status}`).toBe(409);
        expect(reply.body.error.code).toBe("conflict");
      }
      const after = await invitationRow(id);
      expect(after.status).toBe(before.status);
      expect(after.sendCount).toBe(before.sendCount);
      expect(after.codeHash).toBe(before.codeHash);
    }
  });

  it("a manager lists invitations by status and email; nobody ever sees a code there or on GET", async () => {
    const { id, email } = await inviteWithCode(tenant);
    const listed = await call("GET", `/v1/invitations?organisation_id=${tenant.id}&status=pending&email=${email}`, {
      token: tenant.people.viewer.token,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([id]);
    expect(listed.body.data[0].code).toBeUndefined();
    const one = await call("GET", `/v1/invitations/${id}`, { token: tenant.people.viewer.token });
    expect(one.status).toBe(200);
    expect(one.body.code).toBeUndefined();
    expect(one.body).toMatchObject({ delivery: "none", delivery_status: "not_sent", send_count: 0 });
    expect(await mailFor(email)).toHaveLength(0);
  });
});
