// Expiry: the scheduled job, overdue invitations it has not marked yet, expires_in_days.

import { beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/background";
import { call, createTenant, invitationTrail, mailFor, personToken, type Tenant } from "../harness";
import {
  answer,
  cronEnv,
  DEAD_PROVIDER,
  invitationRow,
  invite,
  inviteWithCode,
  lookup,
  makeDue,
  makeOverdue,
  membershipsOf,
  newEmail,
  outboxOf,
} from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("invitations");
});

describe("expiry", () => {
  it("the scheduled job expires an overdue invitation: status expired, code no longer answerable, an invitation.expired event by system", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    await makeOverdue(id);
    // Overdue but not yet swept: the code already stops working, and the lookup says it expired.
    const overdue = await lookup(code);
    expect(overdue.status).toBe(200);
    expect(overdue.body).toMatchObject({ status: "expired", answerable: false });
    expect((await answer("accept", code, await personToken({ email }))).status).toBe(404);

    const { expired } = await runCron(cronEnv());
    expect(expired).toBeGreaterThanOrEqual(1);
    const row = await invitationRow(id);
    expect(row.status).toBe("expired");
    expect(row.expiredAt).not.toBeNull();
    const one = await call("GET", `/v1/invitations/${id}`, { token: tenant.people.manager.token });
    expect(one.body.status).toBe("expired");
    expect(await membershipsOf(tenant, email)).toBe(0);

    const trail = await invitationTrail(tenant, id);
    expect(trail.map((event) => event.action)).toEqual(["invitation.created", "invitation.expired"]);
    expect(trail[1]).toMatchObject({ actorType: "system", actorId: null });
    expect(trail[1]!.changes.status).toEqual({ old: "pending", new: "expired" });

    for (const verb of ["cancel", "resend"]) {
      const reply = await call("POST", `/v1/invitations/${id}:${verb}`, { token: tenant.people.manager.token });
      expect(reply.status, verb).toBe(409);
    }
    // A second run does not expire it again.
    await runCron(cronEnv());
    expect((await invitationTrail(tenant, id)).filter((event) => event.action === "invitation.expired")).toHaveLength(
      1,
    );

    // The person can be invited afresh.
    expect((await invite(tenant, { email, delivery: "none" })).status).toBe(201);
  });

  it("an overdue invitation the scheduled job has not marked yet reads as expired, cannot be resent or cancelled, and gives way to a new invitation", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    await makeOverdue(id);
    const one = await call("GET", `/v1/invitations/${id}`, { token: tenant.people.viewer.token });
    expect(one.status).toBe(200);
    expect(one.body.status).toBe("expired");
    const listed = (status: string) =>
      call("GET", `/v1/invitations?organisation_id=${tenant.id}&status=${status}&email=${email}`, {
        token: tenant.people.viewer.token,
      });
    expect((await listed("pending")).body.data).toEqual([]);
    const expired = await listed("expired");
    expect(expired.body.data.map((row: { id: string; status: string }) => [row.id, row.status])).toEqual([
      [id, "expired"],
    ]);

    const before = await invitationRow(id);
    for (const verb of ["resend", "cancel"]) {
      const reply = await call("POST", `/v1/invitations/${id}:${verb}`, { token: tenant.people.manager.token });
      expect(reply.status, verb).toBe(409);
      expect(reply.body.error.code).toBe("conflict");
      expect(reply.body.code).toBeUndefined();
    }
    const after = await invitationRow(id);
    expect(after.status).not.toBe("cancelled");
    expect(after.cancelledAt).toBeNull();
    expect(after.sendCount).toBe(before.sendCount);
    expect(after.codeHash).toBe(before.codeHash);
    expect(after.expiresAt).toEqual(before.expiresAt);
    const actions = (await invitationTrail(tenant, id)).map((event) => event.action);
    expect(actions).not.toContain("invitation.resent");
    expect(actions).not.toContain("invitation.cancelled");
    expect((await lookup(code)).body).toMatchObject({ status: "expired", answerable: false });

    const again = await invite(tenant, { email, delivery: "none" });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
    const old = await invitationRow(id);
    expect(old.status).toBe("expired");
    expect(old.expiredAt).not.toBeNull();
    const trail = await invitationTrail(tenant, id);
    expect(trail.map((event) => event.action)).toEqual(["invitation.created", "invitation.expired"]);
    expect(trail[1]).toMatchObject({ actorType: "system", actorId: null });
    expect(trail[1]!.changes.status).toEqual({ old: "pending", new: "expired" });
  });

  it("expiring an invitation whose email never went out drops the message", async () => {
    const email = newEmail("expiry");
    const refused = await invite(tenant, { email }, { env: DEAD_PROVIDER });
    const id = refused.body.error.invitation_id as string;
    await makeOverdue(id);
    await makeDue(id);
    await runCron(cronEnv());
    expect((await invitationRow(id)).status).toBe("expired");
    expect((await outboxOf(id))[0]!.status).toBe("superseded");
    expect(await mailFor(email)).toHaveLength(0);
  });

  it("an invitation that is not yet due is left pending by the scheduled job", async () => {
    const { id, code } = await inviteWithCode(tenant);
    await runCron(cronEnv());
    expect((await invitationRow(id)).status).toBe("pending");
    expect((await lookup(code)).status).toBe(200);
  });

  it("expires_in_days sets the expiry and is bounded to 1..30 days", async () => {
    const reply = await invite(tenant, { email: newEmail(), expires_in_days: 1, delivery: "none" });
    expect(reply.status).toBe(201);
    const lifetime = Date.parse(reply.body.expires_at) - Date.parse(reply.body.created_at);
    expect(Math.abs(lifetime - 86_400_000)).toBeLessThan(60_000);
    for (const days of [0, 31]) {
      const bad = await invite(tenant, { email: newEmail(), expires_in_days: days });
      expect(bad.status, String(days)).toBe(400);
      expect(bad.body.error.fields).toHaveProperty("expires_in_days");
    }
  });
});
