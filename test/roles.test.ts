import { beforeAll, describe, expect, it } from "vitest";
import { addPerson, auditCount, auditTrail, call, createTenant, type Tenant, uniqueSuffix } from "./harness";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("roles");
});

const createRole = (token: string, body: Record<string, unknown>) =>
  call("POST", "/v1/roles", { token, body: { organisation_id: tenant.id, ...body } });

describe("roles", () => {
  it("lists the five built-in roles, read-only, with their permissions", async () => {
    const reply = await call("GET", `/v1/roles?organisation_id=${tenant.id}`, { token: tenant.people.viewer.token });
    const builtIns = reply.body.data.filter((r: { built_in: boolean }) => r.built_in);
    expect(builtIns.map((r: { key: string }) => r.key).sort()).toEqual([
      "admin",
      "manager",
      "member",
      "owner",
      "viewer",
    ]);
    const owner = builtIns.find((r: { key: string }) => r.key === "owner");
    expect(owner.global_access).toBe(true);
    expect(owner.permissions).toContain("organisations:transfer");
    const patched = await call("PATCH", `/v1/roles/${tenant.roleIds.viewer}`, {
      token: tenant.people.owner.token,
      body: { name: "Reader" },
    });
    expect(patched.status).toBe(403);
    const removed = await call("DELETE", `/v1/roles/${tenant.roleIds.viewer}`, { token: tenant.people.owner.token });
    expect(removed.status).toBe(403);
  });

  it("an admin creates a custom role; its name is unique per organisation (409)", async () => {
    const created = await createRole(tenant.people.admin.token, {
      name: "Coordinator",
      description: "Runs <i>programs</i>",
      permissions: ["programs:write", "opportunities:write"],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "role", key: null, built_in: false, description: "Runs programs" });
    const again = await createRole(tenant.people.admin.token, { name: "coordinator" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");
  });

  it("a role's name is one line (a tab or line break is a 400 naming it); its description keeps line breaks", async () => {
    for (const name of ["Line\nbreak", "Tab\tbed", "Carriage\rreturn"]) {
      const created = await createRole(tenant.people.owner.token, { name });
      expect(created.status, `${JSON.stringify(name)}: ${created.text}`).toBe(400);
      expect(created.body.error.code).toBe("validation_error");
      expect(created.body.error.fields).toHaveProperty("name");
    }
    const description = "First line\nSecond line\r\n\tIndented";
    const created = await createRole(tenant.people.owner.token, { name: `Multi ${uniqueSuffix()}`, description });
    expect(created.status, created.text).toBe(201);
    expect(created.body.description).toBe(description);
    const renamed = await call("PATCH", `/v1/roles/${created.body.id}`, {
      token: tenant.people.owner.token,
      body: { name: "Renamed\n", description: "Still\nfine" },
    });
    expect(renamed.status, renamed.text).toBe(400);
    expect(Object.keys(renamed.body.error.fields)).toEqual(["name"]);
  });

  it("permissions outside the catalogue or held by the owner alone are refused with 400", async () => {
    const unknown = await createRole(tenant.people.owner.token, { name: "X", permissions: ["everything"] });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.error.fields)[0]).toMatch(/^permissions/);
    const ownerOnly = await createRole(tenant.people.owner.token, { name: "Y", permissions: ["organisations:delete"] });
    expect(ownerOnly.status).toBe(400);
  });

  it("a caller without global access cannot create a global-access role or grant permissions they lack", async () => {
    const roleAdmin = await createRole(tenant.people.owner.token, { name: "Role admin", permissions: ["roles:write"] });
    const person = await addPerson(tenant, roleAdmin.body.id, "roleadmin");
    const global = await createRole(person.token, { name: "Sneaky", global_access: true });
    expect(global.status).toBe(403);
    const escalate = await createRole(person.token, { name: "Sneakier", permissions: ["members:write"] });
    expect(escalate.status).toBe(403);
    const fine = await createRole(person.token, { name: "Fine", permissions: ["roles:write"] });
    expect(fine.status).toBe(201);
  });

  it("a role held by a service account cannot gain global access", async () => {
    const role = await createRole(tenant.people.owner.token, { name: "Integration", permissions: ["programs:write"] });
    const account = await call("POST", "/v1/service-accounts", {
      token: tenant.people.owner.token,
      body: { organisation_id: tenant.id, name: "sync", role_id: role.body.id },
    });
    expect(account.status).toBe(201);
    const reply = await call("PATCH", `/v1/roles/${role.body.id}`, {
      token: tenant.people.owner.token,
      body: { global_access: true },
    });
    expect(reply.status).toBe(403);
    const unchanged = await call("GET", `/v1/roles/${role.body.id}`, { token: tenant.people.owner.token });
    expect(unchanged.body.global_access).toBe(false);
  });

  it("a role in use cannot be deleted (409); an unused one can, with its audit event", async () => {
    const role = await createRole(tenant.people.owner.token, { name: "Temporary", permissions: [] });
    const person = await addPerson(tenant, role.body.id, "temp");
    const inUse = await call("DELETE", `/v1/roles/${role.body.id}`, { token: tenant.people.owner.token });
    expect(inUse.status).toBe(409);
    await call("PATCH", `/v1/members/${person.memberId}`, {
      token: tenant.people.owner.token,
      body: { role_id: tenant.roleIds.viewer },
    });
    const deleted = await call("DELETE", `/v1/roles/${role.body.id}`, { token: tenant.people.owner.token });
    expect(deleted.status).toBe(204);
    const event = (await auditTrail(tenant.uuid)).at(-1)!;
    expect(event.action).toBe("role.deleted");
    expect(event.changes.name).toEqual({ old: "Temporary", new: null });
    expect((await call("GET", `/v1/roles/${role.body.id}`, { token: tenant.people.owner.token })).status).toBe(404);
  });

  it("an update records only the fields that changed", async () => {
    const role = await createRole(tenant.people.owner.token, { name: "Diffed", permissions: ["programs:write"] });
    const reply = await call("PATCH", `/v1/roles/${role.body.id}`, {
      token: tenant.people.owner.token,
      body: { permissions: ["programs:write", "opportunities:write"] },
    });
    expect(reply.status).toBe(200);
    const event = (await auditTrail(tenant.uuid)).at(-1)!;
    expect(event.changes).toEqual({
      permissions: { old: ["programs:write"], new: ["programs:write", "opportunities:write"] },
    });
  });

  it("a PATCH that changes nothing writes no audit event and keeps updated_at", async () => {
    const role = await createRole(tenant.people.owner.token, { name: `Steady ${uniqueSuffix()}`, permissions: [] });
    const before = await auditCount(tenant.uuid);
    const reply = await call("PATCH", `/v1/roles/${role.body.id}`, {
      token: tenant.people.owner.token,
      body: { name: role.body.name, permissions: [] },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.updated_at).toBe(role.body.updated_at);
    expect(await auditCount(tenant.uuid)).toBe(before);
  });

  it("a role with a pending invitation cannot be deleted (409 naming it); once that is cancelled it can, and the past invitation keeps its history with role null", async () => {
    const role = await createRole(tenant.people.owner.token, { name: `Invited ${uniqueSuffix()}`, permissions: [] });
    const invited = await call("POST", "/v1/invitations", {
      token: tenant.people.owner.token,
      body: {
        organisation_id: tenant.id,
        email: `invitee-${uniqueSuffix()}@example.test`,
        role_id: role.body.id,
        delivery: "none",
      },
    });
    expect(invited.status, invited.text).toBe(201);
    const refused = await call("DELETE", `/v1/roles/${role.body.id}`, { token: tenant.people.owner.token });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.invitation_id).toBe(invited.body.id);

    const cancelled = await call("POST", `/v1/invitations/${invited.body.id}:cancel`, {
      token: tenant.people.owner.token,
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    const deleted = await call("DELETE", `/v1/roles/${role.body.id}`, { token: tenant.people.owner.token });
    expect(deleted.status, deleted.text).toBe(204);
    const past = await call("GET", `/v1/invitations/${invited.body.id}`, { token: tenant.people.owner.token });
    expect(past.status, past.text).toBe(200);
    expect(past.body).toMatchObject({ status: "cancelled", role: null });
    const listed = await call("GET", `/v1/invitations?organisation_id=${tenant.id}&status=cancelled`, {
      token: tenant.people.owner.token,
    });
    expect(listed.body.data.map((row: { id: string }) => row.id)).toContain(invited.body.id);
  });
});
