import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from "jose";
import { configOf } from "./config";
import type { Env } from "./env";
import { ApiError } from "./errors";
import { ID_PREFIX, parseTypeId, toTypeId } from "./ids";
import { parseScopes, SCOPES, type Scope } from "./permissions";
import { cleanName } from "./text";

export type Principal =
  | {
      kind: "user";
      issuer: string;
      subject: string;
      email: string | null;
      emailVerified: boolean;
      /** E.164, from the OIDC `phone_number` claim. */
      phone: string | null;
      phoneVerified: boolean;
      name: string | null;
      scopes: ReadonlySet<Scope>;
    }
  | {
      kind: "service_account";
      serviceAccountId: string;
      organisationId: string;
      credentialId: string;
      scopes: ReadonlySet<Scope>;
    };

/** Clock skew tolerated on `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 30;
const SERVICE_TOKEN_ALGORITHM = "ES256";
/** The longest service-account token we ever sign, whatever SERVICE_TOKEN_TTL says. */
const MAX_SERVICE_TOKEN_TTL = 3600;

type KeySet = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;
// Key sets are cached per configuration value at module scope: no network hop and no parsing per request.
const keySets = new Map<string, KeySet>();

function cachedKeySet(cacheKey: string, build: () => KeySet): KeySet {
  let keySet = keySets.get(cacheKey);
  if (!keySet) {
    keySet = build();
    keySets.set(cacheKey, keySet);
  }
  return keySet;
}

