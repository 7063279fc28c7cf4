// HTTP hygiene: the platform routes (/healthz, /openapi.json, /docs), and the app and the cron with the
// database unreachable.

import { createScheduledController } from "cloudflare:test";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { scheduled } from "../../functions/background";
import { call, createTenant, type Reply, type Tenant, testEnv } from "../harness";
import { expectError, UNREACHABLE_DATABASE } from "./helpers";

describe("HTTP hygiene", () => {
  let tenant: Tenant;
  let token: string;
  beforeAll(async () => {
    tenant = await createTenant("http");
    token = tenant.people.owner.token;
  });

  describe("with the database unreachable (cut on purpose)", () => {
    const cut = { DATABASE_URL: UNREACHABLE_DATABASE };
    let logged: string[];
    beforeAll(() => console.info("outage tests: the database is cut on purpose; the app's one-line logs are muted"));
    beforeEach(() => {
      logged = [];
      for (const level of ["log", "info", "warn", "error"] as const) {
        vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
          logged.push(args.map(String).join(" "));
        });
      }
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** A 503 in the envelope that says when to come back, logged as one line without a stack. */
    function expectUnavailable(reply: Reply) {
      expectError(reply, 503, "service_unavailable");
      expect(reply.text).not.toMatch(/ECONNREFUSED|localhost:1|muster:muster/);
      expect(reply.headers.get("retry-after")).toBe("3");
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/service unavailable/);
      expect(logged[0]).not.toContain("\n");
    }

    it("/healthz gets 503 service_unavailable (not 500) with Retry-After", async () => {
      expectUnavailable(await call("GET", "/healthz", { env: cut }));
    });

    it("an authenticated request gets 503 service_unavailable (not 500) with Retry-After", async () => {
      expectUnavailable(await call("GET", "/v1/organisations", { token, env: cut }));
    });

    it("the document declares Retry-After on every 503", async () => {
      const document = (await call("GET", "/openapi.json")).body;
      const unavailable = Object.values(document.paths).flatMap((operations) =>
        Object.values(operations as Record<string, { responses: Record<string, { headers?: object }> }>).map(
          (operation) => operation.responses["503"],
        ),
      );
      expect(unavailable.length).toBeGreaterThan(10);
      for (const response of unavailable) expect(response?.headers).toHaveProperty("Retry-After");
    });

    it("the cron skips its run with one line, neither throwing nor answering 500", async () => {
      await expect(scheduled(createScheduledController(), { ...testEnv, ...cut } as never)).resolves.toBeUndefined();
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/^cron: skipped, the database is unreachable/);
      expect(logged[0]).not.toContain("\n");
    });
  });

  describe("platform routes", () => {
    it("anyone gets 200 from /healthz with the database reachable", async () => {
      const reply = await call("GET", "/healthz");
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ status: "ok", database: "reachable" });
      expect(typeof reply.body.version).toBe("string");
    });

    it("anyone gets the OpenAPI 3.1 document from /openapi.json", async () => {
      const reply = await call("GET", "/openapi.json");
      expect(reply.status, reply.text.slice(0, 200)).toBe(200);
      expect(reply.headers.get("content-type") ?? "").toMatch(/^application\/json/);
      expect(reply.body.openapi).toMatch(/^3\.1\./);
      expect(reply.body.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      expect(reply.body.paths).toHaveProperty("/v1/organisations");
      expect(reply.body.paths).toHaveProperty("/v1/oauth/token");
      expect(reply.body.components.securitySchemes).toHaveProperty("bearerAuth");
    });

    it("anyone gets an HTML reference page at /docs that loads /docs/reference.js", async () => {
      const reply = await call("GET", "/docs");
      expect(reply.status).toBe(200);
      expect(reply.headers.get("content-type") ?? "").toMatch(/^text\/html/);
      expect(reply.text).toMatch(/<html/i);
      expect(reply.text).toContain('src="/docs/reference.js"');
    });

    it("/docs/reference.js is served as JavaScript", async () => {
      const reply = await call("GET", "/docs/reference.js");
      expect(reply.status).toBe(200);
      expect(reply.headers.get("content-type") ?? "").toMatch(/^(text|application)\/javascript/);
      expect(reply.text.length).toBeGreaterThan(1000);
      expect(reply.text.trimStart()).not.toMatch(/^</);
    });
  });
});
