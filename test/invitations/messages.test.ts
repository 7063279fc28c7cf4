// What goes out: delivery none, custom messages and markup, a provider that misbehaves, what stored messages keep.

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/background";
import { outboxMessages } from "../../schema";
import {
  call,
  codeIn,
  createTenant,
  invitationsTo,
  mailFor,
  quirkyProvider,
  quirkyReceived,
  releaseQuirky,
  type Tenant,
  untilQuirkyReceived,
  withDb,
} from "../harness";
import { cronEnv, DEAD_PROVIDER, invitationRow, invite, lookup, makeDue, newEmail, outboxOf, uuidOf } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("invitations");
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
