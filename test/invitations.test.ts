// Invitations end to end: the flow, the rules, bulk, races, delivery through provider outages, expiry and audit.
// The email/SMS providers are the shared dev mailbox (never paused here); an outage is a dead provider URL.

import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queue, runCron } from "../functions/background";
import { ID_PREFIX, parseTypeId, toTypeId } from "../functions/platform/ids";
import { invitations, memberships, outboxMessages, roles, users } from "../schema";
import {
  addPerson,
  auditTrail,
  call,
  codeIn,
  createTenant,
  expectOneWinner,
  invitationsTo,
  invitationTrail,
  mailFor,
  personToken,
  quirkyProvider,
  quirkyReceived,
  RACE_ROUNDS,
  RACES_PER_ROUND,
  type Reply,
  raceRounds,
  releaseQuirky,
  snapshot,
  type Tenant,
  testEnv,
  uniqueSuffix,
  untilQuirkyReceived,
  withDb,
} from "./harness";

/** The provider is down: every send is answered 503 (retryable), so nothing goes out until it is back. */
const DEAD_PROVIDER = quirkyProvider("down-503");
/** The provider cannot be reached: it never answers, so the send gives up on its timeout (provider unreachable). */
const UNREACHABLE_PROVIDER = quirkyProvider("no-answer");
/** The cron with no queue: it sweeps due messages and delivers them inline. */
const cronEnv = () => ({ ...testEnv, OUTBOX_QUEUE: undefined });

const newEmail = (label = "invitee") => `${label}-${uniqueSuffix()}@example.test`;
/** A UK mobile number, as typed (with spaces) and in E.164. */
function newPhone(): { typed: string; e164: string } {
  const digits = String(Math.floor(Math.random() * 100_000)).padStart(5, "0");
  return { typed: `+44 7400 1${digits.slice(0, 2)} ${digits.slice(2)}`, e164: `+4474001${digits}` };
}

const uuidOf = (id: string) => parseTypeId(ID_PREFIX.invitation, id) as string;

async function invitationRow(id: string) {
  const [row] = await withDb((db) =>
    db
      .select()
      .from(invitations)
      .where(eq(invitations.id, uuidOf(id))),
  );
  if (!row) throw new Error(`no invitation ${id}`);
  return row;
}

async function outboxOf(id: string) {
  return withDb((db) =>
    db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.invitationId, uuidOf(id)))
      .orderBy(asc(outboxMessages.id)),
  );
}

/** Makes an invitation's pending messages due for the sweep, as if their backoff had passed. */
async function makeDue(id: string) {
  await withDb((db) =>
    db
      .update(outboxMessages)
      .set({ nextAttemptAt: sql`now() - interval '5 minutes'` })
      .where(and(eq(outboxMessages.invitationId, uuidOf(id)), eq(outboxMessages.status, "pending"))),
  );
}

/** Past its expiry, as if the scheduled job had not run yet. */
/** Time passes for the invitation and for the messages that carry its code. */
async function makeOverdue(id: string) {
  await withDb(async (db) => {
    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invitations.id, uuidOf(id)));
    await db
      .update(outboxMessages)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(outboxMessages.invitationId, uuidOf(id)));
  });
}

async function membershipsOf(tenant: Pick<Tenant, "uuid">, email: string): Promise<number> {
  const [row] = await withDb((db) =>
    db
      .select({ n: count() })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organisationId, tenant.uuid), eq(users.email, email))),
  );
  return row?.n ?? 0;
}

function invite(
  tenant: Tenant,
  body: Record<string, unknown>,
  options: { token?: string; env?: Record<string, string> } = {},
): Promise<Reply> {
  return call("POST", "/v1/invitations", {
    token: options.token ?? tenant.people.manager.token,
    body: { organisation_id: tenant.id, role_id: tenant.roleIds.member, ...body },
    ...(options.env ? { env: options.env } : {}),
  });
}

/** A pending invitation whose code comes back in the response (by the manager, to the member role, unless given). */
async function inviteWithCode(tenant: Tenant, email = newEmail(), by: { roleId?: string; token?: string } = {}) {
  const reply = await invite(
    tenant,
    { email, delivery: "none", ...(by.roleId ? { role_id: by.roleId } : {}) },
    by.token ? { token: by.token } : {},
  );
  if (reply.status !== 201) throw new Error(`invite failed: ${reply.status} ${reply.text}`);
  return { id: reply.body.id as string, code: reply.body.code as string, email };
}

/** An organisation with only its founder in it: lighter than a tenant, for races run many times. */
async function foundedOrganisation() {
  const token = await personToken({ email: newEmail("founder") });
  const created = await call("POST", "/v1/organisations", { token, body: { name: `founded ${uniqueSuffix()}` } });
  if (created.status !== 201) throw new Error(created.text);
  const id: string = created.body.id;
  const roles = await call("GET", `/v1/roles?organisation_id=${id}`, { token });
  const memberRoleId: string = roles.body.data.find((role: { key: string }) => role.key === "member").id;
  return {
    id,
    uuid: parseTypeId(ID_PREFIX.organisation, id) as string,
    token,
    async inviteWithCode(email: string) {
      const reply = await call("POST", "/v1/invitations", {
        token,
        body: { organisation_id: id, role_id: memberRoleId, email, delivery: "none" },
      });
      if (reply.status !== 201) throw new Error(`invite failed: ${reply.status} ${reply.text}`);
      return { id: reply.body.id as string, code: reply.body.code as string };
    },
  };
}

