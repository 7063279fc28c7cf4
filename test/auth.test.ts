import { and, eq } from "drizzle-orm";
import {
  base64url,
  createLocalJWKSet,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../functions/platform/ids";
import { users } from "../schema";
import {
  call,
  createTenant,
  personToken,
  type Reply,
  serviceToken,
  type Tenant,
  testEnv,
  uniqueSuffix,
  withDb,
} from "./harness";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];
const now = () => Math.floor(Date.now() / 1000);

/** A 401 in the error envelope, with the request id of the response and a Bearer challenge (RFC 6750). */
function expectUnauthorized(reply: Reply, code: "authentication_failed" | "not_authenticated") {
  expect(reply.status, reply.text).toBe(401);
  expect(reply.body?.error?.code, reply.text).toBe(code);
  expect(typeof reply.body.error.message).toBe("string");
  expect(reply.body.error.message.length).toBeGreaterThan(0);
  expect(reply.body.error.request_id).toMatch(/^req_/);
  expect(reply.body.error.request_id).toBe(reply.headers.get("x-request-id"));
  expect(reply.headers.get("www-authenticate") ?? "").toMatch(/^Bearer\b/);
}

const identityProviderJwk = () => JSON.parse(testEnv.TEST_IDP_PRIVATE_KEY) as JWK;
const identityProviderPublicJwk = () => (JSON.parse(testEnv.AUTH_JWKS!) as { keys: JWK[] }).keys[0]!;

/** Signs arbitrary claims with the identity provider's real key (for tokens the harness cannot shape). */
async function signAsIdentityProvider(claims: Record<string, unknown>): Promise<string> {
  const jwk = identityProviderJwk();
  const key = await importJWK(jwk, "ES256");
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: jwk.kid }).sign(key);
}

function standardClaims(email: string): Record<string, unknown> {
  return {
    iss: testEnv.AUTH_ISSUER,
    aud: testEnv.AUTH_AUDIENCE,
    sub: `test|${email}`,
    email,
    email_verified: true,
    iat: now(),
    exp: now() + 3600,
  };
}

const getOrganisations = (token: string) => call("GET", "/v1/organisations", { token });

