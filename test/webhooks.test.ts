// The invitation-emails webhook: Standard Webhooks signatures (bad, foreign, stale, replayed), the two event
// types, refusals of malformed events (only once the signature holds), and the audit trail's `webhook` actor.

import { and, asc, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../functions/background";
import { ID_PREFIX, parseTypeId } from "../functions/platform/ids";
import { outboxMessages, webhookReceipts } from "../schema";
import {
  call,
  codeIn,
  createTenant,
  invitationsTo,
  invitationTrail,
  mailFor,
  quirkyProvider,
  quirkyReceived,
  signWebhook,
  type Tenant,
  testEnv,
  uniqueSuffix,
  withDb,
} from "./harness";

const PATH = "/v1/webhooks/invitation-emails";
/** The provider is down: every send is answered 503 (retryable), so nothing goes out until it is back. */
const DEAD_PROVIDER = quirkyProvider("down-503");
const newEmail = (label = "hooked") => `${label}-${uniqueSuffix()}@example.test`;
const newWebhookId = () => `msg_${uniqueSuffix()}${uniqueSuffix()}`;

const uuidOf = (id: string) => parseTypeId(ID_PREFIX.invitation, id) as string;
const lookup = (code: string) => call("POST", "/v1/invitations:lookup", { body: { code } });

/** A signed request for a JSON body (the harness signs exactly what `call` sends). */
function deliverWebhook(
  body: unknown,
  options: { id?: string; timestamp?: Date; secret?: string; env?: Record<string, string> } = {},
) {
  const { env, ...signing } = options;
  return call("POST", PATH, { body, headers: signWebhook(body, signing), ...(env ? { env } : {}) });
}

/** A raw body signed as is (for bodies that are not JSON). */
function signedRaw(raw: string, id = newWebhookId()) {
  const timestamp = new Date();
  return call("POST", PATH, {
    rawBody: raw,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "webhook-signature": new Webhook(testEnv.WEBHOOK_SECRET!).sign(id, timestamp, raw),
    },
  });
}

/** A manager's invitation whose code was handed back instead of sent (delivery none). */
const codeOnlyInvitation = (email: string) =>
  call("POST", "/v1/invitations", {
    token: tenant.people.manager.token,
    body: { organisation_id: tenant.id, email, role_id: tenant.roleIds.member, delivery: "none" },
  });

async function receiptExists(id: string): Promise<boolean> {
  const rows = await withDb((db) => db.select().from(webhookReceipts).where(eq(webhookReceipts.id, id)));
  return rows.length === 1;
}

let tenant: Tenant;
const createEvent = (email: string, extra: Record<string, unknown> = {}) => ({
  type: "invitation.create",
  data: { organisation_id: tenant.id, email, role_id: tenant.roleIds.member, ...extra },
});

