import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, personToken, type Tenant, uniqueSuffix } from "../harness";
import { ALLOWED_ORIGIN, expectError } from "./helpers";

describe("HTTP hygiene", () => {
  let tenant: Tenant;
  let token: string;
  beforeAll(async () => {
    tenant = await createTenant("http");
    token = tenant.people.owner.token;
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
    // Outside any organisation a person's requests draw their personal bucket (RATE_LIMIT_POLICY).
    const strict = () => ({ RATE_LIMIT_POLICY: "3/60" });

    it("the 4th request by one credential within the window gets 429 rate_limited with Retry-After", async () => {
      const limited = await personToken({ email: `limited-${uniqueSuffix()}@example.test` });
      for (let i = 1; i <= 3; i++) {
        const reply = await call("GET", "/v1/organisations", { token: limited, env: strict() });
        expect(reply.status, `request ${i}: ${reply.text}`).toBe(200);
        expect(reply.headers.get("ratelimit-policy")).toBe('"personal";q=3;w=60');
        expect(reply.headers.get("ratelimit")).toMatch(new RegExp(`^"personal";r=${3 - i};t=\\d+$`));
      }
      const fourth = await call("GET", "/v1/organisations", { token: limited, env: strict() });
      expectError(fourth, 429, "rate_limited");
      // One request every 20 seconds refills a bucket of 3 per minute: that is the wait.
      expect(Number(fourth.headers.get("retry-after"))).toBe(20);
      expect(fourth.body.error.retry_after).toBe(20);
      expect(fourth.headers.get("ratelimit")).toMatch(/^"personal";r=0;t=(59|60)$/);
      expect(fourth.headers.get("ratelimit-policy")).toBe('"personal";q=3;w=60');
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
      const env = { CODE_RATE_LIMIT_POLICY: "3/60" };
      const hex = uniqueSuffix();
      const client = { "cf-connecting-ip": `2001:db8::${hex.slice(0, 4)}:${hex.slice(4)}` };
      const guess = () =>
        call("POST", "/v1/invitations:lookup", { headers: client, body: { code: `guess-${uniqueSuffix()}` }, env });
      for (let i = 1; i <= 3; i++) {
        const reply = await guess();
        expectError(reply, 404, "not_found");
        expect(reply.headers.get("ratelimit-policy")).toMatch(/^"anonymous";q=\d+;w=60, "codes";q=3;w=60$/);
        expect(reply.headers.get("ratelimit")).toMatch(new RegExp(`"codes";r=${3 - i};t=\\d+$`));
      }
      const fourth = await guess();
      expectError(fourth, 429, "rate_limited");
      expect(fourth.headers.get("ratelimit")).toMatch(/"codes";r=0;t=(59|60)$/);
      expect(Number(fourth.headers.get("retry-after"))).toBe(20);
      // The same client's requests that take no code are not in that bucket.
      const health = await call("GET", "/healthz", { headers: client, env });
      expect(health.status, health.text).toBe(200);
      expect(health.headers.get("ratelimit-policy")).not.toMatch(/codes/);
    });
  });
});
