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
