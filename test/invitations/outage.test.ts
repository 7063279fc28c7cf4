// Delivery through a provider outage: the 502, the sweep, the queue consumer's retries.

import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queue, runCron } from "../../functions/background";
import { outboxMessages } from "../../schema";
import {
  call,
  codeIn,
  createTenant,
  invitationTrail,
  mailFor,
  type Tenant,
  testEnv,
  uniqueSuffix,
  withDb,
} from "../harness";
import {
  cronEnv,
  DEAD_PROVIDER,
  invitationRow,
  invite,
  lookup,
  makeDue,
  makeOverdue,
  newEmail,
  outboxOf,
  UNREACHABLE_PROVIDER,
  uuidOf,
} from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("invitations");
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
