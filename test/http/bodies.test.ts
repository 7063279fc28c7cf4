// HTTP hygiene: request bodies (content types, malformed JSON, unknown and server-owned fields, the size limit,
// streamed bodies) and the display text in them.

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { organisations } from "../../schema";
import { call, createTenant, personToken, type Tenant, testEnv, uniqueSuffix, withDb } from "../harness";
import { expectError, organisationCount } from "./helpers";

describe("HTTP hygiene", () => {
  let tenant: Tenant;
  let token: string;
  beforeAll(async () => {
    tenant = await createTenant("http");
    token = tenant.people.owner.token;
  });

  describe("request bodies", () => {
    it("a body sent as text/plain gets 415 unsupported_media_type and creates nothing", async () => {
      const before = await organisationCount();
      const reply = await call("POST", "/v1/organisations", {
        token,
        rawBody: JSON.stringify({ name: "Plain Ltd" }),
        headers: { "content-type": "text/plain" },
      });
      expectError(reply, 415, "unsupported_media_type");
      expect(await organisationCount()).toBe(before);
    });

    it("a body without a content type gets 415 unsupported_media_type", async () => {
      const reply = await call("POST", "/v1/organisations", { token, rawBody: JSON.stringify({ name: "x" }) });
      expectError(reply, 415, "unsupported_media_type");
    });

    it("malformed JSON with a JSON content type gets 400 parse_error", async () => {
      for (const raw of ['{"name": "Acme"', "{name: 'Acme'}", "not json", ""]) {
        const reply = await call("POST", "/v1/organisations", {
          token,
          rawBody: raw,
          headers: { "content-type": "application/json" },
        });
        expect(reply.status, `${JSON.stringify(raw)}: ${reply.text}`).toBe(400);
        expectError(reply, 400, "parse_error");
      }
    });

    it("an unknown field in a body gets 400 validation_error with fields naming it", async () => {
      const before = await organisationCount();
      const reply = await call("POST", "/v1/organisations", { token, body: { name: "Acme", is_admin: true } });
      expectError(reply, 400, "validation_error");
      expect(reply.body.error.fields).toHaveProperty("is_admin");
      expect(await organisationCount()).toBe(before);
    });

    it("a server-owned field (id, created_at) in a body gets 400 validation_error", async () => {
      const reply = await call("POST", "/v1/organisations", {
        token,
        body: { name: "Acme", id: tenant.id, created_at: "2020-01-01T00:00:00Z" },
      });
      expectError(reply, 400, "validation_error");
      expect(reply.body.error.fields).toHaveProperty("id");
      expect(reply.body.error.fields).toHaveProperty("created_at");
    });

    it("a body over MAX_BODY_BYTES (64 KiB) gets 413 payload_too_large", async () => {
      expect(testEnv.MAX_BODY_BYTES).toBe("65536");
      const before = await organisationCount();
      const reply = await call("POST", "/v1/organisations", { token, body: { name: "x".repeat(70_000) } });
      expectError(reply, 413, "payload_too_large");
      expect(await organisationCount()).toBe(before);
    });

    /** `parts` sent one chunk per pull, with no Content-Length; notes how far it was read and whether cancelled. */
    function streamOf(parts: string[]) {
      const encoder = new TextEncoder();
      const seen = { pulled: 0, closed: false, cancelled: false };
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const part = parts[seen.pulled++];
          if (part === undefined) {
            seen.closed = true;
            controller.close();
          } else controller.enqueue(encoder.encode(part));
        },
        cancel() {
          seen.cancelled = true;
        },
      });
      return { stream, seen };
    }

    it("a streamed body under the limit without Content-Length is taken whole", async () => {
      const founder = await personToken({ email: `stream-${uniqueSuffix()}@example.test` });
      const name = `Streamed ${"s".repeat(40)}`;
      const { stream, seen } = streamOf(['{"na', 'me":"', name.slice(0, 20), name.slice(20), '"}']);
      const reply = await call("POST", "/v1/organisations", {
        token: founder,
        rawBody: stream,
        headers: { "content-type": "application/json" },
        env: {},
      });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body.name).toBe(name);
      expect(seen.closed).toBe(true);
    });

    it("a streamed body over the limit gets 413 payload_too_large, its rest read to the end and dropped", async () => {
      // 12 × 16 KiB against the 64 KiB limit. A body left half-read (or cancelled) while the 413 goes out breaks
      // wrangler dev's proxy for every later request, so the rest must be drained, never kept.
      const parts = ['{"name":"', ...Array.from({ length: 12 }, () => "x".repeat(16_384)), '"}'];
      const { stream, seen } = streamOf(parts);
      const before = await organisationCount();
      const reply = await call("POST", "/v1/organisations", {
        token,
        rawBody: stream,
        headers: { "content-type": "application/json" },
        env: {},
      });
      expectError(reply, 413, "payload_too_large");
      expect(reply.body.error.limit).toBe(65_536);
      expect(seen).toEqual({ pulled: parts.length + 1, closed: true, cancelled: false });
      expect(await organisationCount()).toBe(before);
    });

    it("display text is trimmed and stripped of HTML", async () => {
      const founder = await personToken({ email: `html-${uniqueSuffix()}@example.test` });
      const reply = await call("POST", "/v1/organisations", {
        token: founder,
        body: { name: "  <script>x</script>Acme " },
      });
      expect(reply.status, reply.text).toBe(201);
      const name: string = reply.body.name;
      expect(name).not.toMatch(/[<>]/);
      expect(name).not.toMatch(/script/i);
      expect(name).toBe(name.trim());
      expect(name).toMatch(/^x?Acme$/);
      const stored = await withDb((db) =>
        db
          .select({ name: organisations.name })
          .from(organisations)
          .where(eq(organisations.id, parseTypeId(ID_PREFIX.organisation, reply.body.id)!)),
      );
      expect(stored[0]?.name).toBe(name);
    });

    it("display text with control characters gets 400 validation_error naming the field", async () => {
      const before = await organisationCount();
      for (const name of ["Acme\u0000Ltd", "Acme\u0007", "\u001bAcme", "Acme\u007f", "Acme\u0085"]) {
        const reply = await call("POST", "/v1/organisations", { token, body: { name } });
        expect(reply.status, `${JSON.stringify(name)}: ${reply.text}`).toBe(400);
        expectError(reply, 400, "validation_error");
        expect(reply.body.error.fields).toHaveProperty("name");
      }
      expect(await organisationCount()).toBe(before);
    });

    it("a name with a tab or a line break gets 400 validation_error naming it, on create and on rename", async () => {
      const before = await organisationCount();
      for (const name of ["Acme\nLtd", "Acme\tLtd", "Acme\rLtd", "Acme\r\nLtd", "Acme\n"]) {
        const created = await call("POST", "/v1/organisations", { token, body: { name } });
        expectError(created, 400, "validation_error");
        expect(created.body.error.fields, JSON.stringify(name)).toHaveProperty("name");
        const renamed = await call("PATCH", `/v1/organisations/${tenant.id}`, { token, body: { name } });
        expectError(renamed, 400, "validation_error");
        expect(renamed.body.error.fields, JSON.stringify(name)).toHaveProperty("name");
      }
      expect(await organisationCount()).toBe(before);
      expect((await call("GET", `/v1/organisations/${tenant.id}`, { token })).body.name).toBe(tenant.name);
    });

    it("the OpenAPI document says names are one line and descriptions may have line breaks", async () => {
      const { components } = (await call("GET", "/openapi.json")).body;
      const patternOf = (schema: string, field: string) =>
        new RegExp(components.schemas[schema].properties[field].pattern as string);
      for (const [schema, field] of [
        ["CreateOrganisation", "name"],
        ["CreateRole", "name"],
      ]) {
        expect(patternOf(schema!, field!).test("Acme Ltd"), `${schema}.${field}`).toBe(true);
        for (const text of ["Acme\nLtd", "Acme\tLtd", "Acme\rLtd", "Acme\u0000"]) {
          expect(patternOf(schema!, field!).test(text), `${schema}.${field} ${JSON.stringify(text)}`).toBe(false);
        }
      }
      const description = patternOf("CreateRole", "description");
      expect(description.test("line one\r\nline two\tend")).toBe(true);
      expect(description.test("bell\u0007")).toBe(false);
    });

    it("display text that is only HTML and spaces gets 400 validation_error (empty after stripping)", async () => {
      const reply = await call("POST", "/v1/organisations", { token, body: { name: "  <b></b>  " } });
      expectError(reply, 400, "validation_error");
      expect(reply.body.error.fields).toHaveProperty("name");
    });
  });
});
