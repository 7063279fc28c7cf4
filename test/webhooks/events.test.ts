// The invitation-emails webhook's signed events: invitation.create and invitation.send, what they refuse for
// a conflict or a role, the provider down, and the audit trail's `webhook` actor.

import { and, asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/background";
import { outboxMessages } from "../../schema";
import {
  call,
  codeIn,
  createTenant,
  invitationsTo,
  invitationTrail,
  mailFor,
  signWebhook,
  type Tenant,
  testEnv,
  withDb,
} from "../harness";
import {
  createEventFor,
  DEAD_PROVIDER,
  deliverWebhook,
  lookup,
  newEmail,
  newWebhookId,
  PATH,
  receiptExists,
  uuidOf,
} from "./helpers";

let tenant: Tenant;
const createEvent = createEventFor(() => tenant);

beforeAll(async () => {
  tenant = await createTenant("webhooks");
});

/** A manager's invitation whose code was handed back instead of sent (delivery none). */
const codeOnlyInvitation = (email: string) =>
  call("POST", "/v1/invitations", {
    token: tenant.people.manager.token,
    body: { organisation_id: tenant.id, email, role_id: tenant.roleIds.member, delivery: "none" },
  });

describe("signed events", () => {
  it("a signed invitation.create makes the invitation, emails it once, and is audited with actor type webhook", async () => {
    const email = newEmail();
    const id = newWebhookId();
    const reply = await deliverWebhook(createEvent(email), { id });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      object: "webhook_receipt",
      id,
      status: "processed",
      delivery_status: "sent",
    });
    expect(reply.body.invitation_id).toMatch(/^inv_/);

    const invitation = await call("GET", `/v1/invitations/${reply.body.invitation_id}`, {
      token: tenant.people.manager.token,
    });
    expect(invitation.status).toBe(200);
    expect(invitation.body).toMatchObject({
      email,
      status: "pending",
      delivery: "email",
      send_count: 1,
      role: { key: "member" },
      inviter: { type: "webhook", id: null, name: "invitation-emails webhook" },
    });

    const mail = await mailFor(email);
    expect(mail).toHaveLength(1);
    const preview = await lookup(codeIn(mail[0]!));
    expect(preview.status).toBe(200);
    expect(preview.body.organisation.name).toBe(tenant.name);

    const trail = await invitationTrail(tenant, reply.body.invitation_id);
    expect(trail.map((event) => event.action)).toEqual(["invitation.created"]);
    expect(trail[0]).toMatchObject({ actorType: "webhook", actorId: null, actorEmail: null });
  });

  it("a signed invitation.create with inviter_name names that inviter in the email and the preview", async () => {
    const email = newEmail();
    const reply = await deliverWebhook(createEvent(email, { inviter_name: "Ada <b>Lovelace</b>" }));
    expect(reply.status).toBe(200);
    const [mail] = await mailFor(email);
    expect(mail!.subject).toContain("Ada Lovelace invited you");
    const preview = await lookup(codeIn(mail!));
    expect(preview.body.inviter).toEqual({ name: "Ada Lovelace" });
  });

  it("a signed invitation.create by phone sends an SMS", async () => {
    const digits = String(Math.floor(Math.random() * 100_000)).padStart(5, "0");
    const e164 = `+4474001${digits}`;
    const reply = await deliverWebhook({
      type: "invitation.create",
      data: { organisation_id: tenant.id, phone: `+44 7400 1${digits}`, role_id: tenant.roleIds.viewer },
    });
    expect(reply.status).toBe(200);
    const sms = await mailFor(e164);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.channel).toBe("sms");
  });

  it("a signed invitation.send re-sends a pending invitation with a new code: the old code stops working, audited as webhook", async () => {
    const email = newEmail();
    const created = await call("POST", "/v1/invitations", {
      token: tenant.people.manager.token,
      body: { organisation_id: tenant.id, email, role_id: tenant.roleIds.member },
    });
    expect(created.status).toBe(201);
    const oldCode = codeIn((await mailFor(email))[0]!);

    const reply = await deliverWebhook({ type: "invitation.send", data: { invitation_id: created.body.id } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: "processed",
      invitation_id: created.body.id,
      delivery_status: "sent",
    });

    const mail = await mailFor(email);
    expect(mail).toHaveLength(2);
    const newCode = codeIn(mail[1]!);
    expect(newCode).not.toBe(oldCode);
    expect((await lookup(oldCode)).status).toBe(404);
    expect((await lookup(newCode)).status).toBe(200);

    const after = await call("GET", `/v1/invitations/${created.body.id}`, { token: tenant.people.manager.token });
    expect(after.body.send_count).toBe(2);
    const trail = await invitationTrail(tenant, created.body.id);
    expect(trail.map((event) => event.action)).toEqual(["invitation.created", "invitation.resent"]);
    expect(trail[0]!.actorType).toBe("user");
    expect(trail[1]).toMatchObject({ actorType: "webhook", actorId: null });
  });

  it("a signed invitation.send for an invitation made with delivery none never leaves the invitee without a working code", async () => {
    const email = newEmail();
    const created = await codeOnlyInvitation(email);
    expect(created.status).toBe(201);
    const reply = await deliverWebhook({ type: "invitation.send", data: { invitation_id: created.body.id } });
    const mail = await mailFor(email);
    if (reply.status === 200) {
      // Processed: the invitee must have been emailed a code that works (the old one was rotated away).
      expect(reply.body.status).toBe("processed");
      expect(mail).toHaveLength(1);
      expect((await lookup(codeIn(mail[0]!))).status).toBe(200);
    } else {
      // Refused: then nothing may have changed, and the code handed out still works.
      expect(reply.status).toBe(409);
      expect(mail).toHaveLength(0);
      expect((await lookup(created.body.code)).status).toBe(200);
    }
  });

  it("a signed invitation.send for a cancelled invitation is 409 and for an unknown one 404; nothing is sent", async () => {
    const email = newEmail();
    const created = await codeOnlyInvitation(email);
    await call("POST", `/v1/invitations/${created.body.id}:cancel`, { token: tenant.people.manager.token });
    const cancelledId = newWebhookId();
    const cancelled = await deliverWebhook(
      { type: "invitation.send", data: { invitation_id: created.body.id } },
      { id: cancelledId },
    );
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error.code).toBe("conflict");
    expect(await mailFor(email)).toHaveLength(0);
    expect(await receiptExists(cancelledId)).toBe(false);

    const unknownId = newWebhookId();
    const unknown = await deliverWebhook(
      { type: "invitation.send", data: { invitation_id: "inv_01h455vb4pex5vsknk084sn02q" } },
      { id: unknownId },
    );
    expect(unknown.status).toBe(404);
    expect(await receiptExists(unknownId)).toBe(false);
    // Neither refusal used up its id: an event the sender sends under it next is processed.
    const next = await deliverWebhook(createEvent(newEmail()), { id: unknownId });
    expect(next.body.status).toBe("processed");
    expect(await receiptExists(unknownId)).toBe(true);
  });

  it("the webhook cannot invite to a global-access role (403) and nothing is stored", async () => {
    const email = newEmail();
    const reply = await deliverWebhook(createEvent(email, { role_id: tenant.roleIds.admin }));
    expect(reply.status).toBe(403);
    expect(await invitationsTo(tenant, email)).toBe(0);
    expect(await mailFor(email)).toHaveLength(0);
  });

  it("a webhook refused for a conflict forgets its id, so the sender's retry is processed once the conflict is gone", async () => {
    const email = newEmail();
    const pending = await codeOnlyInvitation(email);
    const body = createEvent(email);
    const headers = signWebhook(body);
    const refused = await call("POST", PATH, { body, headers });
    expect(refused.status).toBe(409);
    expect(refused.body.error.existing_id).toBe(pending.body.id);
    expect(await receiptExists(headers["webhook-id"]!)).toBe(false);

    await call("POST", `/v1/invitations/${pending.body.id}:cancel`, { token: tenant.people.manager.token });
    const retried = await call("POST", PATH, { body, headers });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe("processed");
    expect(await mailFor(email)).toHaveLength(1);
    expect(await receiptExists(headers["webhook-id"]!)).toBe(true);
    expect((await call("POST", PATH, { body, headers })).body.status).toBe("duplicate");
    expect(await invitationsTo(tenant, email)).toBe(2);
  });

  it("two identical deliveries at once of an event refused for a conflict are both refused: neither is answered duplicate, and no receipt is left", async () => {
    const email = newEmail();
    const pending = await codeOnlyInvitation(email);
    expect(pending.status).toBe(201);
    const body = createEvent(email);
    const headers = signWebhook(body);
    const replies = await Promise.all([call("POST", PATH, { body, headers }), call("POST", PATH, { body, headers })]);
    expect(replies.map((reply) => reply.status)).toEqual([409, 409]);
    for (const reply of replies) expect(reply.body.error.existing_id).toBe(pending.body.id);
    expect(await receiptExists(headers["webhook-id"]!)).toBe(false);
    expect(await invitationsTo(tenant, email)).toBe(1);
  });

  it("with the provider down the webhook still answers processed (retrying), and the email goes out once later", async () => {
    const email = newEmail();
    const reply = await deliverWebhook(createEvent(email), { env: DEAD_PROVIDER });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: "processed", delivery_status: "retrying" });
    expect(await invitationsTo(tenant, email)).toBe(1);
    expect(await mailFor(email)).toHaveLength(0);

    const uuid = uuidOf(reply.body.invitation_id);
    await withDb((db) =>
      db
        .update(outboxMessages)
        .set({ nextAttemptAt: sql`now() - interval '5 minutes'` })
        .where(and(eq(outboxMessages.invitationId, uuid), eq(outboxMessages.status, "pending"))),
    );
    await runCron({ ...testEnv, OUTBOX_QUEUE: undefined });
    const mail = await mailFor(email);
    expect(mail).toHaveLength(1);
    const [message] = await withDb((db) =>
      db.select().from(outboxMessages).where(eq(outboxMessages.invitationId, uuid)).orderBy(asc(outboxMessages.id)),
    );
    expect(mail[0]!.idempotencyKey).toBe(message!.id);
  });
});
