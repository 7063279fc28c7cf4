import { beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  auditCount,
  auditTrail,
  call,
  createTenant,
  serviceToken,
  type Tenant,
  uniqueSuffix,
} from "./harness";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("members");
});

describe("members", () => {
  it("lists members with their user and role, filtered by role and paginated by cursor", async () => {
    const all = await call("GET", `/v1/members?organisation_id=${tenant.id}&limit=2`, {
      token: tenant.people.viewer.token,
    });
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(2);
    expect(all.body.has_more).toBe(true);
    const next = await call(
      "GET",
      `/v1/members?organisation_id=${tenant.id}&limit=100&cursor=${all.body.next_cursor}`,
      {
        token: tenant.people.viewer.token,
      },
    );
    const ids = [...all.body.data, ...next.body.data].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(tenant.people.viewer.memberId);
    const admins = await call("GET", `/v1/members?organisation_id=${tenant.id}&role_id=${tenant.roleIds.admin}`, {
      token: tenant.people.viewer.token,
    });
    expect(admins.body.data.map((m: { id: string }) => m.id)).toEqual([tenant.people.admin.memberId]);
    expect(admins.body.data[0].user.email).toBe(tenant.people.admin.email);
  });

  it("a people's list without organisation_id is a 400 naming the field", async () => {
    const reply = await call("GET", "/v1/members", { token: tenant.people.owner.token });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("organisation_id");
  });

  it("an admin changes a member's role and the audit event records old and new role", async () => {
    const person = await addPerson(tenant, "member");
    const reply = await call("PATCH", `/v1/members/${person.memberId}`, {
      token: tenant.people.admin.token,
      body: { role_id: tenant.roleIds.manager },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.role.key).toBe("manager");
    const event = (await auditTrail(tenant.uuid)).at(-1)!;
    expect(event.action).toBe("member.role_changed");
    expect(event.changes.role).toEqual({
      old: expect.objectContaining({ key: "member" }),
      new: expect.objectContaining({ key: "manager" }),
    });
    expect(event.actorEmail).toBe(tenant.people.admin.email);
  });

  it("nobody changes the owner's role, not even an admin; the owner role cannot be handed out", async () => {
    const onOwner = await call("PATCH", `/v1/members/${tenant.people.owner.memberId}`, {
      token: tenant.people.admin.token,
      body: { role_id: tenant.roleIds.admin },
    });
    expect(onOwner.status).toBe(403);
    expect(onOwner.body.error.message).toContain(":transfer-ownership");
    const person = await addPerson(tenant, "member");
    const toOwner = await call("PATCH", `/v1/members/${person.memberId}`, {
      token: tenant.people.owner.token,
      body: { role_id: tenant.roleIds.owner },
    });
    expect(toOwner.status).toBe(403);
  });

  it("the owner cannot be removed and cannot leave", async () => {
    const removed = await call("DELETE", `/v1/members/${tenant.people.owner.memberId}`, {
      token: tenant.people.admin.token,
    });
    expect(removed.status).toBe(403);
    const left = await call("DELETE", `/v1/members/${tenant.people.owner.memberId}`, {
      token: tenant.people.owner.token,
    });
    expect(left.status).toBe(403);
    expect(left.body.error.message).toContain("transfer ownership");
  });

  it("a member may leave on their own, recorded as member.left", async () => {
    const person = await addPerson(tenant, "viewer");
    const reply = await call("DELETE", `/v1/members/${person.memberId}`, { token: person.token });
    expect(reply.status).toBe(204);
    expect((await auditTrail(tenant.uuid)).at(-1)!.action).toBe("member.left");
  });

  it("only callers with global access change or remove global-access members", async () => {
    const custom = await call("POST", "/v1/roles", {
      token: tenant.people.owner.token,
      body: { organisation_id: tenant.id, name: "People manager", permissions: ["members:write"] },
    });
    const manager = await addPerson(tenant, custom.body.id, "peoplemanager");
    const admin = await addPerson(tenant, "admin");
    const change = await call("PATCH", `/v1/members/${admin.memberId}`, {
      token: manager.token,
      body: { role_id: tenant.roleIds.viewer },
    });
    expect(change.status).toBe(403);
    const remove = await call("DELETE", `/v1/members/${admin.memberId}`, { token: manager.token });
    expect(remove.status).toBe(403);
    const member = await addPerson(tenant, "member");
    const grant = await call("PATCH", `/v1/members/${member.memberId}`, {
      token: manager.token,
      body: { role_id: tenant.roleIds.admin },
    });
    expect(grant.status).toBe(403);
    const allowed = await call("PATCH", `/v1/members/${member.memberId}`, {
      token: manager.token,
      body: { role_id: tenant.roleIds.viewer },
    });
    expect(allowed.status).toBe(200);
  });

  it("service accounts never grant global access nor touch global-access members", async () => {
    const account = await call("POST", "/v1/service-accounts", {
      token: tenant.people.owner.token,
      body: { organisation_id: tenant.id, name: "hr-sync", role_id: await peopleRole() },
    });
    const credential = await call("POST", `/v1/service-accounts/${account.body.id}/credentials`, {
      token: tenant.people.owner.token,
      body: { name: "k", scopes: ["read", "create"] },
    });
    const token = await serviceToken(credential.body.client_id, credential.body.client_secret);
    const member = await addPerson(tenant, "member");
    const grant = await call("PATCH", `/v1/members/${member.memberId}`, {
      token,
      body: { role_id: tenant.roleIds.admin },
    });
    expect(grant.status).toBe(403);
    const admin = await addPerson(tenant, "admin");
    const remove = await call("DELETE", `/v1/members/${admin.memberId}`, { token });
    expect(remove.status).toBe(403);
    const ordinary = await call("PATCH", `/v1/members/${member.memberId}`, {
      token,
      body: { role_id: tenant.roleIds.viewer },
    });
    expect(ordinary.status).toBe(200);
    const event = (await auditTrail(tenant.uuid)).at(-1)!;
    expect(event.actorType).toBe("service_account");
    expect(event.actorName).toBe("hr-sync");
  });

  it("a role of another organisation is refused with 400 and nothing changes", async () => {
    const other = await createTenant("members-other");
    const reply = await call("PATCH", `/v1/members/${tenant.people.member.memberId}`, {
      token: tenant.people.owner.token,
      body: { role_id: other.roleIds.viewer },
    });
    expect(reply.status).toBe(400);
    const still = await call("GET", `/v1/members/${tenant.people.member.memberId}`, {
      token: tenant.people.owner.token,
    });
    expect(still.body.role.key).toBe("member");
  });

  it("a member with members:write but not a permission cannot hand out a role carrying it, not even to themselves (403)", async () => {
    const createRole = (name: string, permissions: string[]) =>
      call("POST", "/v1/roles", {
        token: tenant.people.owner.token,
        body: { organisation_id: tenant.id, name: `${name} ${uniqueSuffix()}`, permissions },
      });
    const hr = await createRole("HR", ["members:write"]);
    const power = await createRole("Power", ["members:write", "roles:write", "audit:read"]);
    expect([hr.status, power.status]).toEqual([201, 201]);
    const clerk = await addPerson(tenant, hr.body.id, "clerk");
    const before = await auditCount(tenant.uuid);

    const self = await call("PATCH", `/v1/members/${clerk.memberId}`, {
      token: clerk.token,
      body: { role_id: power.body.id },
    });
    expect(self.status, self.text).toBe(403);
    expect(self.body.error.message).toContain("roles:write");
    const other = await addPerson(tenant, "viewer", "raised");
    const raised = await call("PATCH", `/v1/members/${other.memberId}`, {
      token: clerk.token,
      body: { role_id: power.body.id },
    });
    expect(raised.status, raised.text).toBe(403);
    expect(await auditCount(tenant.uuid)).toBe(before);
    const unchanged = await call("GET", `/v1/members/${clerk.memberId}`, { token: clerk.token });
    expect(unchanged.body.role.id).toBe(hr.body.id);

    // What they hold themselves they may give.
    const given = await call("PATCH", `/v1/members/${other.memberId}`, {
      token: clerk.token,
      body: { role_id: hr.body.id },
    });
    expect(given.status, given.text).toBe(200);
  });

  it("setting a member's role to the one they hold changes nothing and writes no audit event", async () => {
    const person = await addPerson(tenant, "manager");
    const before = await auditCount(tenant.uuid);
    const reply = await call("PATCH", `/v1/members/${person.memberId}`, {
      token: tenant.people.admin.token,
      body: { role_id: tenant.roleIds.manager },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.role.key).toBe("manager");
    expect(await auditCount(tenant.uuid)).toBe(before);
  });
});

let peopleRoleId: string | undefined;
async function peopleRole(): Promise<string> {
  if (!peopleRoleId) {
    const reply = await call("POST", "/v1/roles", {
      token: tenant.people.owner.token,
      body: { organisation_id: tenant.id, name: "Member sync", permissions: ["members:write"] },
    });
    peopleRoleId = reply.body.id;
  }
  return peopleRoleId!;
}
