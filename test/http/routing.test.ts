import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { call, createTenant, personToken, type Tenant, uniqueSuffix } from "../harness";
import { allowHeader, expectError, organisationCount } from "./helpers";

describe("HTTP hygiene", () => {
  let tenant: Tenant;
  let token: string;
  beforeAll(async () => {
    tenant = await createTenant("http");
    token = tenant.people.owner.token;
  });

  describe("routing", () => {
    it("anyone calling an unknown /v1 route gets 404 not_found in the envelope", async () => {
      expectError(await call("GET", "/v1/no-such-thing"), 404, "not_found");
      expectError(await call("GET", "/v1/no-such-thing/abc", { token }), 404, "not_found");
      expectError(await call("POST", "/v1/organisations/x/y/z", { token, body: {} }), 404, "not_found");
    });

    it("PUT on /v1/organisations gets 405 method_not_allowed with Allow listing GET and POST", async () => {
      const reply = await call("PUT", "/v1/organisations", { token, body: { name: "x" } });
      expectError(reply, 405, "method_not_allowed");
      const allow = allowHeader(reply);
      expect(allow).toEqual(expect.arrayContaining(["GET", "POST"]));
      expect(allow).not.toContain("PUT");
      expect(allow).not.toContain("DELETE");
    });

    it("PUT on /v1/organisations/{id} gets 405 with Allow listing GET, PATCH and DELETE", async () => {
      const reply = await call("PUT", `/v1/organisations/${tenant.id}`, { token, body: { name: "x" } });
      expectError(reply, 405, "method_not_allowed");
      const allow = allowHeader(reply);
      expect(allow).toEqual(expect.arrayContaining(["DELETE", "GET", "PATCH"]));
      expect(allow).not.toContain("PUT");
      expect(allow).not.toContain("POST");
    });

    it("PUT on a custom method path (/v1/organisations/{id}:transfer-ownership) gets 405 with Allow: POST", async () => {
      const reply = await call("PUT", `/v1/organisations/${tenant.id}:transfer-ownership`, { token, body: {} });
      expectError(reply, 405, "method_not_allowed");
      expect(allowHeader(reply)).toEqual(["POST"]);
    });

    it("GET on a custom method path (/v1/organisations/{id}:transfer-ownership) gets 405 with Allow: POST", async () => {
      const reply = await call("GET", `/v1/organisations/${tenant.id}:transfer-ownership`, { token });
      expectError(reply, 405, "method_not_allowed");
      expect(allowHeader(reply)).toEqual(["POST"]);
    });

    it("DELETE on /v1/organisations gets 405, and the organisation list is unchanged", async () => {
      const before = await organisationCount();
      const reply = await call("DELETE", "/v1/organisations", { token });
      expectError(reply, 405, "method_not_allowed");
      expect(await organisationCount()).toBe(before);
    });

    it("an unknown custom verb on a real resource is 404 not_found whatever the method", async () => {
      for (const method of ["GET", "POST", "PATCH", "DELETE"]) {
        const reply = await call(method, `/v1/organisations/${tenant.id}:explode`, {
          token: tenant.people.owner.token,
          ...(method === "POST" || method === "PATCH" ? { body: {} } : {}),
        });
        expectError(reply, 404, "not_found");
      }
    });

    it("a GET with a trailing slash is served like without it (200, no redirect)", async () => {
      const plain = await call("GET", "/v1/organisations", { token });
      const slashed = await call("GET", "/v1/organisations/", { token });
      expect(slashed.status, slashed.text).toBe(200);
      expect(slashed.headers.get("location")).toBeNull();
      expect(slashed.body).toEqual(plain.body);

      const item = await call("GET", `/v1/organisations/${tenant.id}/`, { token });
      expect(item.status, item.text).toBe(200);
      expect(item.body.id).toBe(tenant.id);
    });

    it("a POST with a trailing slash is served like without it (201)", async () => {
      const founder = await personToken({ email: `slash-${uniqueSuffix()}@example.test` });
      const reply = await call("POST", "/v1/organisations/", { token: founder, body: { name: "Slash Ltd" } });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body.name).toBe("Slash Ltd");
    });
  });

  describe("path and query validation", () => {
    it("an id with the wrong TypeID prefix in a path gets 400 validation_error, not 404", async () => {
      const reply = await call("GET", `/v1/roles/${tenant.id}`, { token });
      expectError(reply, 400, "validation_error");
      expect(reply.body.error.fields).toHaveProperty("id");
      const organisation = await call("GET", `/v1/organisations/${tenant.roleIds.owner}`, { token });
      expectError(organisation, 400, "validation_error");
    });

    it("a malformed id in a path gets 400 validation_error", async () => {
      for (const id of ["nope", "role_", "role_!!!", "1"]) {
        const reply = await call("GET", `/v1/roles/${id}`, { token });
        expect(reply.status, `${id}: ${reply.text}`).toBe(400);
        expectError(reply, 400, "validation_error");
      }
    });

    it("a well-formed id of nobody gets 404 not_found", async () => {
      const reply = await call("GET", `/v1/roles/${toTypeId(ID_PREFIX.role, crypto.randomUUID())}`, { token });
      expectError(reply, 404, "not_found");
    });

    it("a cursor the API did not issue gets 400 validation_error", async () => {
      const forged = btoa(JSON.stringify({ after: "not-a-uuid" }));
      // A real id behind a UTF-8 byte-order mark is still not what the API writes.
      const withBom = btoa(`\xEF\xBB\xBF${JSON.stringify({ after: crypto.randomUUID() })}`);
      for (const cursor of ["garbage", "%%%", forged, btoa("[]"), withBom]) {
        const reply = await call("GET", `/v1/organisations?cursor=${encodeURIComponent(cursor)}`, { token });
        expect(reply.status, `${cursor}: ${reply.text}`).toBe(400);
        expectError(reply, 400, "validation_error");
      }
    });

    it("limit=0 and limit=101 get 400 validation_error naming limit; 1 and 100 are accepted", async () => {
      for (const limit of ["0", "101", "-1", "abc", "1.5"]) {
        const reply = await call("GET", `/v1/organisations?limit=${limit}`, { token });
        expect(reply.status, `limit=${limit}: ${reply.text}`).toBe(400);
        expectError(reply, 400, "validation_error");
        expect(reply.body.error.fields).toHaveProperty("limit");
      }
      for (const limit of ["1", "100"]) {
        const reply = await call("GET", `/v1/organisations?limit=${limit}`, { token });
        expect(reply.status, `limit=${limit}: ${reply.text}`).toBe(200);
      }
    });

    it("a limit written other than in decimal digits (1e2, 0x10, +5, ' 5') gets 400 naming limit on every list", async () => {
      const lists = [
        "/v1/organisations?",
        `/v1/members?organisation_id=${tenant.id}&`,
        `/v1/roles?organisation_id=${tenant.id}&`,
        `/v1/service-accounts?organisation_id=${tenant.id}&`,
        `/v1/service-accounts/${tenant.serviceAccount.id}/credentials?`,
        `/v1/audit-events?organisation_id=${tenant.id}&`,
        `/v1/invitations?organisation_id=${tenant.id}&`,
      ];
      for (const list of lists) {
        for (const limit of ["1e2", "0x10", "0b11", "+5", " 5", "5 ", "Infinity", "５"]) {
          const reply = await call("GET", `${list}limit=${encodeURIComponent(limit)}`, { token });
          expect(reply.status, `${list}limit=${JSON.stringify(limit)}: ${reply.text}`).toBe(400);
          expectError(reply, 400, "validation_error");
          expect(reply.body.error.fields).toHaveProperty("limit");
        }
        const decimal = await call("GET", `${list}limit=05`, { token });
        expect(decimal.status, `${list}limit=05: ${decimal.text}`).toBe(200);
      }
    });
  });
});