function identityProviderKeys(env: Env): KeySet {
  const { AUTH_JWKS: jwks, AUTH_JWKS_URL: url } = configOf(env);
  if (jwks) return cachedKeySet(`inline:${jwks}`, () => createLocalJWKSet(JSON.parse(jwks)));
  // The configuration refuses to parse without one of the two.
  return cachedKeySet(`remote:${url}`, () => createRemoteJWKSet(new URL(url as string)));
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;

/** The API's own signing keys (private JWKs); the first signs, all verify, so keys can rotate. */
function apiSigningKeys(env: Env): JWK[] {
  const keys = JSON.parse(configOf(env).API_SIGNING_KEYS) as JWK[];
  if (!Array.isArray(keys) || keys.length === 0) throw new Error("API_SIGNING_KEYS must be a non-empty JSON array");
  return keys;
}

/** The public half of the API's signing keys, as served at /.well-known/jwks.json. */
export function publicJwks(env: Env): { keys: JWK[] } {
  return {
    keys: apiSigningKeys(env).map((key) => {
      const publicKey: JWK = { ...key, use: "sig", alg: key.alg ?? SERVICE_TOKEN_ALGORITHM };
      for (const member of PRIVATE_MEMBERS) delete publicKey[member];
      return publicKey;
    }),
  };
}

function apiKeys(env: Env): KeySet {
  return cachedKeySet(`api:${configOf(env).API_SIGNING_KEYS}`, () => createLocalJWKSet(publicJwks(env)));
}

const fail = (message: string) =>
  new ApiError("authentication_failed", message, {}, { "WWW-Authenticate": 'Bearer error="invalid_token"' });

/** Reads `Authorization: Bearer <jwt>`; null when the header is absent. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (!match) throw fail("The Authorization header must use the Bearer scheme.");
  const token = match[1]?.trim();
  if (!token) throw fail("The bearer token is empty.");
  return token;
}

/** Verifies a people's or a service-account token; every failure is a 401 `authentication_failed`. */
export async function verifyToken(env: Env, token: string): Promise<Principal> {
  let claimedIssuer: string | undefined;
  try {
    decodeProtectedHeader(token);
    claimedIssuer = decodeJwt(token).iss;
  } catch {
    throw fail("The bearer token is not a well-formed JWT.");
  }
  try {
    if (claimedIssuer === configOf(env).API_ISSUER) return await verifyServiceToken(env, token);
    return await verifyPersonToken(env, token);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw fail(describeJoseError(error));
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "The token has expired.";
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `The token's "${error.claim}" claim is not acceptable.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token's signing algorithm is not accepted.";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "The token was signed by an unknown key.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "The token's signature is invalid.";
  return "The token could not be verified.";
}

const algorithms = (env: Env): string[] => configOf(env).AUTH_ALGORITHMS;

const maxTokenLifetime = (env: Env): number => configOf(env).MAX_TOKEN_LIFETIME;

/**
 * What jose leaves unchecked without `maxTokenAge`: a token issued in the future, and one valid for too long.
 * The lifetime is `exp - iat`; a token without `iat` is judged by what is left of it, `exp - now`.
 */
function checkTokenTimes(payload: JWTPayload, maxLifetime: number): void {
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = payload as { iat?: number; exp: number };
  if (iat !== undefined && iat > now + CLOCK_TOLERANCE_SECONDS) throw fail("The token was issued in the future.");
  if (exp - (iat ?? now) > maxLifetime) {
    throw fail(`The token's lifetime is longer than the ${maxLifetime} seconds accepted.`);
  }
}

async function verifyPersonToken(env: Env, token: string): Promise<Principal> {
  const { payload } = await jwtVerify(token, identityProviderKeys(env), {
    issuer: configOf(env).AUTH_ISSUER,
    audience: configOf(env).AUTH_AUDIENCE,
    algorithms: algorithms(env),
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ["sub", "exp"],
  });
  checkTokenTimes(payload, maxTokenLifetime(env));
  const claimedEmail = typeof payload.email === "string" ? payload.email.trim().toLowerCase() : "";
  // An address too long to be one, or with markup, is no address: the person is known by `sub` alone.
  const email =
    claimedEmail.length > 0 && claimedEmail.length <= 254 && !/[<>\s]/.test(claimedEmail) ? claimedEmail : null;
  return {
    kind: "user",
    issuer: configOf(env).AUTH_ISSUER,
    subject: payload.sub as string,
    email,
    emailVerified: email !== null && payload.email_verified === true,
    phone: typeof payload.phone_number === "string" ? payload.phone_number.replace(/[\s()-]/g, "") : null,
    phoneVerified: typeof payload.phone_number === "string" && payload.phone_number_verified === true,
    name: cleanName(payload.name, 200),
    // A token that names scopes is bound by them; one that names none (an ID token) carries them all.
    scopes: "scope" in payload || "scp" in payload ? parseScopes(payload.scope ?? payload.scp) : new Set(SCOPES),
  };
}

async function verifyServiceToken(env: Env, token: string): Promise<Principal> {
  const { payload } = await jwtVerify(token, apiKeys(env), {
    issuer: configOf(env).API_ISSUER,
    audience: configOf(env).API_ISSUER,
    algorithms: [SERVICE_TOKEN_ALGORITHM],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ["sub", "exp", "org", "cid"],
  });
  // Never tighter than what signServiceToken issues, so no token of ours is refused for its lifetime.
  checkTokenTimes(payload, MAX_SERVICE_TOKEN_TTL);
  const serviceAccountId = parseTypeId(ID_PREFIX.service_account, String(payload.sub));
  const organisationId = parseTypeId(ID_PREFIX.organisation, String(payload.org));
  const credentialId = parseTypeId(ID_PREFIX.credential, String(payload.cid));
  if (!serviceAccountId || !organisationId || !credentialId) throw fail("The token's claims are malformed.");
  return {
    kind: "service_account",
    serviceAccountId,
    organisationId,
    credentialId,
    scopes: parseScopes(payload.scope),
  };
}

export function serviceTokenLifetime(env: Env): number {
  return configOf(env).SERVICE_TOKEN_TTL;
}

/** Signs a short-lived service-account token (OAuth client credentials). */
export async function signServiceToken(
  env: Env,
  claims: { serviceAccountId: string; organisationId: string; credentialId: string; scopes: readonly Scope[] },
): Promise<{ token: string; expiresIn: number }> {
  const [signingKey] = apiSigningKeys(env);
  if (!signingKey) throw new Error("no signing key");
  const key = await importJWK(signingKey, signingKey.alg ?? SERVICE_TOKEN_ALGORITHM);
  const expiresIn = serviceTokenLifetime(env);
  const payload: JWTPayload = {
    org: toTypeId(ID_PREFIX.organisation, claims.organisationId),
    cid: toTypeId(ID_PREFIX.credential, claims.credentialId),
    scope: claims.scopes.join(" "),
  };
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: signingKey.alg ?? SERVICE_TOKEN_ALGORITHM, kid: signingKey.kid, typ: "at+jwt" })
    .setIssuer(configOf(env).API_ISSUER)
    .setAudience(configOf(env).API_ISSUER)
    .setSubject(toTypeId(ID_PREFIX.service_account, claims.serviceAccountId))
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${expiresIn}s`)
    .sign(key);
  return { token, expiresIn };
}

/**
 * A short-lived link of the API's own (an export's download): signed with the API's keys, for an audience of its
 * own (`<API_ISSUER>/<purpose>`), so it is never a bearer token and a bearer token is never one.
 */
export async function signLinkToken(
  env: Env,
  link: { purpose: string; subject: string; lifetimeSeconds: number },
): Promise<{ token: string; expiresAt: Date }> {
  const [signingKey] = apiSigningKeys(env);
  if (!signingKey) throw new Error("no signing key");
  const key = await importJWK(signingKey, signingKey.alg ?? SERVICE_TOKEN_ALGORITHM);
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + link.lifetimeSeconds) * 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: signingKey.alg ?? SERVICE_TOKEN_ALGORITHM, kid: signingKey.kid, typ: "link+jwt" })
    .setIssuer(configOf(env).API_ISSUER)
    .setAudience(`${configOf(env).API_ISSUER}/${link.purpose}`)
    .setSubject(link.subject)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(key);
  return { token, expiresAt };
}

/** The subject of a link token for this purpose, or null when it is forged, expired or for something else. */
export async function verifyLinkToken(env: Env, token: string, purpose: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, apiKeys(env), {
      issuer: configOf(env).API_ISSUER,
      audience: `${configOf(env).API_ISSUER}/${purpose}`,
      algorithms: [SERVICE_TOKEN_ALGORITHM],
      typ: "link+jwt",
      requiredClaims: ["sub", "exp"],
    });
    return payload.sub ?? null;
  } catch {
    return null;
  }
}
