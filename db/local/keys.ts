// Signing keys for local work: the dev identity provider's key (people's tokens) and the API's own key
// (service-account tokens). Generated once into .data/dev-keys.json; tests generate their own.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

export const DEV_ISSUER = "https://dev-idp.muster.localhost/";
export const DEV_AUDIENCE = "muster-api";
/** PLATFORM_ADMINS under `npm run dev`: this person may mark program managers and curate delivery types. */
export const DEV_PLATFORM_ADMIN = "admin@example.com";

export interface DevKeys {
  /** The dev identity provider's private key (ES256). */
  identityProvider: JWK;
  /** The API's signing keys for service-account tokens (private JWKs). */
  api: JWK[];
  /** The Standard Webhooks secret of the inbound invitation-email webhook. */
  webhookSecret: string;
}

export function generateWebhookSecret(): string {
  return `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
}

/** A new private ES256 signing key as a JWK, with its key id. */
export async function privateSigningKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: "ES256", use: "sig" };
}

export async function generateDevKeys(): Promise<DevKeys> {
  const stamp = Date.now().toString(36);
  return {
    identityProvider: await privateSigningKey(`dev-idp-${stamp}`),
    api: [await privateSigningKey(`api-${stamp}`)],
    webhookSecret: generateWebhookSecret(),
  };
}

export async function loadOrCreateDevKeys(file: string): Promise<DevKeys> {
  if (existsSync(file)) {
    const keys = JSON.parse(readFileSync(file, "utf8")) as DevKeys;
    if (keys.webhookSecret) return keys;
    // Keys from before the webhook existed: add its secret, keep the rest.
    const upgraded = { ...keys, webhookSecret: generateWebhookSecret() };
    writeFileSync(file, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return upgraded;
  }
  const keys = await generateDevKeys();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

export function publicJwks(keys: JWK[]): { keys: JWK[] } {
  return { keys: keys.map(({ d: _d, ...rest }) => rest) };
}

export interface DevTokenOptions {
  /** At least one of email and phone. */
  email?: string;
  /** E.164: the token vouches for it (`phone_number_verified: true`), as an identity provider that sent a code. */
  phone?: string;
  name?: string;
  subject?: string;
  scopes?: string[];
  expiresIn?: string;
}

/** A person's token as the dev identity provider issues it. */
export async function signDevToken(keys: DevKeys, options: DevTokenOptions): Promise<string> {
  const key = await importJWK(keys.identityProvider, "ES256");
  const email = options.email?.toLowerCase();
  if (!email && !options.phone) throw new Error("a dev token needs an email or a phone");
  const claims: Record<string, unknown> = {
    ...(email ? { email, email_verified: true } : {}),
    ...(options.phone ? { phone_number: options.phone, phone_number_verified: true } : {}),
    name: options.name ?? (email ? email.split("@")[0] : options.phone),
  };
  if (options.scopes) claims.scope = options.scopes.join(" ");
  return (
    new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: keys.identityProvider.kid, typ: "JWT" })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      // The same person whether or not the phone is added: the email names them when there is one.
      .setSubject(options.subject ?? (email ? `dev|${email}` : `dev|phone:${options.phone}`))
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "12h")
      .sign(key)
  );
}
