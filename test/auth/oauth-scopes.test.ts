// The token endpoint's scopes: a credential's scopes bound what a client may ask for, and a narrowed token
// may do only what its scope allows.

import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, serviceToken, type Tenant, uniqueSuffix } from "../harness";

describe("POST /v1/oauth/token (client credentials)", () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await createTenant("oauth");
  });

  it("a client requesting a scope its credential lacks gets 400 validation_error naming scope", async () => {
    const owner = tenant.people.owner.token;
    const limited = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: owner,
      body: { name: "read only", scopes: ["read"] },
    });
    expect(limited.status, limited.text).toBe(201);
    const base = {
      grant_type: "client_credentials",
      client_id: limited.body.client_id,
      client_secret: limited.body.client_secret,
    };
    for (const scope of ["admin", "read create", "superuser"]) {
      const reply = await call("POST", "/v1/oauth/token", { body: { ...base, scope } });
      expect(reply.status, `${scope}: ${reply.text}`).toBe(400);
      expect(reply.body.error.code).toBe("validation_error");
      expect(reply.body.error.fields).toHaveProperty("scope");
    }
    const allowed = await call("POST", "/v1/oauth/token", { body: { ...base, scope: "read" } });
    expect(allowed.status, allowed.text).toBe(200);
    expect(allowed.body.scope).toBe("read");
  });

  it("a token narrowed to scope 'read' can GET but gets 403 permission_denied on a write", async () => {
    const owner = tenant.people.owner.token;
    const role = await call("POST", "/v1/roles", {
      token: owner,
      body: { organisation_id: tenant.id, name: `role writer ${uniqueSuffix()}`, permissions: ["roles:write"] },
    });
    expect(role.status, role.text).toBe(201);
    const account = await call("POST", "/v1/service-accounts", {
      token: owner,
      body: { organisation_id: tenant.id, name: `writer ${uniqueSuffix()}`, role_id: role.body.id },
    });
    expect(account.status, account.text).toBe(201);
    const credential = await call("POST", `/v1/service-accounts/${account.body.id}/credentials`, {
      token: owner,
      body: { name: "read and create", scopes: ["read", "create"] },
    });
    expect(credential.status, credential.text).toBe(201);

    const { client_id: clientId, client_secret: secret } = credential.body;
    const full = await serviceToken(clientId, secret);
    const narrowed = await call("POST", "/v1/oauth/token", {
      body: { grant_type: "client_credentials", client_id: clientId, client_secret: secret, scope: "read" },
    });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.body.scope).toBe("read");
    const readOnly = narrowed.body.access_token as string;

    const list = await call("GET", "/v1/roles", { token: readOnly });
    expect(list.status, list.text).toBe(200);
    const before = list.body.data.length;

    const refusedName = `refused ${uniqueSuffix()}`;
    const refused = await call("POST", "/v1/roles", { token: readOnly, body: { name: refusedName } });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error.code).toBe("permission_denied");
    expect(refused.body.error.request_id).toBe(refused.headers.get("x-request-id"));

    // The same service account with its full scopes may write: the 403 above came from the scope alone.
    const allowed = await call("POST", "/v1/roles", { token: full, body: { name: `allowed ${uniqueSuffix()}` } });
    expect(allowed.status, allowed.text).toBe(201);

    const after = await call("GET", "/v1/roles", { token: readOnly });
    expect(after.body.data.length).toBe(before + 1);
    expect(after.body.data.map((r: { name: string }) => r.name)).not.toContain(refusedName);
  });
});
