import { createLocalJWKSet, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, type Tenant, testEnv, uniqueSuffix } from "../harness";
import { expectUnauthorized, getOrganisations, identityProviderJwk, now, PRIVATE_MEMBERS } from "./helpers";

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
