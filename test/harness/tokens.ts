// Credentials the suites present: people's tokens signed like the identity provider's, service tokens from
// the token endpoint, and Standard Webhooks signatures.

import { importJWK, type JWK, SignJWT } from "jose";
import { Webhook } from "standardwebhooks";
import { call } from "./call";
import { testEnv, uniqueSuffix } from "./env";

let signingKey: CryptoKey | undefined;
const identityProviderJwk = () => JSON.parse(testEnv.TEST_IDP_PRIVATE_KEY) as JWK;

export interface PersonTokenOptions {
  email: string;
  subject?: string;
  name?: string;
  scopes?: string[];
  claims?: Record<string, unknown>;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  notBefore?: string | number;
  kid?: string;
}

/** A person's token as the identity provider would sign it. */
export async function personToken(options: PersonTokenOptions): Promise<string> {
  const jwk = identityProviderJwk();
  signingKey ??= (await importJWK(jwk, "ES256")) as CryptoKey;
  const claims: Record<string, unknown> = {
    email: options.email,
    email_verified: true,
    name: options.name ?? options.email.split("@")[0],
    ...options.claims,
  };
  if (options.scopes) claims.scope = options.scopes.join(" ");
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: options.kid ?? jwk.kid })
    .setIssuer(options.issuer ?? testEnv.AUTH_ISSUER)
    .setAudience(options.audience ?? testEnv.AUTH_AUDIENCE)
    .setSubject(options.subject ?? `test|${options.email}`)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h");
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(signingKey);
}

/** The platform administrators of the test bindings (PLATFORM_ADMINS in vitest.config.ts). */
export const PLATFORM_ADMIN_EMAIL = "platform-admin@example.test";
/** Listed as `issuer|subject`; a token with this subject is an administrator whatever its email. */
export const PLATFORM_ADMIN_SUBJECT = "platform-admin-by-subject";

/** A token of the platform administrator listed by verified email, optionally with only some scopes. */
export function platformAdminToken(scopes?: string[]): Promise<string> {
  return personToken({ email: PLATFORM_ADMIN_EMAIL, name: "Platform Admin", ...(scopes ? { scopes } : {}) });
}

export async function serviceToken(clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const reply = await call("POST", "/v1/oauth/token", {
    body: {
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
      ...(scope ? { scope } : {}),
    },
  });
  if (reply.status !== 200) throw new Error(`token exchange failed: ${reply.status} ${reply.text}`);
  return reply.body.access_token;
}

/** Standard Webhooks headers for a body, signed with the test secret (or another one, to be refused). */
export function signWebhook(
  body: unknown,
  options: { id?: string; timestamp?: Date; secret?: string } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${uniqueSuffix()}${uniqueSuffix()}`;
  const timestamp = options.timestamp ?? new Date();
  const signature = new Webhook(options.secret ?? testEnv.WEBHOOK_SECRET!).sign(id, timestamp, JSON.stringify(body));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  };
}
