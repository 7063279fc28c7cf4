import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { SCOPES } from "../platform/permissions";
import { limitSecretGuesses } from "../platform/rate-limit";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { secretFields } from "../platform/secrets";
import { clientOf, exchangeClientCredentials } from "./service";

const TokenRequest = z
  .strictObject({
    grant_type: z.literal("client_credentials").openapi({ description: "Always `client_credentials`." }),
    client_id: z.string().max(100).optional().openapi({
      description:
        "The credential's `client_id` (`cred_...`). Required unless sent with HTTP Basic; then left out or the same.",
    }),
    client_secret: z.string().max(200).optional().openapi({
      description: "The secret shown when the credential was issued. Required unless sent with HTTP Basic (then 400).",
    }),
    scope: z
      .string()
      .max(200)
      .optional()
      .openapi({
        description:
          `Space-separated subset of the credential's scopes (${SCOPES.join(", ")}); left out: all of them. ` +
          "One the credential lacks is a 400.",
      }),
  })
  .openapi("TokenRequest", {
    example: {
      grant_type: "client_credentials",
      client_id: "cred_01h455vb4pex5vsknk084sn02q",
      client_secret: "mst_secret_wkrZebGnIekQAdQ1vJNYom5KRti8P4zvqrHHXVw1nu4",
      scope: "read create",
    },
  });

const TokenResponse = z
  .object({
    ...secretFields({
      access_token: z.string().max(4000).openapi({
        description: "A JWT signed by this API (keys at /.well-known/jwks.json): send it as `Authorization: Bearer`.",
      }),
    }),
    token_type: z.literal("Bearer").openapi({ description: "Always `Bearer`." }),
    expires_in: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .openapi({ format: "int32", description: "Seconds until the token expires (15 minutes unless configured)." }),
    scope: z.string().max(200).openapi({ description: "The scopes the token carries, space-separated." }),
  })
  .openapi("TokenResponse", {
    example: {
      access_token:
        "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0.eyJvcmciOiJvcmdfMDFoNDU1dmI0cGV4NXZza25rMDg0c24wMnEifQ.c2lnbmF0dXJl",
      token_type: "Bearer",
      expires_in: 900,
      scope: "read create",
    },
  });

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
    "Idempotency-Key: a token is never stored, and a retry simply gets a new one. A wrong, revoked or expired " +
    "credential is 401 `authentication_failed`; no credentials at all is 401 `not_authenticated`. The token acts " +
    "as the service account in its organisation, with its role, for `expires_in` seconds or until the " +
    "credential is revoked.",
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

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  c.header("Cache-Control", "no-store");
  const isForm = (c.req.header("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
  const body = isForm ? c.req.valid("form") : c.req.valid("json");
  const client = clientOf(c.req.header("authorization"), body);
  // Counted before the secret is looked at: were only failures counted, a right guess would still get through.
  await limitSecretGuesses(c, client.credentialId);
  const { token, expiresIn, scopes } = await exchangeClientCredentials(c.get("db"), c.env, client, body.scope);
  return c.json(
    { access_token: token, token_type: "Bearer" as const, expires_in: expiresIn, scope: scopes.join(" ") },
    200,
  );
};
