import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, type Tenant, withDb } from "./harness";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("audit");
  for (const name of ["Alpha", "Beta", "Gamma"]) {
    await call("POST", "/v1/roles", {
      token: tenant.people.admin.token,
      body: { organisation_id: tenant.id, name, permissions: [] },
      headers: { "user-agent": "audit-test/1.0", "cf-connecting-ip": "203.0.113.7" },
    });
  }
});

const list = (query: string, token = tenant.people.owner.token) =>
  call("GET", `/v1/audit-events?organisation_id=${tenant.id}${query}`, { token });

describe("audit events", () => {
  it("are listed newest first with actor, resource, diff and request context", async () => {
    const reply = await list("&action=role.created");
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((e: { resource: { name: string } }) => e.resource.name)).toEqual([
      "Gamma",
      "Beta",
      "Alpha",
    ]);
    const [event] = reply.body.data;
    expect(event).toMatchObject({
      object: "audit_event",
      organisation_id: tenant.id,
      action: "role.created",
      actor: { type: "user", id: tenant.people.admin.userId, email: tenant.people.admin.email },
      resource: { type: "role", name: "Gamma" },
      ip_address: "203.0.113.7",
      user_agent: "audit-test/1.0",
    });
    expect(event.resource.id).toMatch(/^role_/);
    expect(event.request_id).toMatch(/^req_/);
    expect(event.changes.name).toEqual({ old: null, new: "Gamma" });
  });

  it("filter by actor, resource, and time, and page with a cursor without gaps or repeats", async () => {
    const byActor = await list(`&actor_id=${tenant.people.admin.userId}`);
    expect(byActor.body.data.length).toBe(3);
    const resourceId = byActor.body.data[0].resource.id;
    const byResource = await list(`&resource_type=role&resource_id=${resourceId}`);
    expect(byResource.body.data.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([resourceId]);
    const future = await list(`&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future.body.data).toEqual([]);
    const everything = await list("&limit=100");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(`&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.data.map((e: { id: string }) => e.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(everything.body.data.map((e: { id: string }) => e.id));
  });

  it("record the address from CF-Connecting-IP only: X-Real-IP and X-Forwarded-For are the client's own say", async () => {
    const other = await createTenant("audit-ip");
    const create = (name: string, headers: Record<string, string>) =>
      call("POST", "/v1/roles", {
        token: other.people.owner.token,
        body: { organisation_id: other.id, name, permissions: [] },
        headers,
      });
    expect((await create("Spoofed", { "x-real-ip": "198.51.100.9", "x-forwarded-for": "198.51.100.9" })).status).toBe(
      201,
    );
    expect((await create("Edge", { "cf-connecting-ip": "203.0.113.8", "x-real-ip": "198.51.100.9" })).status).toBe(201);
    const reply = await call("GET", `/v1/audit-events?organisation_id=${other.id}&action=role.created`, {
      token: other.people.owner.token,
    });
    expect(reply.status, reply.text).toBe(200);
    const addressOf = (name: string) =>
      reply.body.data.find((e: { resource: { name: string } }) => e.resource.name === name)?.ip_address;
    expect(addressOf("Spoofed")).toBeNull();
    expect(addressOf("Edge")).toBe("203.0.113.8");
  });

  it("show times in UTC to the millisecond as stored (microseconds cut), and a system event's empty fields as null", async () => {
    const other = await createTenant("audit-time");
    await withDb((db) =>
      db.execute(sql`insert into audit_events (id, organisation_id, actor_type, action, resource_type, resource_id,
        changes, created_at)
        values (gen_random_uuid(), ${other.uuid}, 'system', 'invitation.expired', 'invitation', gen_random_uuid(),
          '{"status": {"old": "pending", "new": "expired"}, "note": {"old": null, "new": "a \\"quote\\", ☃"}}',
          '2026-03-05 09:08:07.123999+02')`),
    );
    const reply = await call("GET", `/v1/audit-events?organisation_id=${other.id}&action=invitation.expired`, {
      token: other.people.owner.token,
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.data).toHaveLength(1);
    expect(reply.body.data[0]).toMatchObject({
      created_at: "2026-03-05T07:08:07.123Z",
      actor: { type: "system", id: null, name: null, email: null },
      resource: { type: "invitation", name: null },
      changes: { status: { old: "pending", new: "expired" }, note: { old: null, new: 'a "quote", ☃' } },
      ip_address: null,
      user_agent: null,
      request_id: null,
    });
    expect(reply.body.data[0].resource.id).toMatch(/^inv_/);
  });

  it("need audit:read: a manager gets 403, and bad filters are 400", async () => {
    expect((await list("", tenant.people.manager.token)).status).toBe(403);
    expect((await list("&since=yesterday")).status).toBe(400);
    expect((await list("&actor_id=not-an-id")).status).toBe(400);
  });
});
