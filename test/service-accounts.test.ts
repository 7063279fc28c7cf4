import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../functions/platform/ids";
import { roles, serviceAccountCredentials, serviceAccounts } from "../schema";
import {
  addPerson,
  auditCount,
  auditTrail,
  call,
  createTenant,
  serviceToken,
  snapshot,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "./harness";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("robots");
});

const owner = () => tenant.people.owner.token;

describe("service accounts", () => {
  it("cannot hold a global-access role (403), whoever asks", async () => {
    for (const role of ["admin", "owner"] as const) {
      const reply = await call("POST", "/v1/service-accounts", {
        token: owner(),
        body: { organisation_id: tenant.id, name: "too powerful", role_id: tenant.roleIds[role] },
      });
      expect(reply.status).toBe(403);
    }
    const moved = await call("PATCH", `/v1/service-accounts/${tenant.serviceAccount.id}`, {
      token: owner(),
      body: { role_id: tenant.roleIds.admin },
    });
    expect(moved.status).toBe(403);
  });

  it("its token implies its organisation: lists work without organisation_id", async () => {
    const reply = await call("GET", "/v1/members", { token: tenant.serviceAccount.token });
    expect(reply.status).toBe(200);
    expect(reply.body.data.length).toBeGreaterThanOrEqual(5);
    const mine = await call("GET", "/v1/organisations", { token: tenant.serviceAccount.token });
    expect(mine.body.data.map((o: { id: string }) => o.id)).toEqual([tenant.id]);
  });

  it("the secret is shown once, stored only as a digest, and never listed", async () => {
    const created = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: owner(),
      body: { name: "deploy", scopes: ["read"], expires_in_days: 30 },
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.client_secret;
    expect(secret).toMatch(/^mst_secret_[A-Za-z0-9_-]{43}$/);
    expect(created.body.secret_hint).toBe(secret.slice(-4));
    const listed = await call("GET", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: owner(),
    });
    expect(listed.text).not.toContain(secret);
    expect(listed.body.data.some((c: { id: string }) => c.id === created.body.id)).toBe(true);
    const stored = await withDb((db) =>
      db
        .select()
        .from(serviceAccountCredentials)
        .where(eq(serviceAccountCredentials.id, parseTypeId(ID_PREFIX.credential, created.body.id)!)),
    );
    expect(stored[0]!.secretHash).not.toContain(secret);
    expect(stored[0]!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    const event = (await auditTrail(tenant.uuid)).at(-1)!;
    expect(event.action).toBe("service_account_credential.created");
    expect(JSON.stringify(event.changes)).not.toContain(secret);
  });

  it("a credential asked for with no body, or {}, is named by default and gets the least scope (read)", async () => {
    const path = `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`;
    const json = { "content-type": "application/json" };
    for (const [label, options] of [
      ["no body", {}],
      ["{}", { body: {} }],
      // What `curl -X POST -H 'content-type: application/json'` sends: a JSON type and no bytes.
      ["an empty JSON body", { headers: json }],
      ["an empty JSON body of length 0", { headers: json, rawBody: "" }],
    ] as const) {
      const created = await call("POST", path, { token: owner(), ...options });
      expect(created.status, `${label}: ${created.text}`).toBe(201);
      expect(created.body).toMatchObject({ name: "Default credential", scopes: ["read"], expires_at: null });
      const token = await serviceToken(created.body.client_id, created.body.client_secret);
      expect((await call("GET", "/v1/roles", { token })).status).toBe(200);
      const write = await call("PATCH", `/v1/members/${tenant.people.viewer.memberId}`, {
        token,
        body: { role_id: tenant.roleIds.member },
      });
      expect(write.status).toBe(403);
    }
    // Left out is not the same as sent without saying what it is.
    const before = await snapshot(tenant.uuid);
    const untyped = await call("POST", path, { token: owner(), rawBody: new TextEncoder().encode("{}") });
    expect(untyped.status, untyped.text).toBe(415);
    expect(untyped.body.error.code).toBe("unsupported_media_type");
    expect(await snapshot(tenant.uuid)).toEqual(before);
  });

  it("a token's scope bounds what the role permits", async () => {
    const credential = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: owner(),
      body: { name: "reader", scopes: ["read"] },
    });
    const token = await serviceToken(credential.body.client_id, credential.body.client_secret);
    expect((await call("GET", "/v1/roles", { token })).status).toBe(200);
    const write = await call("PATCH", `/v1/members/${tenant.people.viewer.memberId}`, {
      token,
      body: { role_id: tenant.roleIds.member },
    });
    expect(write.status).toBe(403);
    expect(write.body.error.required_scope).toBe("create");
  });

  it("a service account cannot create organisations", async () => {
    const reply = await call("POST", "/v1/organisations", { token: tenant.serviceAccount.token, body: { name: "x" } });
    expect(reply.status).toBe(403);
  });

  it("deleting a service account revokes its tokens at once", async () => {
    const account = await call("POST", "/v1/service-accounts", {
      token: owner(),
      body: { organisation_id: tenant.id, name: "short-lived", role_id: tenant.roleIds.member },
    });
    const credential = await call("POST", `/v1/service-accounts/${account.body.id}/credentials`, {
      token: owner(),
      body: { name: "k", scopes: ["read"] },
    });
    const token = await serviceToken(credential.body.client_id, credential.body.client_secret);
    expect((await call("GET", "/v1/roles", { token })).status).toBe(200);
    expect((await call("DELETE", `/v1/service-accounts/${account.body.id}`, { token: owner() })).status).toBe(204);
    const after = await call("GET", "/v1/roles", { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("authentication_failed");
    const exchange = await call("POST", "/v1/oauth/token", {
      body: {
        grant_type: "client_credentials",
        client_id: credential.body.client_id,
        client_secret: credential.body.client_secret,
      },
    });
    expect(exchange.status).toBe(401);
  });

  it("an update names the changed fields in its audit event", async () => {
    const reply = await call("PATCH", `/v1/service-accounts/${tenant.serviceAccount.id}`, {
      token: owner(),
      body: { name: "renamed robot", role_id: tenant.roleIds.member },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.role.key).toBe("member");
    const event = (await auditTrail(tenant.uuid)).at(-1)!;
    expect(event.action).toBe("service_account.updated");
    expect(Object.keys(event.changes).sort()).toEqual(["name", "role"]);
  });

  it("nobody issues a credential for an account whose role holds permissions they lack (403), and nothing is stored", async () => {
    const ops = await call("POST", "/v1/roles", {
      token: owner(),
      body: { organisation_id: tenant.id, name: `Ops ${uniqueSuffix()}`, permissions: ["service_accounts:write"] },
    });
    expect(ops.status, ops.text).toBe(201);
    const operator = await addPerson(tenant, ops.body.id, "operator");
    const managed = await call("POST", "/v1/service-accounts", {
      token: owner(),
      body: { organisation_id: tenant.id, name: "manager robot", role_id: tenant.roleIds.manager },
    });
    expect(managed.status, managed.text).toBe(201);
    const before = await snapshot(tenant.uuid);
    // The manager role holds invitations:write, programs:write, ...: more than the operator.
    const reply = await call("POST", `/v1/service-accounts/${managed.body.id}/credentials`, {
      token: operator.token,
      body: { name: "takeover", scopes: ["read", "create"] },
    });
    expect(reply.status, reply.text).toBe(403);
    expect(reply.body.error.message).toContain("invitations:write");
    expect(reply.body.client_secret).toBeUndefined();
    expect(await snapshot(tenant.uuid)).toEqual(before);
  });

  it("a token cannot issue a credential with scopes it does not carry itself (403)", async () => {
    const narrow = await tenant.tokenFor("owner", ["read", "create", "admin"]);
    const before = await snapshot(tenant.uuid);
    const reply = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: narrow,
      body: { name: "wider", scopes: ["read", "export"] },
    });
    expect(reply.status, reply.text).toBe(403);
    expect(reply.body.error.message).toContain("export");
    expect(await snapshot(tenant.uuid)).toEqual(before);
    const within = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: narrow,
      body: { name: "within", scopes: ["read"] },
    });
    expect(within.status, within.text).toBe(201);
  });

  it("a role gaining global access while a service account is given it: never both (parallel requests)", async () => {
    for (let round = 0; round < 8; round++) {
      const role = await call("POST", "/v1/roles", {
        token: owner(),
        body: { organisation_id: tenant.id, name: `Racy ${uniqueSuffix()}`, permissions: ["programs:write"] },
      });
      expect(role.status, role.text).toBe(201);
      const [gained, account] = await Promise.all([
        call("PATCH", `/v1/roles/${role.body.id}`, { token: owner(), body: { global_access: true } }),
        call("POST", "/v1/service-accounts", {
          token: owner(),
          body: { organisation_id: tenant.id, name: `racer ${round}`, role_id: role.body.id },
        }),
      ]);
      expect(gained.status === 200 && account.status === 201, `${gained.text} / ${account.text}`).toBe(false);
      const holders = await withDb((db) =>
        db
          .select({ id: serviceAccounts.id })
          .from(serviceAccounts)
          .innerJoin(roles, eq(roles.id, serviceAccounts.roleId))
          .where(eq(roles.globalAccess, true)),
      );
      expect(holders).toEqual([]);
    }
  });

  it("a service account's and a credential's names are one line (400 naming the field); a description keeps line breaks", async () => {
    const before = await snapshot(tenant.uuid);
    for (const name of ["robot\nname", "robot\tname", "robot\r"]) {
      const account = await call("POST", "/v1/service-accounts", {
        token: owner(),
        body: { organisation_id: tenant.id, name, role_id: tenant.roleIds.manager },
      });
      expect(account.status, `${JSON.stringify(name)}: ${account.text}`).toBe(400);
      expect(account.body.error.fields).toHaveProperty("name");
      const renamed = await call("PATCH", `/v1/service-accounts/${tenant.serviceAccount.id}`, {
        token: owner(),
        body: { name },
      });
      expect(renamed.status, `${JSON.stringify(name)}: ${renamed.text}`).toBe(400);
      expect(renamed.body.error.fields).toHaveProperty("name");
      const credential = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
        token: owner(),
        body: { name, scopes: ["read"] },
      });
      expect(credential.status, `${JSON.stringify(name)}: ${credential.text}`).toBe(400);
      expect(credential.body.error.fields).toHaveProperty("name");
    }
    expect(await snapshot(tenant.uuid)).toEqual(before);
    const description = "Nightly sync\n\tfrom the HR system";
    const account = await call("POST", "/v1/service-accounts", {
      token: owner(),
      body: {
        organisation_id: tenant.id,
        name: `multi ${uniqueSuffix()}`,
        role_id: tenant.roleIds.manager,
        description,
      },
    });
    expect(account.status, account.text).toBe(201);
    expect(account.body.description).toBe(description);
  });

  it("a PATCH that changes nothing writes no audit event and keeps updated_at", async () => {
    const current = await call("GET", `/v1/service-accounts/${tenant.serviceAccount.id}`, { token: owner() });
    const before = await auditCount(tenant.uuid);
    const reply = await call("PATCH", `/v1/service-accounts/${tenant.serviceAccount.id}`, {
      token: owner(),
      body: { name: current.body.name, role_id: current.body.role.id },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.updated_at).toBe(current.body.updated_at);
    expect(await auditCount(tenant.uuid)).toBe(before);
  });
});
