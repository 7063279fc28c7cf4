// People's tokens from the identity provider: what is refused (malformed, unsigned, forged, expired, for
// another issuer or audience) and what is accepted, within the clock tolerance.

import { and, eq } from "drizzle-orm";
import { base64url, exportSPKI, generateKeyPair, importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { users } from "../../schema";
import { call, personToken, testEnv, uniqueSuffix, withDb } from "../harness";
import {
  expectUnauthorized,
  getOrganisations,
  identityProviderJwk,
  identityProviderPublicJwk,
  now,
  signAsIdentityProvider,
  standardClaims,
} from "./helpers";

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
