// The invitation-emails webhook's Standard Webhooks signatures (bad, foreign, stale, rotated), replays of a
// webhook-id, and the receipts that remember them for a week.

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/background";
import { outboxMessages, webhookReceipts } from "../../schema";
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
  withDb,
} from "../harness";
import { createEventFor, deliverWebhook, lookup, newEmail, newWebhookId, PATH, receiptExists, uuidOf } from "./helpers";

let tenant: Tenant;
const createEvent = createEventFor(() => tenant);

beforeAll(async () => {
  tenant = await createTenant("webhooks");
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
