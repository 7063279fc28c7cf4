// Idempotency-Key on invitation creates: replays, reuse with another request, parallel duplicates, a request
// still running, per-credential keys, invalid keys, and a replayed 502.

import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { hashSecret } from "../../functions/platform/secrets";
import { idempotencyKeys, roles } from "../../schema";
import {
  addPerson,
  auditTrail,
  call,
  createTenant,
  invitationsTo,
  mailFor,
  quirkyProvider,
  type Reply,
  type Tenant,
  testEnv,
  uniqueSuffix,
  withDb,
} from "../harness";
import { newEmail, newKey } from "./helpers";

/** The provider is down: every send is answered 503 (retryable), so nothing goes out until it is back. */
const DEAD_PROVIDER = quirkyProvider("down-503");

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("idempotency");
});

function createInvitation(
  body: Record<string, unknown>,
  key: string | undefined,
  options: { token?: string; env?: Record<string, string> } = {},
): Promise<Reply> {
  return call("POST", "/v1/invitations", {
    token: options.token ?? tenant.people.manager.token,
    body: { organisation_id: tenant.id, role_id: tenant.roleIds.member, ...body },
    headers: key === undefined ? {} : { "Idempotency-Key": key },
    ...(options.env ? { env: options.env } : {}),
  });
}

