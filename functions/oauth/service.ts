import { eq } from "drizzle-orm";
import { credentialIsLive, serviceAccountCredentials } from "../../schema";
import { signServiceToken } from "../platform/auth";
import type { Database } from "../platform/db";
import type { Env } from "../platform/env";
import { ApiError } from "../platform/errors";
import { ID_PREFIX, parseTypeId } from "../platform/ids";
import { parseScopes, SCOPES, type Scope } from "../platform/permissions";
import { digestsEqual, hashSecret } from "../platform/secrets";

const invalidClient = () =>
  new ApiError(
    "authentication_failed",
    "The client id or secret is wrong, or the credential has expired.",
    {},
    {
      "WWW-Authenticate": 'Basic realm="muster"',
    },
  );

/** HTTP Basic client authentication (RFC 6749 §2.3.1); null when absent, 401 when present but unreadable. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  if (!header || !/^Basic\b/i.test(header.trim())) return null;
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  try {
    const decoded = atob(match?.[1] ?? "");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    }
  } catch {
    // fall through: credentials were sent but cannot be read
  }
  throw invalidClient();
}

/** One client authentication method per request (RFC 6749 §2.3): Basic, or the secret in the body. */
function refuseSecondMethod(basicId: string, body: { client_id?: string; client_secret?: string }): void {
  const fields: Record<string, string[]> = {};
  if (body.client_secret !== undefined) {
    fields.client_secret = ["must not be sent with HTTP Basic authentication: use one client authentication method"];
  }
  if (body.client_id !== undefined && body.client_id !== basicId) {
    fields.client_id = ["must be the client id of the HTTP Basic credentials, or left out"];
  }
  if (Object.keys(fields).length > 0) {
    throw new ApiError(
      "invalid_request",
      "Use one client authentication method (RFC 6749 §2.3.1): HTTP Basic, or client_id and client_secret in the body.",
      { fields },
    );
  }
}

/** The client a token request authenticates as: by HTTP Basic or by the body, never both (400), never neither (401). */
export function clientOf(
  authorization: string | undefined,
  body: { client_id?: string; client_secret?: string },
): { credentialId: string; secret: string } {
  const basic = basicCredentials(authorization);
  if (basic) refuseSecondMethod(basic.id, body);
  const clientId = basic?.id ?? body.client_id;
  const secret = basic?.secret ?? body.client_secret;
  if (!clientId || !secret) {
    throw new ApiError(
      "not_authenticated",
      "Send client_id and client_secret.",
      {},
      { "WWW-Authenticate": 'Basic realm="muster"' },
    );
  }
  const credentialId = parseTypeId(ID_PREFIX.credential, clientId);
  if (!credentialId) throw invalidClient();
  return { credentialId, secret };
}

/**
 * The client-credentials grant: a live credential whose secret matches gets a short-lived token for the scopes
 * it asks (a subset of the credential's; all of them by default). Using it is remembered (`last_used_at`).
 */
export async function exchangeClientCredentials(
  db: Database,
  env: Env,
  client: { credentialId: string; secret: string },
  scope: string | undefined,
): Promise<{ token: string; expiresIn: number; scopes: Scope[] }> {
  const [credential] = await db
    .select({ credential: serviceAccountCredentials, live: credentialIsLive })
    .from(serviceAccountCredentials)
    .where(eq(serviceAccountCredentials.id, client.credentialId))
    .limit(1)
    .then((rows) => rows.map((row) => ({ ...row.credential, live: row.live })));
  const presented = await hashSecret(client.secret);
  if (!credential || !digestsEqual(presented, credential.secretHash)) throw invalidClient();
  if (!credential.live) throw invalidClient();

  const granted = credential.scopes as Scope[];
  const requested = scope === undefined ? new Set(granted) : parseScopes(scope);
  const unknown = scope?.split(/\s+/).filter((word) => word && !granted.includes(word as never)) ?? [];
  if (unknown.length > 0 || requested.size === 0) {
    throw new ApiError("validation_error", `scope: not granted to this credential: ${unknown.join(" ") || "(empty)"}`, {
      fields: { scope: [`must be a subset of: ${granted.join(" ")}`] },
    });
  }
  // Bookkeeping, not a change anyone made: no audit event (every token request would be one).
  await db
    .update(serviceAccountCredentials)
    .set({ lastUsedAt: new Date() })
    .where(eq(serviceAccountCredentials.id, client.credentialId));
  const scopes = SCOPES.filter((name) => requested.has(name));
  const signed = await signServiceToken(env, {
    serviceAccountId: credential.serviceAccountId,
    organisationId: credential.organisationId,
    credentialId: client.credentialId,
    scopes,
  });
  return { ...signed, scopes };
}
