// Idempotency-Key beyond invitations: another route's reply replayed, a refusal replayed as itself, a client
// secret never kept in clear for the replay, and keys forgotten once they expire.

import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/background";
import { idempotencyKeys, roles } from "../../schema";
import { auditTrail, call, createTenant, invitationsTo, type Tenant, testEnv, uniqueSuffix, withDb } from "../harness";
import { newEmail, newKey } from "./helpers";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("idempotency");
});

describe("Idempotency-Key", () => {
  it("an admin's POST /v1/roles with a key is replayed: the same role, created once, audited once", async () => {
    const key = newKey();
    const name = `Coordinator ${uniqueSuffix()}`;
    const body = { organisation_id: tenant.id, name, permissions: ["calendar:write"] };
    const send = () =>
      call("POST", "/v1/roles", { token: tenant.people.admin.token, body, headers: { "Idempotency-Key": key } });
    const first = await send();
    expect(first.status).toBe(201);
    const replay = await send();
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.text).toBe(first.text);

    const rows = await withDb((db) =>
      db
        .select()
        .from(roles)
        .where(and(eq(roles.organisationId, tenant.uuid), eq(roles.name, name))),
    );
    expect(rows).toHaveLength(1);
    const events = (await auditTrail(tenant.uuid)).filter(
      (event) => event.action === "role.created" && event.resourceName === name,
    );
    expect(events).toHaveLength(1);
  });

  it("a refusal is replayed as the same refusal: a viewer's 403 with a key stays 403", async () => {
    const key = newKey();
    const body = { organisation_id: tenant.id, role_id: tenant.roleIds.member, email: newEmail() };
    const send = () =>
      call("POST", "/v1/invitations", { token: tenant.people.viewer.token, body, headers: { "Idempotency-Key": key } });
    const first = await send();
    expect(first.status).toBe(403);
    const replay = await send();
    expect(replay.status).toBe(403);
    expect(replay.text).toBe(first.text);
    expect(await invitationsTo(tenant, body.email)).toBe(0);
  });

  it("an owner creates a credential with a key: the client secret is shown, but never kept in clear for the replay", async () => {
    const key = newKey();
    const reply = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: tenant.people.owner.token,
      headers: { "Idempotency-Key": key },
      body: { name: `ci ${uniqueSuffix()}`, scopes: ["read"] },
    });
    expect(reply.status).toBe(201);
    const secret = reply.body.client_secret as string;
    expect(secret.length).toBeGreaterThan(20);
    // "Shown once, stored hashed": no copy of the secret may sit in the database, the idempotency store included.
    const stored = await withDb((db) =>
      db.select({ body: idempotencyKeys.responseBody }).from(idempotencyKeys).where(eq(idempotencyKeys.key, key)),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body ?? "").not.toContain(secret);
    // The replay names the same credential, without its secret.
    const replay = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: tenant.people.owner.token,
      headers: { "Idempotency-Key": key },
      body: JSON.parse(JSON.stringify({ name: reply.body.name, scopes: ["read"] })),
    });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(reply.body.id);
    expect(replay.text).not.toContain(secret);
  });

  it("the scheduled job forgets keys past their expiry and keeps live ones", async () => {
    const owner = `user:${testEnv.AUTH_ISSUER}|test|forgotten-${uniqueSuffix()}@example.test`;
    const [stale, live] = [newKey(), newKey()];
    const stored = (key: string, expiresAt: ReturnType<typeof sql>) => ({
      owner,
      key,
      requestHash: "seeded",
      state: "completed" as const,
      responseStatus: 201,
      responseBody: "{}",
      lockedUntil: sql`now() - interval '1 day'`,
      expiresAt,
    });
    await withDb((db) =>
      db
        .insert(idempotencyKeys)
        .values([stored(stale, sql`now() - interval '1 minute'`), stored(live, sql`now() + interval '1 hour'`)]),
    );
    const { forgotten } = await runCron({ ...testEnv, OUTBOX_QUEUE: undefined });
    const left = await withDb((db) =>
      db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.owner, owner)),
    );
    expect(left.map((row) => row.key)).toEqual([live]);
    expect(forgotten).toBeGreaterThanOrEqual(1);
  });
});