describe("Idempotency-Key", () => {
  it("a manager retries a create with the same key: the stored 201 is replayed with Idempotent-Replayed: true and an identical body; one invitation, one email, one audit event", async () => {
    const email = newEmail();
    const key = newKey();
    const first = await createInvitation({ email }, key);
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();

    const retry = await createInvitation({ email }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(retry.headers.get("content-type")).toContain("application/json");
    expect(retry.text).toBe(first.text);

    expect(await invitationsTo(tenant, email)).toBe(1);
    expect(await mailFor(email)).toHaveLength(1);
    const created = (await auditTrail(tenant.uuid)).filter(
      (event) => event.action === "invitation.created" && event.resourceName === email,
    );
    expect(created).toHaveLength(1);
  });

  it("without a key, the same request twice is two attempts (the second is 409 for the pending invitation)", async () => {
    const email = newEmail();
    const first = await createInvitation({ email, delivery: "none" }, undefined);
    expect(first.status).toBe(201);
    const second = await createInvitation({ email, delivery: "none" }, undefined);
    expect(second.status).toBe(409);
    expect(second.body.error.existing_id).toBe(first.body.id);
  });

  it("the same key with another body is 422 idempotency_key_reused and creates nothing", async () => {
    const key = newKey();
    const email = newEmail();
    expect((await createInvitation({ email, delivery: "none" }, key)).status).toBe(201);
    const otherEmail = newEmail();
    const reused = await createInvitation({ email: otherEmail, delivery: "none" }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("idempotency_key_reused");
    expect(await invitationsTo(tenant, otherEmail)).toBe(0);
    // The original request still replays.
    const replay = await createInvitation({ email, delivery: "none" }, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("the same key on another route is 422 and that request does nothing", async () => {
    const key = newKey();
    expect((await createInvitation({ email: newEmail(), delivery: "none" }, key)).status).toBe(201);
    const name = `Role ${uniqueSuffix()}`;
    const reused = await call("POST", "/v1/roles", {
      token: tenant.people.manager.token,
      headers: { "Idempotency-Key": key },
      body: { organisation_id: tenant.id, name },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("idempotency_key_reused");
    const rows = await withDb((db) => db.select().from(roles).where(eq(roles.name, name)));
    expect(rows).toHaveLength(0);
  });

  it("10 parallel creates with one key make exactly one invitation; the others are 409 in progress or replays of it", async () => {
    const email = newEmail();
    const key = newKey();
    const replies = await Promise.all(Array.from({ length: 10 }, () => createInvitation({ email }, key)));
    const originals = replies.filter(
      (reply) => reply.status === 201 && reply.headers.get("Idempotent-Replayed") === null,
    );
    expect(originals).toHaveLength(1);
    for (const reply of replies) {
      if (reply === originals[0]) continue;
      if (reply.status === 201) {
        expect(reply.headers.get("Idempotent-Replayed")).toBe("true");
        expect(reply.text).toBe(originals[0]!.text);
      } else {
        expect(reply.status).toBe(409);
        expect(reply.body.error.code).toBe("conflict");
        // In progress, not "already invited": the duplicate never reached the handler.
        expect(reply.body.error.existing_id).toBeUndefined();
      }
    }
    expect(await invitationsTo(tenant, email)).toBe(1);
    expect(await mailFor(email)).toHaveLength(1);
  });

  it("while the first request with a key is still running, a duplicate is 409; once its claim is abandoned, the retry runs", async () => {
    const person = await addPerson(tenant, "manager", "inflight");
    const email = newEmail();
    const key = newKey();
    const body = { organisation_id: tenant.id, role_id: tenant.roleIds.member, email, delivery: "none" };
    // The claim a request holds while it runs (as the middleware writes it), for this person, key and request.
    const owner = `user:${testEnv.AUTH_ISSUER}|test|${person.email}`;
    const requestHash = await hashSecret(`POST /v1/invitations\n${JSON.stringify(body)}`);
    await withDb((db) =>
      db.insert(idempotencyKeys).values({
        owner,
        key,
        requestHash,
        state: "in_progress",
        lockedUntil: sql`now() + interval '1 minute'`,
        expiresAt: sql`now() + interval '24 hours'`,
      }),
    );
    const send = () =>
      call("POST", "/v1/invitations", { token: person.token, body, headers: { "Idempotency-Key": key } });

    const inFlight = await send();
    expect(inFlight.status).toBe(409);
    expect(inFlight.body.error.code).toBe("conflict");
    expect(await invitationsTo(tenant, email)).toBe(0);

    await withDb((db) =>
      db
        .update(idempotencyKeys)
        .set({ lockedUntil: sql`now() - interval '1 second'` })
        .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key))),
    );
    const retried = await send();
    expect(retried.status).toBe(201);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await invitationsTo(tenant, email)).toBe(1);
  });

  it("keys are per credential: another person's same key is independent, and each still replays their own", async () => {
    const key = newKey();
    const mine = newEmail();
    const theirs = newEmail();
    const first = await createInvitation({ email: mine, delivery: "none" }, key);
    expect(first.status).toBe(201);

    const other = await createInvitation({ email: theirs, delivery: "none" }, key, {
      token: tenant.people.admin.token,
    });
    expect(other.status).toBe(201);
    expect(other.headers.get("Idempotent-Replayed")).toBeNull();
    expect(other.body.id).not.toBe(first.body.id);

    const robot = await createInvitation({ email: newEmail(), delivery: "none" }, key, {
      token: tenant.serviceAccount.token,
    });
    expect(robot.status).toBe(201);
    expect(robot.headers.get("Idempotent-Replayed")).toBeNull();

    const myReplay = await createInvitation({ email: mine, delivery: "none" }, key);
    expect(myReplay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(myReplay.body.id).toBe(first.body.id);
    const theirReplay = await createInvitation({ email: theirs, delivery: "none" }, key, {
      token: tenant.people.admin.token,
    });
    expect(theirReplay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(theirReplay.body.id).toBe(other.body.id);
  });

  it("an invalid key (over 255 characters, or with a space) is 400 and creates nothing; 255 visible characters are fine", async () => {
    for (const key of ["k".repeat(256), "has space", "tab\tkey"]) {
      const email = newEmail();
      const reply = await createInvitation({ email, delivery: "none" }, key);
      expect(reply.status, JSON.stringify(key)).toBe(400);
      expect(reply.body.error.code).toBe("validation_error");
      expect(reply.body.error.fields).toHaveProperty("Idempotency-Key");
      expect(await invitationsTo(tenant, email)).toBe(0);
    }
    const longest = `${uniqueSuffix()}${"k".repeat(247)}`;
    expect(longest).toHaveLength(255);
    const ok = await createInvitation({ email: newEmail(), delivery: "none" }, longest);
    expect(ok.status).toBe(201);
  });

  it("a replay of a 502 send_email_error stays a 502 with the same invitation_id, even with the provider back", async () => {
    const email = newEmail();
    const key = newKey();
    const failed = await createInvitation({ email }, key, { env: DEAD_PROVIDER });
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe("send_email_error");
    const invitationId = failed.body.error.invitation_id as string;
    expect(invitationId).toMatch(/^inv_/);

    const replay = await createInvitation({ email }, key);
    expect(replay.status).toBe(502);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.error.code).toBe("send_email_error");
    expect(replay.body.error.invitation_id).toBe(invitationId);
    expect(await invitationsTo(tenant, email)).toBe(1);

    // The way forward is :resend, which works.
    const resent = await call("POST", `/v1/invitations/${invitationId}:resend`, {
      token: tenant.people.manager.token,
    });
    expect(resent.status).toBe(200);
    expect(await mailFor(email)).toHaveLength(1);
  });
});