const lookup = (code: string) => call("POST", "/v1/invitations:lookup", { body: { code } });
const answer = async (verb: "accept" | "decline", code: string, token: string) =>
  call("POST", `/v1/invitations:${verb}`, { token, body: { code } });

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
    expect((await lookup(code)).status).toBe(404);

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
    expect((await lookup(code)).status).toBe(404);
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
    expect((await lookup(code)).status).toBe(404);
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

describe("who may invite to what", () => {
  it("a service account invites to a role without global access; the invitation and its audit event name it", async () => {
    const email = newEmail();
    const created = await invite(tenant, { email }, { token: tenant.serviceAccount.token });
    expect(created.status).toBe(201);
    expect(created.body.inviter).toMatchObject({ type: "service_account", id: tenant.serviceAccount.id });
    const [event] = await invitationTrail(tenant, created.body.id);
    expect(event).toMatchObject({
      action: "invitation.created",
      actorType: "service_account",
      actorId: parseTypeId(ID_PREFIX.service_account, tenant.serviceAccount.id),
    });
    const [mail] = await mailFor(email);
    expect(mail!.subject).toContain(created.body.inviter.name);
  });

  it("a service account cannot invite to a global-access role (403) and nothing is stored", async () => {
    const email = newEmail();
    const reply = await invite(
      tenant,
      { email, role_id: tenant.roleIds.admin },
      { token: tenant.serviceAccount.token },
    );
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("permission_denied");
    expect(await invitationsTo(tenant, email)).toBe(0);
    expect(await mailFor(email)).toHaveLength(0);
  });

  it("an admin may invite to the admin role, but nobody invites to the owner role (403)", async () => {
    const admin = await invite(
      tenant,
      { email: newEmail(), role_id: tenant.roleIds.admin, delivery: "none" },
      {
        token: tenant.people.admin.token,
      },
    );
    expect(admin.status).toBe(201);
    const email = newEmail();
    const owner = await invite(tenant, { email, role_id: tenant.roleIds.owner }, { token: tenant.people.owner.token });
    expect(owner.status).toBe(403);
    expect(await invitationsTo(tenant, email)).toBe(0);
  });

  /** The owner's code-only invitation to the admin role (global access), which not every inviter may touch. */
  const ownersInvitationToAdmin = () =>
    inviteWithCode(tenant, newEmail(), { roleId: tenant.roleIds.admin, token: tenant.people.owner.token });

  it("a service account cannot :resend the owner's delivery-none invitation to a global-access role (403): no new code, nothing changes", async () => {
    const created = await ownersInvitationToAdmin();
    const before = await invitationRow(created.id);
    const reply = await call("POST", `/v1/invitations/${created.id}:resend`, {
      token: tenant.serviceAccount.token,
    });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("permission_denied");
    expect(reply.body.code).toBeUndefined();
    expect(reply.text).not.toMatch(/"code":"[A-Za-z0-9_-]{40,}"/);
    const after = await invitationRow(created.id);
    expect(after).toMatchObject({
      status: "pending",
      codeHash: before.codeHash,
      sendCount: before.sendCount,
      expiresAt: before.expiresAt,
    });
    expect((await lookup(created.code)).status).toBe(200);
    expect((await invitationTrail(tenant, created.id)).map((event) => event.action)).toEqual(["invitation.created"]);
  });

  it("a manager without global access cannot :cancel the owner's invitation to a global-access role (403), as for :resend: nothing changes", async () => {
    const created = await ownersInvitationToAdmin();
    const before = await invitationRow(created.id);
    for (const verb of ["resend", "cancel"]) {
      const reply = await call("POST", `/v1/invitations/${created.id}:${verb}`, {
        token: tenant.people.manager.token,
      });
      expect(reply.status, verb).toBe(403);
      expect(reply.body.error.code).toBe("permission_denied");
    }
    expect(await invitationRow(created.id)).toEqual(before);
    expect((await lookup(created.code)).status).toBe(200);
    expect((await invitationTrail(tenant, created.id)).map((event) => event.action)).toEqual(["invitation.created"]);
    // The owner, who could invite to the role, still cancels it.
    const cancelled = await call("POST", `/v1/invitations/${created.id}:cancel`, {
      token: tenant.people.owner.token,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
  });

  it("a person whose token carries no name invites: the preview and the email name a neutral inviter, never their email", async () => {
    const inviterEmail = newEmail("nameless");
    const token = await personToken({ email: inviterEmail, claims: { name: undefined } });
    const organisation = await call("POST", "/v1/organisations", {
      token,
      body: { name: `Nameless ${uniqueSuffix()}` },
    });
    expect(organisation.status).toBe(201);
    const organisationUuid = parseTypeId(ID_PREFIX.organisation, organisation.body.id) as string;
    const [member] = await withDb((db) =>
      db
        .select({ id: roles.id })
        .from(roles)
        .where(and(eq(roles.organisationId, organisationUuid), eq(roles.key, "member"))),
    );
    const email = newEmail();
    const created = await call("POST", "/v1/invitations", {
      token,
      body: {
        organisation_id: organisation.body.id,
        role_id: toTypeId(ID_PREFIX.role, member!.id),
        email,
      },
    });
    expect(created.status).toBe(201);
    const inviterName = created.body.inviter.name as string;
    expect(inviterName.length).toBeGreaterThan(0);
    expect(inviterName).not.toContain("@");
    expect(inviterName).not.toContain(inviterEmail.split("@")[0]);

    const [mail] = await mailFor(email);
    const preview = await lookup(codeIn(mail!));
    expect(preview.status).toBe(200);
    expect(preview.body.inviter).toEqual({ name: inviterName });
    expect(JSON.stringify(preview.body)).not.toContain(inviterEmail);
    expect(mail!.subject).not.toContain(inviterEmail);
    expect(mail!.text).not.toContain(inviterEmail);
  });

  it("a role of another organisation is 400 naming role_id", async () => {
    const other = await createTenant("invitations-other");
    const reply = await invite(tenant, { email: newEmail(), role_id: other.roleIds.member });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("role_id");
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

describe("exclusive membership", () => {
  let first: Tenant;
  let second: Tenant;
  let open: Tenant;

  beforeAll(async () => {
    [first, second, open] = await Promise.all([
      createTenant("exclusive-a"),
      createTenant("exclusive-b"),
      createTenant("open"),
    ]);
    for (const t of [first, second]) {
      const reply = await call("PATCH", `/v1/organisations/${t.id}`, {
        token: t.people.owner.token,
        body: { exclusive_membership: true },
      });
      if (reply.status !== 200 || reply.body.exclusive_membership !== true) throw new Error(reply.text);
    }
  });

  it("an exclusive organisation refuses to invite a member of another exclusive organisation (409 user_in_other_organisation)", async () => {
    const person = await addPerson(first, "member", "exclusive");
    const refused = await invite(second, { email: person.email });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("user_in_other_organisation");
    expect(await invitationsTo(second, person.email)).toBe(0);
    expect(await mailFor(person.email)).toHaveLength(0);

    const allowed = await invite(open, { email: person.email, delivery: "none" });
    expect(allowed.status).toBe(201);
  });

  it("an invitee who joined another exclusive organisation after being invited gets 409 user_in_other_organisation on accept; the invitation stays pending", async () => {
    const email = newEmail("exclusive");
    const toFirst = await inviteWithCode(first, email);
    const toSecond = await inviteWithCode(second, email);
    const token = await personToken({ email });
    expect((await answer("accept", toFirst.code, token)).status).toBe(200);

    const refused = await answer("accept", toSecond.code, token);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("user_in_other_organisation");
    expect((await invitationRow(toSecond.id)).status).toBe("pending");
    expect(await membershipsOf(second, email)).toBe(0);

    const declined = await answer("decline", toSecond.code, token);
    expect(declined.status).toBe(200);
  });

  it("an invitee accepting invitations into two exclusive organisations at once joins exactly one; the other accept is 409 user_in_other_organisation", async () => {
    const email = newEmail("exclusive");
    const toFirst = await inviteWithCode(first, email);
    const toSecond = await inviteWithCode(second, email);
    const token = await personToken({ email });
    const replies = await Promise.all([answer("accept", toFirst.code, token), answer("accept", toSecond.code, token)]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409]);
    const refused = replies.find((reply) => reply.status === 409)!;
    expect(refused.body.error.code).toBe("user_in_other_organisation");
    expect((await membershipsOf(first, email)) + (await membershipsOf(second, email))).toBe(1);
    const [joined, left] = replies[0]!.status === 200 ? [toFirst, toSecond] : [toSecond, toFirst];
    expect((await invitationRow(joined.id)).status).toBe("accepted");
    expect((await invitationRow(left.id)).status).toBe("pending");
  });

  it(`an accept into an organisation racing its switch to exclusive membership: exactly one wins, and nobody is in two exclusive organisations (${RACE_ROUNDS}×${RACES_PER_ROUND} races)`, async () => {
    await raceRounds(
      async () => {
        const email = newEmail("exclusive-race");
        const token = await personToken({ email });
        expect((await answer("accept", (await inviteWithCode(first, email)).code, token)).status).toBe(200);
        const joining = await foundedOrganisation();
        return { email, token, joining, invitation: await joining.inviteWithCode(email) };
      },
      async ({ email, token, joining, invitation }) => {
        const [accepted, switched] = await Promise.all([
          answer("accept", invitation.code, token),
          call("PATCH", `/v1/organisations/${joining.id}`, {
            token: joining.token,
            body: { exclusive_membership: true },
          }),
        ]);
        expectOneWinner([accepted, switched], "user_in_other_organisation");
        const now = await call("GET", `/v1/organisations/${joining.id}`, { token: joining.token });
        expect({ joined: await membershipsOf(joining, email), exclusive: now.body.exclusive_membership }).toEqual(
          accepted.status === 200 ? { joined: 1, exclusive: false } : { joined: 0, exclusive: true },
        );
        expect((await invitationRow(invitation.id)).status).toBe(accepted.status === 200 ? "accepted" : "pending");
      },
    );
  });

  it(`an accept into an exclusive organisation racing the switch to exclusive membership of one the invitee belongs to: exactly one wins (${RACE_ROUNDS}×${RACES_PER_ROUND} races)`, async () => {
    await raceRounds(
      async () => {
        const email = newEmail("exclusive-race");
        const token = await personToken({ email });
        const own = await call("POST", "/v1/organisations", { token, body: { name: `own ${uniqueSuffix()}` } });
        expect(own.status).toBe(201);
        return { email, token, ownId: own.body.id as string, invitation: await inviteWithCode(first, email) };
      },
      async ({ email, token, ownId, invitation }) => {
        const [accepted, switched] = await Promise.all([
          answer("accept", invitation.code, token),
          call("PATCH", `/v1/organisations/${ownId}`, { token, body: { exclusive_membership: true } }),
        ]);
        expectOneWinner([accepted, switched], "user_in_other_organisation");
        expect(await membershipsOf(first, email)).toBe(accepted.status === 200 ? 1 : 0);
      },
    );
  });

  it(`an accept into an exclusive organisation racing the invitee's creation of another: exactly one wins (${RACE_ROUNDS}×${RACES_PER_ROUND} races)`, async () => {
    await raceRounds(
      async () => {
        const email = newEmail("exclusive-race");
        return { email, token: await personToken({ email }), invitation: await inviteWithCode(first, email) };
      },
      async ({ email, token, invitation }) => {
        const name = `own ${uniqueSuffix()}`;
        const [accepted, created] = await Promise.all([
          answer("accept", invitation.code, token),
          call("POST", "/v1/organisations", { token, body: { name, exclusive_membership: true } }),
        ]);
        expectOneWinner([accepted, created], "user_in_other_organisation");
        expect(await membershipsOf(first, email)).toBe(accepted.status === 200 ? 1 : 0);
      },
    );
  });

  it("a member of an exclusive organisation may still join a non-exclusive one", async () => {
    const email = newEmail("exclusive");
    const toFirst = await inviteWithCode(first, email);
    const toOpen = await inviteWithCode(open, email);
    const token = await personToken({ email });
    expect((await answer("accept", toFirst.code, token)).status).toBe(200);
    expect((await answer("accept", toOpen.code, token)).status).toBe(200);
    expect(await membershipsOf(open, email)).toBe(1);
  });
});

describe("delivery none and custom messages", () => {
  it("delivery none returns the code once in the response and sends nothing", async () => {
    const email = newEmail();
    const created = await invite(tenant, { email, delivery: "none" });
    expect(created.status).toBe(201);
    expect(created.body.code).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(created.body).toMatchObject({ delivery: "none", delivery_status: "not_sent", send_count: 0 });
    expect(created.body.last_sent_at).toBeNull();
    expect(await outboxOf(created.body.id)).toHaveLength(0);
    expect(await mailFor(email)).toHaveLength(0);
    const row = await invitationRow(created.body.id);
    expect(row.codeHash).not.toContain(created.body.code);
    expect((await lookup(created.body.code)).status).toBe(200);
  });

  it("custom_message is stripped of HTML when stored and escaped in the email's HTML part", async () => {
    const email = newEmail();
    const created = await invite(tenant, {
      email,
      custom_message: `Tom & Jerry's "crew" <b>bold</b><script>alert(1)</script> <img src=x onerror=alert(2)>`,
    });
    expect(created.status).toBe(201);
    expect(created.body.custom_message).toBe(`Tom & Jerry's "crew" boldalert(1)`);
    const [mail] = await mailFor(email);
    expect(mail!.text).toContain(`Tom & Jerry's "crew" boldalert(1)`);
    expect(mail!.html).toContain("Tom &amp; Jerry&#39;s &quot;crew&quot; boldalert(1)");
    expect(mail!.html).not.toContain("<script");
    expect(mail!.html).not.toContain("<img");
    expect(mail!.html).not.toContain("Tom & Jerry");
  });

  it("an organisation name with markup is escaped in the email's HTML part", async () => {
    const marked = await createTenant("markup");
    await withDb((db) =>
      db.execute(sql`update organisations set name = ${"Fish & Chips <i>Ltd</i>"} where id = ${marked.uuid}`),
    );
    const email = newEmail();
    expect((await invite(marked, { email })).status).toBe(201);
    const [mail] = await mailFor(email);
    expect(mail!.html).toContain("Fish &amp; Chips &lt;i&gt;Ltd&lt;/i&gt;");
    expect(mail!.html).not.toContain("<i>Ltd");
  });

  it("a custom_message of 1000 characters is accepted and one of 1001 is 400", async () => {
    const ok = await invite(tenant, { email: newEmail(), custom_message: "x".repeat(1000), delivery: "none" });
    expect(ok.status).toBe(201);
    expect(ok.body.custom_message).toHaveLength(1000);
    const email = newEmail();
    const tooLong = await invite(tenant, { email, custom_message: "x".repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields).toHaveProperty("custom_message");
    expect(await invitationsTo(tenant, email)).toBe(0);
  });

  it("a custom_message with control characters is 400", async () => {
    const reply = await invite(tenant, { email: newEmail(), custom_message: "hello\u0007there" });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("custom_message");
  });
});

describe("bulk invitations", () => {
  it("a manager bulk-invites; each row gets its own result: created, member, pending invitation, duplicate in the request, invalid", async () => {
    const fresh = newEmail("bulk");
    const phone = newPhone();
    const pending = await inviteWithCode(tenant);
    const reply = await call("POST", "/v1/invitations:bulk", {
      token: tenant.people.manager.token,
      body: {
        organisation_id: tenant.id,
        invitations: [
          { email: fresh, role_id: tenant.roleIds.member },
          { email: tenant.people.viewer.email, role_id: tenant.roleIds.member },
          { email: pending.email, role_id: tenant.roleIds.member },
          { email: fresh.toUpperCase(), role_id: tenant.roleIds.viewer },
          { role_id: tenant.roleIds.member },
          { phone: phone.typed, role_id: tenant.roleIds.viewer },
          { email: "not-an-email", role_id: tenant.roleIds.member },
        ],
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ object: "bulk_result", created: 2, failed: 5 });
    const results = reply.body.results;
    expect(results.map((row: { index: number }) => row.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results.map((row: { status: string }) => row.status)).toEqual([
      "created",
      "error",
      "error",
      "error",
      "error",
      "created",
      "error",
    ]);
    expect(results[0].invitation).toMatchObject({ email: fresh, status: "pending", role: { key: "member" } });
    expect(results[1].error).toMatchObject({ code: "conflict", existing_id: tenant.people.viewer.memberId });
    expect(results[2].error).toMatchObject({ code: "conflict", existing_id: pending.id });
    expect(results[3].error.code).toBe("conflict");
    expect(results[3].error.message).toContain("row 0");
    expect(results[4].error.code).toBe("validation_error");
    expect(results[4].error.fields).toHaveProperty("non_field_errors");
    expect(results[5].invitation).toMatchObject({ phone: phone.e164, delivery: "sms" });
    expect(results[6].error.code).toBe("validation_error");
    expect(results[6].error.fields).toHaveProperty("email");

    expect(await invitationsTo(tenant, fresh)).toBe(1);
    expect(await invitationsTo(tenant, pending.email)).toBe(1);
    const trail = await auditTrail(tenant.uuid);
    const createdIds = [results[0].invitation.id, results[5].invitation.id].map(uuidOf);
    expect(
      trail.filter((event) => event.action === "invitation.created" && createdIds.includes(event.resourceId)),
    ).toHaveLength(2);
  });

  it("bulk messages are queued, and delivering them through the queue consumer sends each exactly once", async () => {
    const emails = [newEmail("bulk"), newEmail("bulk"), newEmail("bulk")];
    const reply = await call("POST", "/v1/invitations:bulk", {
      token: tenant.people.manager.token,
      body: {
        organisation_id: tenant.id,
        invitations: emails.map((email) => ({ email, role_id: tenant.roleIds.viewer })),
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.created).toBe(3);
    const ids: string[] = reply.body.results.map((row: { invitation: { id: string } }) => row.invitation.id);
    const outboxIds = (await Promise.all(ids.map(outboxOf))).map((rows) => rows[0]!.id);

    const batch = createMessageBatch<{ outboxId: string }>(
      "muster-outbox",
      outboxIds.map((outboxId, index) => ({
        id: `bulk-${index}-${uniqueSuffix()}`,
        timestamp: new Date(),
        attempts: 1,
        body: { outboxId },
      })),
    );
    const ctx = createExecutionContext();
    await queue(batch, testEnv);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(3);

    for (const [index, email] of emails.entries()) {
      const mail = await mailFor(email);
      expect(mail, email).toHaveLength(1);
      expect(mail[0]!.idempotencyKey).toBe(outboxIds[index]);
      expect((await invitationRow(ids[index]!)).deliveryStatus).toBe("sent");
    }
  });

  it("100 rows are accepted, each with its result; 101 rows are 400 and nothing is created", async () => {
    const hundred = Array.from({ length: 100 }, () => newEmail("bulk"));
    const full = await call("POST", "/v1/invitations:bulk", {
      token: tenant.people.manager.token,
      body: {
        organisation_id: tenant.id,
        delivery: "none",
        invitations: hundred.map((email) => ({ email, role_id: tenant.roleIds.viewer })),
      },
    });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ created: 100, failed: 0 });
    expect(full.body.results).toHaveLength(100);
    expect(await invitationsTo(tenant, hundred[99]!)).toBe(1);

    const emails = Array.from({ length: 101 }, () => newEmail("bulk"));
    const reply = await call("POST", "/v1/invitations:bulk", {
      token: tenant.people.manager.token,
      body: {
        organisation_id: tenant.id,
        invitations: emails.map((email) => ({ email, role_id: tenant.roleIds.member })),
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("invitations");
    expect(await invitationsTo(tenant, emails[0]!)).toBe(0);
  });

  it("a service account's bulk row asking for a global-access role is refused on its row (403) while the others go through", async () => {
    const ok = newEmail("bulk");
    const refused = newEmail("bulk");
    const reply = await call("POST", "/v1/invitations:bulk", {
      token: tenant.serviceAccount.token,
      body: {
        organisation_id: tenant.id,
        delivery: "none",
        invitations: [
          { email: ok, role_id: tenant.roleIds.member },
          { email: refused, role_id: tenant.roleIds.admin },
        ],
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.results[0].status).toBe("created");
    expect(typeof reply.body.results[0].invitation.code).toBe("string");
    expect(reply.body.results[1]).toMatchObject({ status: "error", error: { code: "permission_denied" } });
    expect(await invitationsTo(tenant, refused)).toBe(0);
  });
});

describe("races", () => {
  it("20 concurrent accepts of one invitation by its invitee make exactly one membership; the other 19 are 409", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    const token = await personToken({ email });
    const replies = await Promise.all(Array.from({ length: 20 }, () => answer("accept", code, token)));
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect(await membershipsOf(tenant, email)).toBe(1);
    expect((await invitationRow(id)).status).toBe("accepted");
    expect((await invitationTrail(tenant, id)).filter((event) => event.action === "invitation.accepted")).toHaveLength(
      1,
    );
  });

  it("an accept racing a cancel: exactly one of them wins", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    const [accepted, cancelled] = await Promise.all([
      answer("accept", code, await personToken({ email })),
      call("POST", `/v1/invitations/${id}:cancel`, { token: tenant.people.manager.token }),
    ]);
    expect([accepted.status, cancelled.status].sort()).toEqual([200, 409]);
    const row = await invitationRow(id);
    expect(row.status).toBe(accepted.status === 200 ? "accepted" : "cancelled");
    expect(await membershipsOf(tenant, email)).toBe(accepted.status === 200 ? 1 : 0);
  });

  it("10 concurrent creates for one invitee make one invitation; the others are 409 naming it", async () => {
    const email = newEmail("race");
    const replies = await Promise.all(Array.from({ length: 10 }, () => invite(tenant, { email, delivery: "none" })));
    const created = replies.filter((reply) => reply.status === 201);
    expect(created).toHaveLength(1);
    const conflicts = replies.filter((reply) => reply.status === 409);
    expect(conflicts).toHaveLength(9);
    for (const reply of conflicts) expect(reply.body.error.existing_id).toBe(created[0]!.body.id);
    expect(await invitationsTo(tenant, email)).toBe(1);
  });
});

describe("delivery through a provider outage", () => {
  it("the provider refusing at creation is 502 send_email_error with the invitation_id; the invitation is kept and delivered once when the provider is back", async () => {
    const email = newEmail("outage");
    const refused = await invite(tenant, { email }, { env: UNREACHABLE_PROVIDER });
    expect(refused.status).toBe(502);
    expect(refused.body.error.code).toBe("send_email_error");
    const id = refused.body.error.invitation_id as string;
    expect(id).toMatch(/^inv_/);

    const kept = await call("GET", `/v1/invitations/${id}`, { token: tenant.people.manager.token });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ status: "pending", delivery_status: "retrying", email });
    const [before] = await outboxOf(id);
    expect(before).toMatchObject({ status: "pending", attempts: 1 });
    expect(before!.lastError).toContain("unreachable");
    expect(await mailFor(email)).toHaveLength(0);
    expect((await invitationTrail(tenant, id)).map((event) => event.action)).toEqual(["invitation.created"]);

    await makeDue(id);
    await runCron(cronEnv());
    const mail = await mailFor(email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.idempotencyKey).toBe(before!.id);
    const [after] = await outboxOf(id);
    expect(after).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect((await invitationRow(id)).deliveryStatus).toBe("sent");
    expect((await lookup(codeIn(mail[0]!))).status).toBe(200);

    // A later sweep finds nothing more to send.
    await makeDue(id);
    await runCron(cronEnv());
    expect(await mailFor(email)).toHaveLength(1);
  });

  it("after a 502 the manager's :resend delivers a fresh code, and the first message never goes out", async () => {
    const email = newEmail("outage");
    const refused = await invite(tenant, { email }, { env: DEAD_PROVIDER });
    expect(refused.status).toBe(502);
    const id = refused.body.error.invitation_id as string;

    const resent = await call("POST", `/v1/invitations/${id}:resend`, { token: tenant.people.manager.token });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ delivery_status: "sent", send_count: 2 });
    const outbox = await outboxOf(id);
    expect(outbox.map((message) => message.status)).toEqual(["superseded", "sent"]);

    await withDb((db) =>
      db
        .update(outboxMessages)
        .set({ nextAttemptAt: sql`now() - interval '5 minutes'` })
        .where(eq(outboxMessages.invitationId, uuidOf(id))),
    );
    await runCron(cronEnv());
    const mail = await mailFor(email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.idempotencyKey).toBe(outbox[1]!.id);
    expect((await lookup(codeIn(mail[0]!))).status).toBe(200);
  });

  it("three invitations made during an outage are each delivered exactly once by the sweep when the provider is back", async () => {
    const emails = [newEmail("outage"), newEmail("outage"), newEmail("outage")];
    const ids: string[] = [];
    for (const email of emails) {
      const reply = await invite(tenant, { email }, { env: DEAD_PROVIDER });
      expect(reply.status).toBe(502);
      ids.push(reply.body.error.invitation_id);
    }
    for (const [index, id] of ids.entries()) {
      const [message] = await outboxOf(id);
      expect(message).toMatchObject({ status: "pending", attempts: 1 });
      expect(await mailFor(emails[index]!)).toHaveLength(0);
    }

    for (const id of ids) await makeDue(id);
    // Two sweeps at once (two cron invocations overlapping) still send each message once.
    await Promise.all([runCron(cronEnv()), runCron(cronEnv())]);
    for (const [index, id] of ids.entries()) {
      const mail = await mailFor(emails[index]!);
      expect(mail, emails[index]).toHaveLength(1);
      const [message] = await outboxOf(id);
      expect(message!.status).toBe("sent");
      expect(mail[0]!.idempotencyKey).toBe(message!.id);
    }
  });

  it("the queue consumer asks for a delayed retry while the provider is down and acknowledges once it delivers", async () => {
    const email = newEmail("queue");
    const refused = await invite(tenant, { email }, { env: DEAD_PROVIDER });
    expect(refused.status).toBe(502);
    const id = refused.body.error.invitation_id as string;
    const [message] = await outboxOf(id);
    const outboxId = message!.id;
    const batchOf = () =>
      createMessageBatch<{ outboxId: string }>("muster-outbox", [
        { id: `q-${uniqueSuffix()}`, timestamp: new Date(), attempts: 1, body: { outboxId } },
      ]);

    await makeDue(id);
    const down = batchOf();
    const downCtx = createExecutionContext();
    await queue(down, { ...testEnv, ...DEAD_PROVIDER });
    const downResult = await getQueueResult(down, downCtx);
    expect(downResult.explicitAcks).toEqual([]);
    expect(downResult.retryMessages.map((message: { msgId: string }) => message.msgId)).toEqual(
      down.messages.map((m) => m.id),
    );
    expect((await outboxOf(id))[0]).toMatchObject({ status: "pending", attempts: 2 });
    // Backed off: not due again for a while (the second attempt waits at least 30 s).
    const [{ backedOff }] = (await withDb((db) =>
      db
        .select({ backedOff: sql<boolean>`${outboxMessages.nextAttemptAt} > now() + interval '20 seconds'` })
        .from(outboxMessages)
        .where(eq(outboxMessages.id, outboxId)),
    )) as [{ backedOff: boolean }];
    expect(backedOff).toBe(true);
    expect(await mailFor(email)).toHaveLength(0);

    await makeDue(id);
    const up = batchOf();
    const upCtx = createExecutionContext();
    await queue(up, testEnv);
    const upResult = await getQueueResult(up, upCtx);
    expect(upResult.retryMessages).toEqual([]);
    expect(upResult.explicitAcks).toHaveLength(1);
    expect(await mailFor(email)).toHaveLength(1);

    // A duplicate queue message (at-least-once delivery) sends nothing more.
    const duplicate = batchOf();
    const duplicateCtx = createExecutionContext();
    await queue(duplicate, testEnv);
    expect((await getQueueResult(duplicate, duplicateCtx)).explicitAcks).toHaveLength(1);
    expect(await mailFor(email)).toHaveLength(1);
    expect((await invitationRow(id)).deliveryStatus).toBe("sent");
  });

  it("the queue consumer does not send the message of an invitation that expired before the cron marked it", async () => {
    const email = newEmail("queue");
    const refused = await invite(tenant, { email }, { env: DEAD_PROVIDER });
    expect(refused.status).toBe(502);
    const id = refused.body.error.invitation_id as string;
    const [message] = await outboxOf(id);
    await makeDue(id);
    await makeOverdue(id);
    const batch = createMessageBatch<{ outboxId: string }>("muster-outbox", [
      { id: `q-${uniqueSuffix()}`, timestamp: new Date(), attempts: 1, body: { outboxId: message!.id } },
    ]);
    const ctx = createExecutionContext();
    await queue(batch, testEnv);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    expect(await mailFor(email)).toHaveLength(0);
    expect((await outboxOf(id))[0]).toMatchObject({ status: "pending", attempts: 1 });
    // The expiry then drops it for good.
    await runCron(cronEnv());
    expect((await outboxOf(id))[0]).toMatchObject({ status: "superseded" });
    expect(await mailFor(email)).toHaveLength(0);
  });

  it("a message not yet due is left alone by the queue consumer (no early send, no lost message)", async () => {
    const email = newEmail("queue");
    const refused = await invite(tenant, { email }, { env: DEAD_PROVIDER });
    const id = refused.body.error.invitation_id as string;
    const [message] = await outboxOf(id);
    const batch = createMessageBatch<{ outboxId: string }>("muster-outbox", [
      { id: `q-${uniqueSuffix()}`, timestamp: new Date(), attempts: 1, body: { outboxId: message!.id } },
    ]);
    const ctx = createExecutionContext();
    await queue(batch, testEnv);
    await getQueueResult(batch, ctx);
    expect(await mailFor(email)).toHaveLength(0);
    const [after] = await outboxOf(id);
    expect(after).toMatchObject({ status: "pending", attempts: 1 });
  });
});

describe("a provider that misbehaves", () => {
  it("a manager cancels an invitation while its first send is in flight: the send failing afterwards does not revive the message, and nothing goes out later", async () => {
    const email = newEmail("inflight");
    const cancelInFlight = async () => {
      // The provider holds the send until released: the cancel lands while it is in flight.
      await untilQuirkyReceived(email);
      const listed = await call("GET", `/v1/invitations?organisation_id=${tenant.id}&email=${email}`, {
        token: tenant.people.manager.token,
      });
      const cancelled = await call("POST", `/v1/invitations/${listed.body.data[0].id}:cancel`, {
        token: tenant.people.manager.token,
      });
      await releaseQuirky(email);
      return cancelled;
    };
    const [created, cancelled] = await Promise.all([
      invite(tenant, { email }, { env: quirkyProvider("slow-503") }),
      cancelInFlight(),
    ]);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect(created.status).toBe(502);
    const id = created.body.error.invitation_id as string;
    expect(cancelled.body.id).toBe(id);

    const [message] = await outboxOf(id);
    expect(message).toMatchObject({ status: "superseded", attempts: 1 });
    const row = await invitationRow(id);
    expect(row.status).toBe("cancelled");
    expect(row.deliveryStatus).not.toBe("retrying");

    await withDb((db) =>
      db
        .update(outboxMessages)
        .set({ nextAttemptAt: sql`now() - interval '5 minutes'` })
        .where(eq(outboxMessages.invitationId, uuidOf(id))),
    );
    await runCron({ ...cronEnv(), ...quirkyProvider("plain-200") });
    expect(await quirkyReceived(email)).toBe(1);
    expect((await outboxOf(id))[0]!.status).toBe("superseded");
  });

  it("a provider answering 200 with a plain-text body has delivered: the create is 201 sent, and the sweep sends nothing more", async () => {
    const email = newEmail("plain");
    const provider = quirkyProvider("plain-200");
    const created = await invite(tenant, { email }, { env: provider });
    expect(created.status).toBe(201);
    expect(created.body.delivery_status).toBe("sent");
    const [message] = await outboxOf(created.body.id);
    expect(message).toMatchObject({ status: "sent", attempts: 1, lastError: null, providerMessageId: null });
    expect(message!.sentAt).not.toBeNull();
    expect((await invitationRow(created.body.id)).deliveryStatus).toBe("sent");

    await makeDue(created.body.id);
    await runCron({ ...cronEnv(), ...provider });
    expect(await quirkyReceived(email)).toBe(1);
    expect((await outboxOf(created.body.id))[0]!.status).toBe("sent");
  });

  it("messages that will not be sent again (sent, superseded by a resend, dead) no longer hold the invitation code", async () => {
    // Sent: the code went out, and the stored message keeps only its subject and recipient.
    const sentTo = newEmail("spent");
    const delivered = await invite(tenant, { email: sentTo });
    expect(delivered.status).toBe(201);
    const code = codeIn((await mailFor(sentTo))[0]!);
    const [sent] = await outboxOf(delivered.body.id);
    expect(sent).toMatchObject({ status: "sent", recipient: sentTo, textBody: "", htmlBody: null });
    expect(sent!.subject).toContain(tenant.name);
    expect(JSON.stringify(sent)).not.toContain(code);

    // Superseded: a pending message holds its code until a resend replaces it.
    const resentTo = newEmail("spent");
    const refused = await invite(tenant, { email: resentTo }, { env: DEAD_PROVIDER });
    expect(refused.status).toBe(502);
    const id = refused.body.error.invitation_id as string;
    const [pending] = await outboxOf(id);
    expect(pending!.status).toBe("pending");
    expect(pending!.textBody).toContain("https://app.test.muster/invitations/");
    expect((await call("POST", `/v1/invitations/${id}:resend`, { token: tenant.people.manager.token })).status).toBe(
      200,
    );
    const [superseded, resent] = await outboxOf(id);
    expect(superseded).toMatchObject({ id: pending!.id, status: "superseded", textBody: "", htmlBody: null });
    expect(resent).toMatchObject({ status: "sent", textBody: "", htmlBody: null });

    // Dead: the provider refused it for good.
    const deadTo = newEmail("spent");
    const dead = await invite(tenant, { email: deadTo }, { env: quirkyProvider("refuse-422") });
    expect(dead.status).toBe(502);
    const [refusedForGood] = await outboxOf(dead.body.error.invitation_id);
    expect(refusedForGood).toMatchObject({ status: "dead", textBody: "", htmlBody: null });
    expect(refusedForGood!.lastError).toContain("422");
    expect(await quirkyReceived(deadTo)).toBe(1);
  });
});

describe("expiry", () => {
  it("the scheduled job expires an overdue invitation: status expired, code 404, an invitation.expired event by system", async () => {
    const { id, code, email } = await inviteWithCode(tenant);
    await makeOverdue(id);
    // Overdue but not yet swept: the code already stops working.
    expect((await lookup(code)).status).toBe(404);
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
    expect((await lookup(code)).status).toBe(404);

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
