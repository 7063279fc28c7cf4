// PATCH /v1/platform/organisations/{id}: a platform administrator marks an organisation a program manager.
// Audited in that organisation's trail with the administrator as the actor; a no-op writes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import {
  auditEventsOf,
  auditTrail,
  call,
  createTenant,
  PLATFORM_ADMIN_EMAIL,
  platformAdminToken,
  type Tenant,
} from "../harness";

let tenant: Tenant;
let admin: string;
beforeAll(async () => {
  [tenant, admin] = await Promise.all([createTenant("managed"), platformAdminToken()]);
});

const administer = (body: unknown, id = tenant.id) =>
  call("PATCH", `/v1/platform/organisations/${id}`, { token: admin, body });

describe("platform administration of organisations", () => {
  it("a new organisation is no program manager, and its members see the flag", async () => {
    const reply = await call("GET", `/v1/organisations/${tenant.id}`, { token: tenant.people.viewer.token });
    expect(reply.body.program_manager).toBe(false);
  });

  it("an administrator who is no member marks it a program manager: the organisation comes back, members see it", async () => {
    const reply = await administer({ program_manager: true });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ id: tenant.id, object: "organisation", program_manager: true });
    const seen = await call("GET", `/v1/organisations/${tenant.id}`, { token: tenant.people.member.token });
    expect(seen.body.program_manager).toBe(true);
    const listed = await call("GET", "/v1/organisations", { token: tenant.people.owner.token });
    expect(listed.body.data.find((o: { id: string }) => o.id === tenant.id).program_manager).toBe(true);
  });

  it("the change is on the organisation's own trail, by the administrator, with what changed", async () => {
    await administer({ program_manager: false });
    const reply = await administer({ program_manager: true });
    const [event, ...more] = await auditEventsOf(reply);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      organisationId: tenant.uuid,
      action: "organisation.updated",
      actorType: "user",
      actorEmail: PLATFORM_ADMIN_EMAIL,
      resourceType: "organisation",
      resourceId: tenant.uuid,
      changes: { program_manager: { old: false, new: true } },
    });
    // Readable by the organisation's auditors like any other event.
    const feed = await call("GET", `/v1/audit-events?organisation_id=${tenant.id}&action=organisation.updated`, {
      token: tenant.people.owner.token,
    });
    expect(feed.body.data[0]).toMatchObject({
      action: "organisation.updated",
      actor: { type: "user", email: PLATFORM_ADMIN_EMAIL },
      changes: { program_manager: { old: false, new: true } },
    });
  });

  it("a PATCH that changes nothing writes nothing: no event, the same updated_at", async () => {
    const before = await administer({ program_manager: true });
    const trail = (await auditTrail(tenant.uuid)).length;
    for (const body of [{ program_manager: true }, {}]) {
      const reply = await administer(body);
      expect(reply.status).toBe(200);
      expect(reply.body.updated_at).toBe(before.body.updated_at);
      expect(await auditEventsOf(reply)).toEqual([]);
    }
    expect((await auditTrail(tenant.uuid)).length).toBe(trail);
  });

  it("an unknown organisation is 404; an id of another kind is 400", async () => {
    const unknown = await administer({ program_manager: true }, toTypeId(ID_PREFIX.organisation, crypto.randomUUID()));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    const wrongKind = await administer({ program_manager: true }, tenant.roleIds.owner);
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.fields).toHaveProperty("id");
  });

  it("the body is strict: unknown fields (name), an unknown plan and a non-boolean are 400 naming the field", async () => {
    for (const [body, field] of [
      [{ program_manager: "yes" }, "program_manager"],
      [{ program_manager: 1 }, "program_manager"],
      [{ plan: "platinum" }, "plan"],
      [{ overrides: { quotas: { seats: 3 } } }, "overrides.quotas.seats"],
      [{ overrides: { features: { custom_roles: "yes" } } }, "overrides.features.custom_roles"],
      [{ overrides: { rate_limit: { limit: 100, window_seconds: 60, burst: 10 } } }, "overrides.rate_limit.burst"],
      [{ allowed_ips: ["not an address"] }, "allowed_ips.0"],
      [{ name: "Renamed by an admin" }, "name"],
    ] as const) {
      const reply = await administer(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.fields).toHaveProperty(field);
    }
  });

  it("the organisation's own PATCH cannot set program_manager (only administrators do)", async () => {
    const reply = await call("PATCH", `/v1/organisations/${tenant.id}`, {
      token: tenant.people.owner.token,
      body: { program_manager: true },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("program_manager");
  });
});
