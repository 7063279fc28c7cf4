// Bulk invitations: a result per row, the queue, the row limit, refusals on their own row.

import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { queue } from "../../functions/background";
import { auditTrail, call, createTenant, invitationsTo, mailFor, type Tenant, testEnv, uniqueSuffix } from "../harness";
import { invitationRow, inviteWithCode, newEmail, newPhone, outboxOf, uuidOf } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("invitations");
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
