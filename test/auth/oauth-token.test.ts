// The token endpoint (client credentials): how a client authenticates (JSON, form, HTTP Basic), the secret
// refused or throttled, and requests that are not a client credentials grant.

import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { call, createTenant, type Reply, type Tenant, uniqueSuffix } from "../harness";
import { getOrganisations } from "./helpers";

describe("POST /v1/oauth/token (client credentials)", () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await createTenant("oauth");
  });

  const grant = (extra: Record<string, string> = {}) => ({
    grant_type: "client_credentials",
    client_id: tenant.serviceAccount.clientId,
    client_secret: tenant.serviceAccount.clientSecret,
    ...extra,
  });

  function expectTokenResponse(reply: Reply) {
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ token_type: "Bearer", scope: "read create export admin" });
    expect(typeof reply.body.access_token).toBe("string");
    expect(reply.body.access_token.split(".")).toHaveLength(3);
    expect(Number.isInteger(reply.body.expires_in)).toBe(true);
    expect(reply.body.expires_in).toBeGreaterThan(0);
    expect(reply.headers.get("cache-control")).toContain("no-store");
  }

  async function expectTokenWorks(token: string) {
    const reply = await getOrganisations(token);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.data.map((o: { id: string }) => o.id)).toEqual([tenant.id]);
  }

  it("a client sending its id and secret as JSON gets a Bearer token with expires_in and no-store", async () => {
    const reply = await call("POST", "/v1/oauth/token", { body: grant() });
    expectTokenResponse(reply);
    await expectTokenWorks(reply.body.access_token);
  });

  it("a client sending a form body (application/x-www-form-urlencoded) gets a token", async () => {
    const reply = await call("POST", "/v1/oauth/token", {
      rawBody: new URLSearchParams(grant()).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectTokenResponse(reply);
    await expectTokenWorks(reply.body.access_token);
  });

  it("a client authenticating with HTTP Basic gets a token", async () => {
    const { clientId, clientSecret } = tenant.serviceAccount;
    const basic = btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
    const reply = await call("POST", "/v1/oauth/token", {
      body: { grant_type: "client_credentials" },
      headers: { authorization: `Basic ${basic}` },
    });
    expectTokenResponse(reply);
    await expectTokenWorks(reply.body.access_token);
  });

  it("a client with the wrong secret gets 401 authentication_failed and no token", async () => {
    const reply = await call("POST", "/v1/oauth/token", { body: grant({ client_secret: "mst_secret_wrong" }) });
    expect(reply.status, reply.text).toBe(401);
    expect(reply.body.error.code).toBe("authentication_failed");
    expect(reply.body.error.request_id).toBe(reply.headers.get("x-request-id"));
    expect(reply.body.access_token).toBeUndefined();
    expect(reply.headers.get("www-authenticate")).toBeTruthy();
  });

  it("a client with the wrong secret over HTTP Basic gets 401 authentication_failed", async () => {
    const basic = btoa(`${tenant.serviceAccount.clientId}:mst_secret_wrong`);
    const reply = await call("POST", "/v1/oauth/token", {
      body: { grant_type: "client_credentials" },
      headers: { authorization: `Basic ${basic}` },
    });
    expect(reply.status, reply.text).toBe(401);
    expect(reply.body.error.code).toBe("authentication_failed");
  });

  it("an Idempotency-Key never replays a token: a retry gets a fresh token, and a wrong secret under the same key is 401", async () => {
    const { clientId, clientSecret } = tenant.serviceAccount;
    const basic = (secret: string) => ({
      authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
      "idempotency-key": "k-1",
    });
    const body = { grant_type: "client_credentials" };
    const first = await call("POST", "/v1/oauth/token", { body, headers: basic(clientSecret) });
    expectTokenResponse(first);
    const retry = await call("POST", "/v1/oauth/token", { body, headers: basic(clientSecret) });
    expectTokenResponse(retry);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(retry.body.access_token).not.toBe(first.body.access_token);
    const wrong = await call("POST", "/v1/oauth/token", { body, headers: basic("mst_secret_wrong") });
    expect(wrong.status, wrong.text).toBe(401);
    expect(wrong.body.access_token).toBeUndefined();
  });

  it("a client sending a malformed HTTP Basic header gets 401 authentication_failed", async () => {
    for (const header of ["Basic %%%", `Basic ${btoa("no-colon-here")}`, `Basic ${btoa("%E0%A4%A:secret")}`]) {
      const reply = await call("POST", "/v1/oauth/token", {
        body: { grant_type: "client_credentials" },
        headers: { authorization: header },
      });
      expect(reply.status, `${header}: ${reply.text}`).toBe(401);
      expect(reply.body.error.code, `${header}: ${reply.text}`).toBe("authentication_failed");
    }
  });

  it("a client sending credentials both with HTTP Basic and in the body gets 400 invalid_request and no token", async () => {
    const { clientId, clientSecret } = tenant.serviceAccount;
    const basic = { authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` };
    const wrongBasic = { authorization: `Basic ${btoa(`${clientId}:mst_secret_wrong`)}` };
    for (const [headers, body, field] of [
      [basic, grant(), "client_secret"],
      [wrongBasic, grant(), "client_secret"],
      [basic, { grant_type: "client_credentials", client_secret: clientSecret }, "client_secret"],
      [
        basic,
        { grant_type: "client_credentials", client_id: toTypeId(ID_PREFIX.credential, crypto.randomUUID()) },
        "client_id",
      ],
    ] as const) {
      const reply = await call("POST", "/v1/oauth/token", { body, headers });
      expect(reply.status, `${JSON.stringify(body)}: ${reply.text}`).toBe(400);
      expect(reply.body.error.code).toBe("invalid_request");
      expect(reply.body.error.fields).toHaveProperty(field);
      expect(reply.body.access_token).toBeUndefined();
    }
    const form = await call("POST", "/v1/oauth/token", {
      rawBody: new URLSearchParams(grant()).toString(),
      headers: { ...basic, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status, form.text).toBe(400);
    expect(form.body.error.code).toBe("invalid_request");
    // Naming the Basic client again in the body is one method, not two.
    const same = await call("POST", "/v1/oauth/token", {
      body: { grant_type: "client_credentials", client_id: clientId },
      headers: basic,
    });
    expectTokenResponse(same);
  });

  it("repeated attempts for one client_id are throttled (429 with Retry-After) while its general bucket has room", async () => {
    const strict = { SECRET_RATE_LIMIT_POLICY: "3/60" };
    const issued = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: tenant.people.owner.token,
      body: { name: `throttled ${uniqueSuffix()}`, scopes: ["read"] },
    });
    expect(issued.status, issued.text).toBe(201);
    const { client_id, client_secret } = issued.body;
    const started = Date.now();
    const wrong = [
      { body: grant({ client_id, client_secret: "mst_secret_wrong" }) },
      { body: grant({ client_id, client_secret: "mst_secret_wrong" }) },
      {
        body: { grant_type: "client_credentials" },
        headers: { authorization: `Basic ${btoa(`${client_id}:mst_secret_wrong`)}` },
      },
    ];
    for (const attempt of wrong) {
      const reply = await call("POST", "/v1/oauth/token", { ...attempt, env: strict });
      expect(reply.status, reply.text).toBe(401);
      expect(reply.headers.get("ratelimit-policy")).toMatch(/^"anonymous";q=\d+;w=60, "client-secret";q=3;w=60$/);
    }
    // Even the right secret waits now: a correct guess must not get through the throttle.
    const fourth = await call("POST", "/v1/oauth/token", { body: grant({ client_id, client_secret }), env: strict });
    expect(fourth.status, fourth.text).toBe(429);
    expect(fourth.body.error.code).toBe("rate_limited");
    expect(fourth.body.error.message).toMatch(/client_id/);
    expect(fourth.body.access_token).toBeUndefined();
    // One attempt's worth of the window (60 s / 3), less the whole seconds the attempts took (a busy machine).
    const retryAfter = Number(fourth.headers.get("retry-after"));
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(retryAfter).toBeGreaterThanOrEqual(20 - Math.ceil((Date.now() - started) / 1000));
    expect(fourth.headers.get("ratelimit")).toMatch(/"client-secret";r=0;t=(59|60)$/);
    // Another client id from the same caller is not in that bucket.
    expectTokenResponse(await call("POST", "/v1/oauth/token", { body: grant(), env: strict }));
  });

  it("an unknown client id gets 401 authentication_failed", async () => {
    const unknown = toTypeId(ID_PREFIX.credential, crypto.randomUUID());
    const reply = await call("POST", "/v1/oauth/token", { body: grant({ client_id: unknown }) });
    expect(reply.status, reply.text).toBe(401);
    expect(reply.body.error.code).toBe("authentication_failed");
  });

  it("a malformed client id gets 401 authentication_failed", async () => {
    for (const clientId of ["not-a-client", tenant.serviceAccount.id, "cred_", "' or 1=1 --"]) {
      const reply = await call("POST", "/v1/oauth/token", { body: grant({ client_id: clientId }) });
      expect(reply.status, `${clientId}: ${reply.text}`).toBe(401);
      expect(reply.body.error.code).toBe("authentication_failed");
    }
  });

  it("a request without any client credentials gets 401 not_authenticated", async () => {
    const reply = await call("POST", "/v1/oauth/token", { body: { grant_type: "client_credentials" } });
    expect(reply.status, reply.text).toBe(401);
    expect(reply.body.error.code).toBe("not_authenticated");
  });

  it("a request with another grant type gets 400 validation_error", async () => {
    const reply = await call("POST", "/v1/oauth/token", { body: grant({ grant_type: "password" }) });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.error.code).toBe("validation_error");
    expect(reply.body.error.fields).toHaveProperty("grant_type");
  });
});
