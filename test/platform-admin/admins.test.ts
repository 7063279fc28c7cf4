// Who is a platform administrator: a person listed in PLATFORM_ADMINS by a verified email (any case) or by
// `issuer|subject`. An unverified email, anyone unlisted and every service account are refused with 403.
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createTenant,
  PLATFORM_ADMIN_EMAIL,
  PLATFORM_ADMIN_SUBJECT,
  personToken,
  platformAdminToken,
  type Tenant,
  uniqueSuffix,
} from "../harness";

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant("admins");
});

/** A platform-only request that changes nothing either way: the organisation's flag set to what it is. */
const tryAdministering = (token: string) =>
  call("PATCH", `/v1/platform/organisations/${tenant.id}`, { token, body: { program_manager: false } });

describe("platform administrators", () => {
  it("a person listed by a verified email is one, whatever the case of the address in the token", async () => {
    expect((await tryAdministering(await platformAdminToken())).status).toBe(200);
    const shouting = await personToken({
      email: PLATFORM_ADMIN_EMAIL.toUpperCase(),
      subject: `test|shouting-${uniqueSuffix()}`,
    });
    expect((await tryAdministering(shouting)).status).toBe(200);
  });

  it("the listed email is refused when the token does not say it is verified, saying so", async () => {
    for (const claims of [{ email_verified: false }, { email_verified: "true" }, { email_verified: undefined }]) {
      const token = await personToken({
        email: PLATFORM_ADMIN_EMAIL,
        subject: `test|unverified-${uniqueSuffix()}`,
        claims,
      });
      const reply = await tryAdministering(token);
      expect(reply.status, JSON.stringify(claims)).toBe(403);
      expect(reply.body.error.code).toBe("permission_denied");
      expect(reply.body.error.message).toMatch(/not verified/);
    }
  });

  it("a person listed by issuer|subject is one, with any email or none verified", async () => {
    const token = await personToken({
      email: `someone-${uniqueSuffix()}@elsewhere.test`,
      subject: PLATFORM_ADMIN_SUBJECT,
      claims: { email_verified: false },
    });
    expect((await tryAdministering(token)).status).toBe(200);
    // The same subject with another prefix or suffix is someone else.
    for (const subject of [`${PLATFORM_ADMIN_SUBJECT}x`, `x${PLATFORM_ADMIN_SUBJECT}`]) {
      const other = await personToken({ email: `other-${uniqueSuffix()}@elsewhere.test`, subject });
      expect((await tryAdministering(other)).status, subject).toBe(403);
    }
  });

  it("an unlisted person is refused, even the owner of the organisation; an email merely like an admin's too", async () => {
    for (const token of [
      tenant.people.owner.token,
      await personToken({ email: `x${PLATFORM_ADMIN_EMAIL}` }),
      await personToken({ email: `${PLATFORM_ADMIN_EMAIL}.evil.test` }),
    ]) {
      const reply = await tryAdministering(token);
      expect(reply.status).toBe(403);
      expect(reply.body.error).toMatchObject({
        code: "permission_denied",
        message: "Only platform administrators may do this.",
      });
    }
  });

  it("a service account never is one", async () => {
    const reply = await tryAdministering(tenant.serviceAccount.token);
    expect(reply.status).toBe(403);
    expect(reply.body.error.message).toMatch(/service account never is one/);
  });

  it("without credentials it is 401, and an administrator's token without the create scope is 403", async () => {
    expect((await call("PATCH", `/v1/platform/organisations/${tenant.id}`, { body: {} })).status).toBe(401);
    const reply = await tryAdministering(await platformAdminToken(["read"]));
    expect(reply.status).toBe(403);
    expect(reply.body.error.required_scope).toBe("create");
  });

  it("the document declares platform_admin in x-access: true on the platform routes, false elsewhere", async () => {
    const document = (await call("GET", "/openapi.json")).body;
    const byId: Record<string, { platform_admin: boolean; tenanted: boolean }> = {};
    for (const methods of Object.values<Record<string, any>>(document.paths)) {
      for (const operation of Object.values<any>(methods)) byId[operation.operationId] = operation["x-access"];
    }
    for (const id of ["updatePlatformOrganisation", "createDeliveryType", "updateDeliveryType", "deleteDeliveryType"]) {
      expect(byId[id], id).toMatchObject({ platform_admin: true, tenanted: false });
    }
    for (const id of ["updateOrganisation", "listDeliveryTypes", "listCurrencies", "createRole"]) {
      expect(byId[id]?.platform_admin, id).toBe(false);
    }
  });
});