describe("authentication of people's tokens on GET /v1/organisations", () => {
  const email = () => `auth-${uniqueSuffix()}@example.test`;

  it("a request without an Authorization header gets 401 not_authenticated with WWW-Authenticate: Bearer", async () => {
    const reply = await call("GET", "/v1/organisations");
    expectUnauthorized(reply, "not_authenticated");
    expect(reply.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("a request with 'Authorization: Bearer' and an empty token gets 401 authentication_failed", async () => {
    expectUnauthorized(await call("GET", "/v1/organisations", { token: "" }), "authentication_failed");
    expectUnauthorized(
      await call("GET", "/v1/organisations", { headers: { authorization: "Bearer    " } }),
      "authentication_failed",
    );
  });

  it("a request with 'Bearer not.a.jwt' gets 401 authentication_failed", async () => {
    expectUnauthorized(await getOrganisations("not.a.jwt"), "authentication_failed");
  });

  it("a request with random garbage as the token gets 401 authentication_failed", async () => {
    for (const garbage of ["x", "....", "a.b.c.d.e", "eyJ.eyJ.sig", "%%%.%%%.%%%"]) {
      expectUnauthorized(await getOrganisations(garbage), "authentication_failed");
    }
  });

  it("a request with a non-Bearer scheme (Basic, Token) gets 401 authentication_failed", async () => {
    const token = await personToken({ email: email() });
    for (const header of [`Basic ${btoa("alice:secret")}`, `Token ${token}`, `Bearertoken ${token}`, token]) {
      expectUnauthorized(
        await call("GET", "/v1/organisations", { headers: { authorization: header } }),
        "authentication_failed",
      );
    }
  });

  it("a request whose Bearer scheme is written in lower case is accepted (the scheme is case-insensitive)", async () => {
    const token = await personToken({ email: email() });
    const reply = await call("GET", "/v1/organisations", { headers: { authorization: `bearer ${token}` } });
    expect(reply.status, reply.text).toBe(200);
  });

  it("an unsigned token (alg: none) gets 401 authentication_failed", async () => {
    const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
    const claims = standardClaims(email());
    for (const alg of ["none", "None", "NONE"]) {
      const unsigned = `${encode({ alg, typ: "JWT" })}.${encode(claims)}.`;
      expectUnauthorized(await getOrganisations(unsigned), "authentication_failed");
      const withKid = `${encode({ alg, typ: "JWT", kid: identityProviderJwk().kid })}.${encode(claims)}.`;
      expectUnauthorized(await getOrganisations(withKid), "authentication_failed");
    }
  });

  it("an HS256 token keyed with the identity provider's public key bytes gets 401 authentication_failed", async () => {
    const publicJwk = identityProviderPublicJwk();
    const publicKey = await importJWK(publicJwk, "ES256", { extractable: true });
    const pem = await exportSPKI(publicKey as CryptoKey);
    const point = new Uint8Array([
      0x04,
      ...base64url.decode(publicJwk.x as string),
      ...base64url.decode(publicJwk.y as string),
    ]);
    const encoder = new TextEncoder();
    const secrets: Record<string, Uint8Array> = {
      "the JWK": encoder.encode(JSON.stringify(publicJwk)),
      "the JWKS document": encoder.encode(testEnv.AUTH_JWKS),
      "the SPKI PEM": encoder.encode(pem),
      "the raw EC point": point,
    };
    const claims = standardClaims(email());
    for (const [label, secret] of Object.entries(secrets)) {
      for (const alg of ["HS256", "HS384", "HS512"]) {
        const forged = await new SignJWT(claims).setProtectedHeader({ alg, kid: publicJwk.kid }).sign(secret);
        const reply = await getOrganisations(forged);
        expect(reply.status, `${alg} with ${label}: ${reply.text}`).toBe(401);
        expectUnauthorized(reply, "authentication_failed");
      }
    }
  });

  it("an expired token (beyond the 30 s clock tolerance) gets 401 authentication_failed", async () => {
    const token = await personToken({ email: email(), expiresIn: now() - 120 });
    expectUnauthorized(await getOrganisations(token), "authentication_failed");
  });

  it("a token that expired within the 30 s clock tolerance is still accepted", async () => {
    const token = await personToken({ email: email(), expiresIn: now() - 5 });
    expect((await getOrganisations(token)).status).toBe(200);
  });

  it("a token whose nbf is in the future (beyond the clock tolerance) gets 401 authentication_failed", async () => {
    const token = await personToken({ email: email(), notBefore: now() + 300 });
    expectUnauthorized(await getOrganisations(token), "authentication_failed");
  });

  it("a token whose nbf is a few seconds ahead (within the clock tolerance) is accepted", async () => {
    const token = await personToken({ email: email(), notBefore: now() + 5 });
    expect((await getOrganisations(token)).status).toBe(200);
  });

  it("a token issued in the future (a year ahead, or beyond the 30 s clock tolerance) gets 401 authentication_failed", async () => {
    for (const ahead of [365 * 86_400, 120]) {
      const claims = { ...standardClaims(email()), iat: now() + ahead, exp: now() + ahead + 3600 };
      const reply = await getOrganisations(await signAsIdentityProvider(claims));
      expectUnauthorized(reply, "authentication_failed");
      expect(reply.body.error.message).toMatch(/issued in the future/);
    }
  });

  it("a token issued a few seconds ahead (within the clock tolerance) is accepted", async () => {
    const claims = { ...standardClaims(email()), iat: now() + 5 };
    expect((await getOrganisations(await signAsIdentityProvider(claims))).status).toBe(200);
  });

  it("a token whose lifetime (exp - iat) is over MAX_TOKEN_LIFETIME (default 24 h) gets 401 authentication_failed", async () => {
    for (const lifetime of [50 * 365 * 86_400, 86_401]) {
      const claims = { ...standardClaims(email()), exp: now() + lifetime };
      const reply = await getOrganisations(await signAsIdentityProvider(claims));
      expectUnauthorized(reply, "authentication_failed");
      expect(reply.body.error.message).toMatch(/lifetime is longer than the 86400 seconds/);
    }
    const day = { ...standardClaims(email()), exp: now() + 86_400 };
    expect((await getOrganisations(await signAsIdentityProvider(day))).status).toBe(200);
  });

  it("a token without iat is judged by what is left of it (exp - now)", async () => {
    const { iat: _iat, ...claims } = standardClaims(email());
    expect((await getOrganisations(await signAsIdentityProvider(claims))).status).toBe(200);
    const tooLong = await signAsIdentityProvider({ ...claims, exp: now() + 2 * 86_400 });
    expectUnauthorized(await getOrganisations(tooLong), "authentication_failed");
  });

  it("MAX_TOKEN_LIFETIME bounds the lifetime: a 1 h token is refused under a 10 min maximum", async () => {
    const token = await personToken({ email: email(), expiresIn: "1h" });
    const reply = await call("GET", "/v1/organisations", { token, env: { MAX_TOKEN_LIFETIME: "600" } });
    expectUnauthorized(reply, "authentication_failed");
    expect(reply.body.error.message).toMatch(/600 seconds/);
    expect((await call("GET", "/v1/organisations", { token, env: { MAX_TOKEN_LIFETIME: "3600" } })).status).toBe(200);
  });

  it("a token from another issuer gets 401 authentication_failed", async () => {
    for (const issuer of ["https://evil.example/", testEnv.AUTH_ISSUER.replace(/\/$/, ""), `${testEnv.AUTH_ISSUER}x`]) {
      const token = await personToken({ email: email(), issuer });
      expectUnauthorized(await getOrganisations(token), "authentication_failed");
    }
  });

  it("a token for another audience gets 401 authentication_failed", async () => {
    const token = await personToken({ email: email(), audience: "some-other-api" });
    expectUnauthorized(await getOrganisations(token), "authentication_failed");
  });

  it("a token without an exp claim gets 401 authentication_failed", async () => {
    const { exp: _exp, ...claims } = standardClaims(email());
    expectUnauthorized(await getOrganisations(await signAsIdentityProvider(claims)), "authentication_failed");
  });

  it("a token without a sub claim gets 401 authentication_failed", async () => {
    const { sub: _sub, ...claims } = standardClaims(email());
    expectUnauthorized(await getOrganisations(await signAsIdentityProvider(claims)), "authentication_failed");
  });

  it("a valid token whose payload was tampered with (email changed, signature kept) gets 401", async () => {
    const token = await personToken({ email: email() });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    claims.email = "ceo@victim.test";
    const tampered = [header, base64url.encode(JSON.stringify(claims)), signature].join(".");
    expect((await getOrganisations(token)).status).toBe(200);
    expectUnauthorized(await getOrganisations(tampered), "authentication_failed");
  });

  it("a token signed by a key whose kid is not in the JWKS gets 401 authentication_failed", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT(standardClaims(email()))
      .setProtectedHeader({ alg: "ES256", kid: `unknown-${uniqueSuffix()}` })
      .sign(privateKey);
    expectUnauthorized(await getOrganisations(token), "authentication_failed");
  });

  it("a token signed by another key under the identity provider's kid gets 401 authentication_failed", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT(standardClaims(email()))
      .setProtectedHeader({ alg: "ES256", kid: identityProviderJwk().kid })
      .sign(privateKey);
    expectUnauthorized(await getOrganisations(token), "authentication_failed");
  });

  it("a person's token signed by the identity provider but claiming the API as issuer gets 401", async () => {
    const token = await personToken({ email: email(), issuer: testEnv.API_ISSUER, audience: testEnv.API_ISSUER });
    expectUnauthorized(await getOrganisations(token), "authentication_failed");
  });

  it("a valid person's token gets 200 and a list", async () => {
    const reply = await getOrganisations(await personToken({ email: email() }));
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toEqual({ object: "list", data: [], has_more: false, next_cursor: null });
  });

  it("a person seen for the first time is recorded as a user, and their next request works too", async () => {
    const address = email();
    const token = await personToken({ email: address, name: "First Sight" });
    const findUser = () =>
      withDb((db) =>
        db
          .select()
          .from(users)
          .where(and(eq(users.issuer, testEnv.AUTH_ISSUER), eq(users.subject, `test|${address}`))),
      );
    expect(await findUser()).toHaveLength(0);

    const first = await getOrganisations(token);
    expect(first.status, first.text).toBe(200);
    const afterFirst = await findUser();
    expect(afterFirst).toHaveLength(1);
    expect(afterFirst[0]).toMatchObject({ email: address, emailVerified: true, name: "First Sight" });

    const second = await getOrganisations(token);
    expect(second.status, second.text).toBe(200);
    expect(await findUser()).toHaveLength(1);
  });
});

describe("authentication of service-account tokens", () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await createTenant("sa-auth");
  });

  const serviceClaims = () => ({
    org: tenant.id,
    cid: tenant.serviceAccount.clientId,
    scope: "read create export admin",
  });

  async function forge(privateKey: CryptoKey, kid: string): Promise<string> {
    return new SignJWT(serviceClaims())
      .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
      .setIssuer(testEnv.API_ISSUER)
      .setAudience(testEnv.API_ISSUER)
      .setSubject(tenant.serviceAccount.id)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
  }

  it("a service account's real token gets 200 and sees its own organisation", async () => {
    const reply = await getOrganisations(tenant.serviceAccount.token);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.data.map((o: { id: string }) => o.id)).toEqual([tenant.id]);
  });

  it("a token claiming the API issuer but signed by a foreign key (unknown kid) gets 401", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    expectUnauthorized(
      await getOrganisations(await forge(privateKey, `rogue-${uniqueSuffix()}`)),
      "authentication_failed",
    );
  });

  it("a token claiming the API issuer, signed by a foreign key under the API's own kid, gets 401", async () => {
    const jwks = await call("GET", "/.well-known/jwks.json");
    const apiKid = jwks.body.keys[0].kid as string;
    const { privateKey } = await generateKeyPair("ES256");
    expectUnauthorized(await getOrganisations(await forge(privateKey, apiKid)), "authentication_failed");
  });

  it("a token claiming the API issuer, signed with the identity provider's key, gets 401", async () => {
    const key = (await importJWK(identityProviderJwk(), "ES256")) as CryptoKey;
    expectUnauthorized(await getOrganisations(await forge(key, identityProviderJwk().kid!)), "authentication_failed");
  });

  it("an HS256 service token keyed with the API's public key gets 401", async () => {
    const jwks = await call("GET", "/.well-known/jwks.json");
    const secret = new TextEncoder().encode(JSON.stringify(jwks.body.keys[0]));
    const forged = await new SignJWT(serviceClaims())
      .setProtectedHeader({ alg: "HS256", kid: jwks.body.keys[0].kid })
      .setIssuer(testEnv.API_ISSUER)
      .setAudience(testEnv.API_ISSUER)
      .setSubject(tenant.serviceAccount.id)
      .setExpirationTime("10m")
      .sign(secret);
    expectUnauthorized(await getOrganisations(forged), "authentication_failed");
  });

  /** A service token signed with the API's own key, with the times given. */
  async function signAsApi(times: { iat: number; exp: number }): Promise<string> {
    const [jwk] = JSON.parse(testEnv.API_SIGNING_KEYS) as JWK[];
    const key = await importJWK(jwk!, "ES256");
    return new SignJWT({ ...serviceClaims(), ...times })
      .setProtectedHeader({ alg: "ES256", kid: jwk!.kid, typ: "at+jwt" })
      .setIssuer(testEnv.API_ISSUER)
      .setAudience(testEnv.API_ISSUER)
      .setSubject(tenant.serviceAccount.id)
      .sign(key);
  }

  it("a token signed with the API's key but issued in the future, or valid for over an hour, gets 401", async () => {
    const future = await signAsApi({ iat: now() + 3600, exp: now() + 4000 });
    expectUnauthorized(await getOrganisations(future), "authentication_failed");
    const tooLong = await signAsApi({ iat: now(), exp: now() + 3601 });
    expectUnauthorized(await getOrganisations(tooLong), "authentication_failed");
    const fine = await signAsApi({ iat: now(), exp: now() + 600 });
    expect((await getOrganisations(fine)).status).toBe(200);
  });

  it("a service token of the longest TTL is still accepted under a MAX_TOKEN_LIFETIME shorter than it", async () => {
    const { clientId, clientSecret } = tenant.serviceAccount;
    const issued = await call("POST", "/v1/oauth/token", {
      body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
      env: { SERVICE_TOKEN_TTL: "3600" },
    });
    expect(issued.body.expires_in, issued.text).toBe(3600);
    const reply = await call("GET", "/v1/organisations", {
      token: issued.body.access_token,
      env: { MAX_TOKEN_LIFETIME: "600" },
    });
    expect(reply.status, reply.text).toBe(200);
  });

  it("a service account's token confined to its organisation gets 404 on another organisation", async () => {
    const other = await createTenant("sa-other");
    const reply = await call("GET", `/v1/organisations/${other.id}`, { token: tenant.serviceAccount.token });
    expect(reply.status, reply.text).toBe(404);
    expect(reply.body.error.code).toBe("not_found");
    const roles = await call("GET", `/v1/roles?organisation_id=${other.id}`, { token: tenant.serviceAccount.token });
    expect(roles.status, roles.text).toBe(404);
    expect(roles.body.error.code).toBe("not_found");
    const own = await call("GET", `/v1/organisations/${tenant.id}`, { token: tenant.serviceAccount.token });
    expect(own.status, own.text).toBe(200);
  });
});

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
    const strict = { SECRET_RATE_LIMITER: testEnv.STRICT_RATE_LIMITER, SECRET_RATE_LIMIT_POLICY: "3/60" };
    const issued = await call("POST", `/v1/service-accounts/${tenant.serviceAccount.id}/credentials`, {
      token: tenant.people.owner.token,
      body: { name: `throttled ${uniqueSuffix()}`, scopes: ["read"] },
    });
    expect(issued.status, issued.text).toBe(201);
    const { client_id, client_secret } = issued.body;
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
      expect(reply.headers.get("ratelimit-policy")).toMatch(/"per-credential";q=\d+;w=60, "client-secret";q=3;w=60/);
    }
    // Even the right secret waits now: a correct guess must not get through the throttle.
    const fourth = await call("POST", "/v1/oauth/token", { body: grant({ client_id, client_secret }), env: strict });
    expect(fourth.status, fourth.text).toBe(429);
    expect(fourth.body.error.code).toBe("rate_limited");
    expect(fourth.body.error.message).toMatch(/client_id/);
    expect(fourth.body.access_token).toBeUndefined();
    expect(fourth.headers.get("retry-after")).toBe("60");
    expect(fourth.headers.get("ratelimit")).toBe('"client-secret";r=0;t=60');
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

