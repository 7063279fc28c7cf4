import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { credentialIsLive, serviceAccountCredentials } from "../../schema";
import { signServiceToken } from "../platform/auth";
import { ApiError } from "../platform/errors";
import { ID_PREFIX, parseTypeId } from "../platform/ids";
import { parseScopes, SCOPES } from "../platform/permissions";
import { enforceRateLimits } from "../platform/rate-limit";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { digestsEqual, hashSecret, secretFields } from "../platform/secrets";

const TokenRequest = z
  .strictObject({
    grant_type: z.literal("client_credentials"),
    client_id: z.string().max(100).optional(),
    client_secret: z.string().max(200).optional(),
    scope: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: `Space-separated subset of the credential's scopes (${SCOPES.join(", ")}).` }),
  })
  .openapi("TokenRequest");

const TokenResponse = z
  .object({
    ...secretFields({ access_token: z.string().max(4000) }),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().min(1).max(3600).openapi({ format: "int32" }),
    scope: z.string().max(200),
  })
  .openapi("TokenResponse");

export const route = defineRoute({
  method: "post",
  path: "/v1/oauth/token",
  operationId: "createToken",
  tags: ["OAuth"],
  summary: "Exchange a service account's client id and secret for a short-lived token",
  description:
    "OAuth 2.0 client-credentials grant. Send the client id and secret in the body or with HTTP Basic " +
    "authentication, not both (400); the body may be JSON or a form. Each client id has a small allowance of " +
    "attempts, whoever makes them (429 with Retry-After), so its secret cannot be guessed. There is no " +
    "Idempotency-Key: a token is never stored, and a retry simply gets a new one.",
  access: { public: true },
  notIdempotent: true,
  errors: [401],
  acceptsForm: true,
  request: {
    body: {
      required: false,
      content: {
        "application/json": { schema: TokenRequest },
        "application/x-www-form-urlencoded": { schema: TokenRequest },
      },
    },
  },
  responses: {
    200: { description: "A token.", content: { "application/json": { schema: TokenResponse } } },
  },
});

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

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  c.header("Cache-Control", "no-store");
  const isForm = (c.req.header("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
  const body = isForm ? c.req.valid("form") : c.req.valid("json");
  const basic = basicCredentials(c.req.header("authorization"));
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
  // Counted before the secret is looked at: were only failures counted, a right guess would still get through.
  await enforceRateLimits(c, `client:${credentialId}`, ["secrets"]);
  const db = c.get("db");
  const [credential] = await db
    .select({ credential: serviceAccountCredentials, live: credentialIsLive })
    .from(serviceAccountCredentials)
    .where(eq(serviceAccountCredentials.id, credentialId))
    .limit(1)
    .then((rows) => rows.map((row) => ({ ...row.credential, live: row.live })));
  const presented = await hashSecret(secret);
  if (!credential || !digestsEqual(presented, credential.secretHash)) throw invalidClient();
  if (!credential.live) throw invalidClient();

  const granted = credential.scopes as (typeof SCOPES)[number][];
  const requested = body.scope === undefined ? new Set(granted) : parseScopes(body.scope);
  const unknown = body.scope?.split(/\s+/).filter((word) => word && !granted.includes(word as never)) ?? [];
  if (unknown.length > 0 || requested.size === 0) {
    throw new ApiError("validation_error", `scope: not granted to this credential: ${unknown.join(" ") || "(empty)"}`, {
      fields: { scope: [`must be a subset of: ${granted.join(" ")}`] },
    });
  }
  await db
    .update(serviceAccountCredentials)
    .set({ lastUsedAt: new Date() })
    .where(eq(serviceAccountCredentials.id, credentialId));
  const scopes = SCOPES.filter((scope) => requested.has(scope));
  const { token, expiresIn } = await signServiceToken(c.env, {
    serviceAccountId: credential.serviceAccountId,
    organisationId: credential.organisationId,
    credentialId,
    scopes,
  });
  return c.json(
    { access_token: token, token_type: "Bearer" as const, expires_in: expiresIn, scope: scopes.join(" ") },
    200,
  );
};
