import { createScheduledController } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { scheduled } from "../functions/background";
import { ID_PREFIX, parseTypeId, toTypeId } from "../functions/platform/ids";
import { organisations } from "../schema";
import { call, createTenant, personToken, type Reply, type Tenant, testEnv, uniqueSuffix, withDb } from "./harness";

const ALLOWED_ORIGIN = "https://app.example.com";
const UNREACHABLE_DATABASE = "postgres://muster:muster@localhost:1/none";

/** An error in the one envelope, whose request id is the response's X-Request-Id. */
function expectError(reply: Reply, status: number, code: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  expect(reply.body?.error?.code, reply.text).toBe(code);
  expect(typeof reply.body.error.message).toBe("string");
  expect(reply.body.error.message.length).toBeGreaterThan(0);
  expect(reply.body.error.request_id).toMatch(/^req_/);
  expect(reply.body.error.request_id).toBe(reply.headers.get("x-request-id"));
}

const allowHeader = (reply: Reply) =>
  (reply.headers.get("allow") ?? "")
    .split(",")
    .map((method) => method.trim())
    .filter(Boolean)
    .sort();

async function organisationCount(): Promise<number> {
  return withDb(async (db) => (await db.select({ id: organisations.id }).from(organisations)).length);
}

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

  describe("response headers", () => {
    it("every response carries X-Request-Id, errors included, and the error body repeats it", async () => {
      const ok = await call("GET", "/v1/organisations", { token });
      const anonymous = await call("GET", "/v1/organisations");
      const missing = await call("GET", "/v1/nowhere");
      const health = await call("GET", "/healthz");
      const ids = [ok, anonymous, missing, health].map((reply) => reply.headers.get("x-request-id"));
      for (const id of ids) expect(id).toMatch(/^req_[0-9a-z]+$/);
      expect(new Set(ids).size).toBe(ids.length);
      expect(anonymous.body.error.request_id).toBe(ids[1]);
      expect(missing.body.error.request_id).toBe(ids[2]);
    });

    it("success and error responses carry secure headers (nosniff, HSTS)", async () => {
      for (const reply of [
        await call("GET", "/v1/organisations", { token }),
        await call("GET", "/v1/organisations"),
        await call("GET", "/v1/nowhere"),
        await call("GET", "/healthz"),
      ]) {
        expect(reply.headers.get("x-content-type-options")).toBe("nosniff");
        expect(reply.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      }
    });

    it("authenticated responses carry Cache-Control: no-store", async () => {
      const list = await call("GET", "/v1/organisations", { token });
      expect(list.status).toBe(200);
      expect(list.headers.get("cache-control")).toContain("no-store");
      const item = await call("GET", `/v1/organisations/${tenant.id}`, { token });
      expect(item.status).toBe(200);
      expect(item.headers.get("cache-control")).toContain("no-store");
      const other = await createTenant("http-other");
      const hidden = await call("GET", `/v1/organisations/${other.id}`, { token });
      expect(hidden.status).toBe(404);
      expect(hidden.headers.get("cache-control")).toContain("no-store");
    });
  });

  describe("CORS", () => {
    it("a preflight from the configured origin gets Access-Control-Allow-Origin echoing it", async () => {
      const reply = await call("OPTIONS", "/v1/organisations", {
        headers: {
          origin: ALLOWED_ORIGIN,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
      expect(reply.status).toBeLessThan(300);
      expect(reply.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
      expect(reply.headers.get("access-control-allow-methods") ?? "").toContain("POST");
      expect((reply.headers.get("access-control-allow-headers") ?? "").toLowerCase()).toContain("authorization");
      expect(reply.headers.get("vary") ?? "").toMatch(/origin/i);
    });

    it("a GET from the configured origin gets Access-Control-Allow-Origin and exposed X-Request-Id", async () => {
      const reply = await call("GET", "/v1/organisations", { token, headers: { origin: ALLOWED_ORIGIN } });
      expect(reply.status).toBe(200);
      expect(reply.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
      expect((reply.headers.get("access-control-expose-headers") ?? "").toLowerCase()).toContain("x-request-id");
    });

    it("a preflight or GET from another origin gets no Access-Control-Allow-Origin", async () => {
      for (const origin of ["https://evil.example", "https://app.example.com.evil.example", "null"]) {
        const preflight = await call("OPTIONS", "/v1/organisations", {
          headers: { origin, "access-control-request-method": "POST" },
        });
        expect(preflight.headers.get("access-control-allow-origin"), origin).toBeNull();
        const get = await call("GET", "/v1/organisations", { token, headers: { origin } });
        expect(get.status).toBe(200);
        expect(get.headers.get("access-control-allow-origin"), origin).toBeNull();
      }
    });
  });

  describe("rate limiting", () => {
    const strict = () => ({ RATE_LIMITER: testEnv.STRICT_RATE_LIMITER, RATE_LIMIT_POLICY: "3/60" });

    it("the 4th request by one credential within the window gets 429 rate_limited with Retry-After", async () => {
      const limited = await personToken({ email: `limited-${uniqueSuffix()}@example.test` });
      for (let i = 1; i <= 3; i++) {
        const reply = await call("GET", "/v1/organisations", { token: limited, env: strict() });
        expect(reply.status, `request ${i}: ${reply.text}`).toBe(200);
        expect(reply.headers.get("ratelimit-policy")).toMatch(/q=3/);
        expect(reply.headers.get("ratelimit-policy")).toMatch(/w=60/);
      }
      const fourth = await call("GET", "/v1/organisations", { token: limited, env: strict() });
      expectError(fourth, 429, "rate_limited");
      const retryAfter = Number(fourth.headers.get("retry-after"));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(fourth.headers.get("ratelimit")).toMatch(/r=0/);
      expect(fourth.headers.get("ratelimit-policy")).toMatch(/q=3/);
      expect(fourth.headers.get("cache-control")).toBe("no-store");
    });

    it("another credential is not limited by the first one's exhausted bucket", async () => {
      const first = await personToken({ email: `bucket-a-${uniqueSuffix()}@example.test` });
      for (let i = 0; i < 4; i++) await call("GET", "/v1/organisations", { token: first, env: strict() });
      expectError(await call("GET", "/v1/organisations", { token: first, env: strict() }), 429, "rate_limited");
      const second = await personToken({ email: `bucket-b-${uniqueSuffix()}@example.test` });
      const reply = await call("GET", "/v1/organisations", { token: second, env: strict() });
      expect(reply.status, reply.text).toBe(200);
    });

    it("code guesses on :lookup from one client hit the small codes bucket (429) while its other calls go on", async () => {
      const env = { CODE_RATE_LIMITER: testEnv.STRICT_RATE_LIMITER, CODE_RATE_LIMIT_POLICY: "3/60" };
      const hex = uniqueSuffix();
      const client = { "cf-connecting-ip": `2001:db8::${hex.slice(0, 4)}:${hex.slice(4)}` };
      const guess = () =>
        call("POST", "/v1/invitations:lookup", { headers: client, body: { code: `guess-${uniqueSuffix()}` }, env });
      for (let i = 1; i <= 3; i++) {
        const reply = await guess();
        expectError(reply, 404, "not_found");
        expect(reply.headers.get("ratelimit-policy")).toMatch(/"codes";q=3;w=60/);
        expect(reply.headers.get("ratelimit-policy")).toMatch(/"per-credential";q=/);
      }
      const fourth = await guess();
      expectError(fourth, 429, "rate_limited");
      expect(fourth.headers.get("ratelimit")).toBe('"codes";r=0;t=60');
      expect(Number(fourth.headers.get("retry-after"))).toBe(60);
      // The same client's requests that take no code are not in that bucket.
      const health = await call("GET", "/healthz", { headers: client, env });
      expect(health.status, health.text).toBe(200);
      expect(health.headers.get("ratelimit-policy")).not.toMatch(/codes/);
    });
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