describe("GET /.well-known/jwks.json", () => {
  it("anyone gets the API's public keys without private members", async () => {
    const reply = await call("GET", "/.well-known/jwks.json");
    expect(reply.status, reply.text).toBe(200);
    expect(Array.isArray(reply.body.keys)).toBe(true);
    expect(reply.body.keys.length).toBeGreaterThan(0);
    for (const key of reply.body.keys as JWK[]) {
      for (const member of PRIVATE_MEMBERS) expect(key, `member ${member}`).not.toHaveProperty(member);
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", use: "sig", alg: "ES256" });
      expect(typeof key.kid).toBe("string");
    }
    const configured = (JSON.parse(testEnv.API_SIGNING_KEYS) as JWK[]).map((key) => key.kid);
    expect(reply.body.keys.map((key: JWK) => key.kid)).toEqual(configured);
    expect(reply.text).not.toContain('"d"');
  });

  it("a token from POST /v1/oauth/token verifies against the published keys", async () => {
    const tenant = await createTenant("jwks");
    const jwks = await call("GET", "/.well-known/jwks.json");
    const { payload, protectedHeader } = await jwtVerify(tenant.serviceAccount.token, createLocalJWKSet(jwks.body), {
      issuer: testEnv.API_ISSUER,
      audience: testEnv.API_ISSUER,
      algorithms: ["ES256"],
    });
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload).toMatchObject({ sub: tenant.serviceAccount.id, org: tenant.id });
  });
});

