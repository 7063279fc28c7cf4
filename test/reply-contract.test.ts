// The check `call` runs on every reply (test/harness/call.ts, test/contract/contract.ts) must be able to fail: real
// replies pass, and the same replies with a field renamed, dropped or of the wrong type, or with a status the
// operation does not declare, are refused with the operation, the status and the problem named.
import { beforeAll, describe, expect, it } from "vitest";
import { expectWithinContract, gatewayContract } from "./contract/contract";
import { call, createTenant, type Reply, type Tenant } from "./harness";

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant("checked");
});

/** The reply with its JSON body changed. */
function edited(reply: Reply, edit: (body: any) => void): Reply {
  const body = JSON.parse(reply.text);
  edit(body);
  return { ...reply, text: JSON.stringify(body) };
}

const refusal = (method: string, url: string, reply: Reply): string => {
  try {
    expectWithinContract(method, url, reply);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${method} ${url} → ${reply.status} to be refused: ${reply.text.slice(0, 300)}`);
};

describe("the reply check of the harness", () => {
  it("matches a request to its operation: custom methods, a trailing slash, no query; not an unknown path", () => {
    const name = (method: string, path: string) => {
      const op = gatewayContract().operationFor(method, path);
      return op ? `${op.method} ${op.path}` : undefined;
    };
    expect(name("POST", "/v1/invitations/inv_1:cancel")).toBe("POST /v1/invitations/{id}:cancel");
    expect(name("post", "/v1/invitations:lookup")).toBe("POST /v1/invitations:lookup");
    expect(name("GET", "/v1/invitations/inv_1/")).toBe("GET /v1/invitations/{id}");
    expect(name("DELETE", "/v1/service-accounts/sa_1/credentials/cred_1")).toBe(
      "DELETE /v1/service-accounts/{id}/credentials/{credential_id}",
    );
    expect(name("GET", "/v1/invitations/inv_1:cancel")).toBeUndefined();
    expect(name("GET", "/v1/nowhere")).toBeUndefined();
  });

  it("refuses a renamed field, a missing one and a wrong type, naming the operation, the status and the field", async () => {
    const path = `/v1/organisations/${tenant.id}`;
    const reply = await call("GET", path, { token: tenant.people.owner.token });
    expect(reply.status).toBe(200);
    expect(() => expectWithinContract("GET", path, reply)).not.toThrow();

    const renamed = refusal(
      "GET",
      path,
      edited(reply, (body) => {
        body.nmae = body.name;
        delete body.name;
      }),
    );
    expect(renamed).toMatch(/^GET \/v1\/organisations\/\{id\} answered 200 outside its contract/);
    expect(renamed).toContain('body: unknown property "nmae"');
    expect(renamed).toContain('body: missing required property "name"');
    expect(
      refusal(
        "GET",
        path,
        edited(reply, (body) => {
          body.name = 5;
        }),
      ),
    ).toContain("body/name must be string");
  });

  it("refuses an unknown or missing field deep in a list and in composed (allOf) schemas; the real replies pass", async () => {
    const list = await call("GET", "/v1/organisations?limit=5", { token: tenant.people.owner.token });
    expect(list.status).toBe(200);
    const extraInList = edited(list, (body) => {
      body.data[0].extra = true;
    });
    expect(refusal("GET", "/v1/organisations?limit=5", extraInList)).toContain('body/data/0: unknown property "extra"');

    // InvitationWithCode is allOf(Invitation, {code}); its role is allOf(RoleSummary, ...).
    const invitation = await call("POST", "/v1/invitations", {
      token: tenant.people.owner.token,
      body: {
        organisation_id: tenant.id,
        email: "checked@example.test",
        role_id: tenant.roleIds.viewer,
        delivery: "none",
      },
    });
    expect(invitation.status, invitation.text).toBe(201);
    expect(typeof invitation.body.code).toBe("string");
    const atTop = edited(invitation, (body) => {
      body.extra = 1;
    });
    expect(refusal("POST", "/v1/invitations", atTop)).toContain('body: unknown property "extra"');
    const inRole = edited(invitation, (body) => {
      body.role.extra = 1;
    });
    expect(refusal("POST", "/v1/invitations", inRole)).toContain('body/role: unknown property "extra"');
    // CreatedServiceAccountCredential is allOf(ServiceAccountCredential, {client_secret}), the secret required.
    const credentialsPath = `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`;
    const credential = await call("POST", credentialsPath, {
      token: tenant.people.owner.token,
      body: { name: "checked", scopes: ["read"] },
    });
    expect(credential.status, credential.text).toBe(201);
    const withoutSecret = edited(credential, (body) => {
      delete body.client_secret;
    });
    expect(refusal("POST", credentialsPath, withoutSecret)).toContain(
      'body: missing required property "client_secret"',
    );
  });

  it("refuses a status the operation does not declare, and an error off the envelope even on an unknown path", async () => {
    const reply = await call("GET", "/v1/organisations", { token: tenant.people.owner.token });
    expect(refusal("GET", "/v1/organisations?limit=1", { ...reply, status: 418 })).toMatch(
      /^GET \/v1\/organisations answered 418 outside its contract \(GET \/v1\/organisations\?limit=1\):\n {2}- status 418 is not declared/,
    );

    const missing = await call("GET", "/v1/nowhere");
    expect(missing.status).toBe(404);
    const offEnvelope = edited(missing, (body) => {
      body.error = body.error.message;
    });
    expect(refusal("GET", "/v1/nowhere", offEnvelope)).toMatch(/^GET \/v1\/nowhere \(no operation\) answered 404/);
    expect(() =>
      expectWithinContract("GET", "/v1/nowhere", { ...missing, status: 200, text: "anything" }),
    ).not.toThrow();
  });
});
