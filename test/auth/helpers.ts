// What the authentication suites share: the shape of a 401, tokens signed with the identity provider's real
// key, and the request they are tried on.

import { importJWK, type JWK, SignJWT } from "jose";
import { expect } from "vitest";
import { call, type Reply, testEnv } from "../harness";

export const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];
export const now = () => Math.floor(Date.now() / 1000);

/** A 401 in the error envelope, with the request id of the response and a Bearer challenge (RFC 6750). */
export function expectUnauthorized(reply: Reply, code: "authentication_failed" | "not_authenticated") {
  expect(reply.status, reply.text).toBe(401);
  expect(reply.body?.error?.code, reply.text).toBe(code);
  expect(typeof reply.body.error.message).toBe("string");
  expect(reply.body.error.message.length).toBeGreaterThan(0);
  expect(reply.body.error.request_id).toMatch(/^req_/);
  expect(reply.body.error.request_id).toBe(reply.headers.get("x-request-id"));
  expect(reply.headers.get("www-authenticate") ?? "").toMatch(/^Bearer\b/);
}

export const identityProviderJwk = () => JSON.parse(testEnv.TEST_IDP_PRIVATE_KEY) as JWK;
export const identityProviderPublicJwk = () => (JSON.parse(testEnv.AUTH_JWKS!) as { keys: JWK[] }).keys[0]!;

/** Signs arbitrary claims with the identity provider's real key (for tokens the harness cannot shape). */
export async function signAsIdentityProvider(claims: Record<string, unknown>): Promise<string> {
  const jwk = identityProviderJwk();
  const key = await importJWK(jwk, "ES256");
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: jwk.kid }).sign(key);
}

export function standardClaims(email: string): Record<string, unknown> {
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

export const getOrganisations = (token: string) => call("GET", "/v1/organisations", { token });