describe("revoking a service account's credential", () => {
  let tenant: Tenant;
  let token: string;
  beforeAll(async () => {
    tenant = await createTenant("revoke");
    token = tenant.serviceAccount.token;
    const before = await call("GET", `/v1/organisations/${tenant.id}`, { token });
    if (before.status !== 200) throw new Error(`service token did not work before revocation: ${before.text}`);
    const revoked = await call(
      "DELETE",
      `/v1/service-accounts/${tenant.serviceAccount.id}/credentials/${tenant.serviceAccount.clientId}`,
      { token: tenant.people.owner.token },
    );
    if (revoked.status !== 204) throw new Error(`revocation failed: ${revoked.status} ${revoked.text}`);
  });

  it("the revoked credential's token gets 401 authentication_failed on GET /v1/organisations/{id}", async () => {
    expectUnauthorized(await call("GET", `/v1/organisations/${tenant.id}`, { token }), "authentication_failed");
  });

  it("the revoked credential's token gets 401 authentication_failed on GET /v1/organisations", async () => {
    expectUnauthorized(await getOrganisations(token), "authentication_failed");
  });

  it("the revoked credential's token gets 401 authentication_failed on GET /v1/roles", async () => {
    expectUnauthorized(await call("GET", "/v1/roles", { token }), "authentication_failed");
  });

  it("the revoked credential can no longer be exchanged for a token (401)", async () => {
    const reply = await call("POST", "/v1/oauth/token", {
      body: {
        grant_type: "client_credentials",
        client_id: tenant.serviceAccount.clientId,
        client_secret: tenant.serviceAccount.clientSecret,
      },
    });
    expect(reply.status, reply.text).toBe(401);
    expect(reply.body.error.code).toBe("authentication_failed");
  });

  it("the organisation's owner is unaffected by the revocation", async () => {
    const reply = await call("GET", `/v1/organisations/${tenant.id}`, { token: tenant.people.owner.token });
    expect(reply.status, reply.text).toBe(200);
  });
});