beforeAll(async () => {
  tenant = await createTenant("webhooks");
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

describe("signature and replay", () => {
  it("a tampered signature is 401 and nothing is stored", async () => {
    const email = newEmail();
    const body = createEvent(email);
    const headers = signWebhook(body);
    const forged = `v1,${btoa("x".repeat(32))}`;
    const reply = await call("POST", PATH, { body, headers: { ...headers, "webhook-signature": forged } });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("authentication_failed");
    expect(await invitationsTo(tenant, email)).toBe(0);
    expect(await receiptExists(headers["webhook-id"]!)).toBe(false);
  });

  it("a body changed after signing is 401", async () => {
    const email = newEmail();
    const signed = createEvent(newEmail());
    const headers = signWebhook(signed);
    const reply = await call("POST", PATH, { body: createEvent(email), headers });
    expect(reply.status).toBe(401);
    expect(await invitationsTo(tenant, email)).toBe(0);
  });

  it("a body signed with another secret is 401", async () => {
    const email = newEmail();
    const otherSecret = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
    const reply = await deliverWebhook(createEvent(email), { secret: otherSecret });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("authentication_failed");
    expect(await invitationsTo(tenant, email)).toBe(0);
  });

  it("a timestamp more than five minutes old, or ahead, is 401 even when correctly signed", async () => {
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const email = newEmail();
      const reply = await deliverWebhook(createEvent(email), { timestamp: new Date(Date.now() + offset) });
      expect(reply.status, String(offset)).toBe(401);
      expect(await invitationsTo(tenant, email)).toBe(0);
    }
    const email = newEmail();
    const recent = await deliverWebhook(createEvent(email), { timestamp: new Date(Date.now() - 2 * 60_000) });
    expect(recent.status).toBe(200);
  });

  it("a request without the webhook headers is 401", async () => {
    const email = newEmail();
    const reply = await call("POST", PATH, { body: createEvent(email) });
    expect(reply.status).toBe(401);
    expect(await invitationsTo(tenant, email)).toBe(0);
  });

  it("a signature list with one valid signature among others (key rotation) is accepted", async () => {
    const email = newEmail();
    const body = createEvent(email);
    const headers = signWebhook(body);
    const reply = await call("POST", PATH, {
      body,
      headers: { ...headers, "webhook-signature": `v1,${btoa("y".repeat(32))} ${headers["webhook-signature"]}` },
    });
    expect(reply.status).toBe(200);
    expect(await invitationsTo(tenant, email)).toBe(1);
  });

  it("a replayed webhook-id is 200 duplicate and does nothing: one invitation, one email, one audit event", async () => {
    const email = newEmail();
    const body = createEvent(email);
    const headers = signWebhook(body);
    const first = await call("POST", PATH, { body, headers });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe("processed");

    const replay = await call("POST", PATH, { body, headers });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      object: "webhook_receipt",
      id: headers["webhook-id"],
      status: "duplicate",
      invitation_id: null,
    });
    expect(await invitationsTo(tenant, email)).toBe(1);
    expect(await mailFor(email)).toHaveLength(1);
    expect(await invitationTrail(tenant, first.body.invitation_id)).toHaveLength(1);

    // The same id with another (validly signed) event is a replay too.
    const otherEmail = newEmail();
    const other = await deliverWebhook(createEvent(otherEmail), { id: headers["webhook-id"] });
    expect(other.status).toBe(200);
    expect(other.body.status).toBe("duplicate");
    expect(await invitationsTo(tenant, otherEmail)).toBe(0);
  });

  it("two identical signed deliveries of one webhook-id at once are processed once: one invitation, one audit event, one message; the other answer is duplicate", async () => {
    const email = newEmail();
    const body = createEvent(email);
    const headers = signWebhook(body);
    // A provider whose 2xx is not JSON: it once made the first delivery crash after its work, freeing the id.
    const env = quirkyProvider("plain-200");
    const replies = await Promise.all([
      call("POST", PATH, { body, headers, env }),
      call("POST", PATH, { body, headers, env }),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
    expect(replies.map((reply) => reply.body.status).sort()).toEqual(["duplicate", "processed"]);
    const processed = replies.find((reply) => reply.body.status === "processed")!;
    expect(processed.body.delivery_status).toBe("sent");
    expect(replies.find((reply) => reply.body.status === "duplicate")!.body.invitation_id).toBeNull();

    expect(await invitationsTo(tenant, email)).toBe(1);
    expect(await invitationTrail(tenant, processed.body.invitation_id)).toHaveLength(1);
    const messages = await withDb((db) =>
      db
        .select()
        .from(outboxMessages)
        .where(eq(outboxMessages.invitationId, uuidOf(processed.body.invitation_id))),
    );
    expect(messages.map((message) => message.status)).toEqual(["sent"]);
    expect(await quirkyReceived(email)).toBe(1);
    expect(await receiptExists(headers["webhook-id"]!)).toBe(true);
  });

  it("a replayed invitation.send does not rotate the code again", async () => {
    const email = newEmail();
    const created = await deliverWebhook(createEvent(email));
    const body = { type: "invitation.send", data: { invitation_id: created.body.invitation_id } };
    const headers = signWebhook(body);
    expect((await call("POST", PATH, { body, headers })).body.status).toBe("processed");
    const mail = await mailFor(email);
    expect(mail).toHaveLength(2);
    expect((await call("POST", PATH, { body, headers })).body.status).toBe("duplicate");
    expect(await mailFor(email)).toHaveLength(2);
    expect((await lookup(codeIn(mail[1]!))).status).toBe(200);
  });
});

describe("malformed events", () => {
  it("an unknown event type, correctly signed, is 400", async () => {
    const id = newWebhookId();
    const reply = await deliverWebhook(
      { type: "invitation.delete", data: { invitation_id: "inv_01h455vb4pex5vsknk084sn02q" } },
      { id },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_error");
    expect(await receiptExists(id)).toBe(false);
  });

  it("malformed JSON, correctly signed, is 400 parse_error; the same garbage unsigned is 401", async () => {
    const signed = await signedRaw("{not json");
    expect(signed.status).toBe(400);
    expect(signed.body.error.code).toBe("parse_error");

    const unsigned = await call("POST", PATH, {
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe("authentication_failed");
  });

  it("an event missing its fields, correctly signed, is 400 naming them; unsigned it is 401", async () => {
    const email = newEmail();
    const missing = { type: "invitation.create", data: { email } };
    const signed = await deliverWebhook(missing);
    expect(signed.status).toBe(400);
    expect(signed.body.error.code).toBe("validation_error");
    expect(Object.keys(signed.body.error.fields).join(" ")).toContain("organisation_id");
    expect(Object.keys(signed.body.error.fields).join(" ")).toContain("role_id");

    const unsigned = await call("POST", PATH, { body: missing });
    expect(unsigned.status).toBe(401);

    const noData = await deliverWebhook({ type: "invitation.send" });
    expect(noData.status).toBe(400);
    const extra = await deliverWebhook({ ...createEvent(email), surprise: true });
    expect(extra.status).toBe(400);
    expect(await invitationsTo(tenant, email)).toBe(0);
  });

  it("a webhook-id over 200 characters or with spaces, correctly signed, is 400 naming the header; nothing is stored", async () => {
    for (const id of [`msg_${"a".repeat(4996)}`, `msg_${"a".repeat(197)}`, "msg_with space"]) {
      const email = newEmail();
      const reply = await deliverWebhook(createEvent(email), { id });
      expect(reply.status, `${id.length} characters`).toBe(400);
      expect(reply.body.error.code).toBe("validation_error");
      expect(reply.body.error.fields).toHaveProperty("webhook-id");
      expect(await receiptExists(id)).toBe(false);
      expect(await invitationsTo(tenant, email)).toBe(0);
    }
    const longest = `msg_${"a".repeat(180)}${uniqueSuffix()}${uniqueSuffix()}`;
    expect(longest).toHaveLength(200);
    const accepted = await deliverWebhook(createEvent(newEmail()), { id: longest });
    expect(accepted.status).toBe(200);
    expect(accepted.body.id).toBe(longest);
  });

  it("a webhook refused as invalid does not use up its id: a corrected event with the same id is processed", async () => {
    const id = newWebhookId();
    const email = newEmail();
    const invalid = await deliverWebhook({ type: "invitation.create", data: { email } }, { id });
    expect(invalid.status).toBe(400);
    const corrected = await deliverWebhook(createEvent(email), { id });
    expect(corrected.status).toBe(200);
    expect(corrected.body.status).toBe("processed");
    expect(await invitationsTo(tenant, email)).toBe(1);
  });

  it("an event for an organisation's role given in another organisation is 400 and creates nothing", async () => {
    const other = await createTenant("webhooks-other");
    const email = newEmail();
    const reply = await deliverWebhook(createEvent(email, { role_id: other.roleIds.member }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("role_id");
    expect(await invitationsTo(tenant, email)).toBe(0);
  });
});

describe("receipts over time", () => {
  it("the scheduled job forgets receipts older than a week and keeps newer ones", async () => {
    const [old, recent] = [newWebhookId(), newWebhookId()];
    await withDb((db) =>
      db.insert(webhookReceipts).values([
        { id: old, type: "invitation.create", receivedAt: sql`now() - interval '8 days'` },
        { id: recent, type: "invitation.create", receivedAt: sql`now() - interval '6 days'` },
      ]),
    );
    const { forgotten } = await runCron({ ...testEnv, OUTBOX_QUEUE: undefined });
    expect(await receiptExists(old)).toBe(false);
    expect(await receiptExists(recent)).toBe(true);
    expect(forgotten).toBeGreaterThanOrEqual(1);
  });
});
