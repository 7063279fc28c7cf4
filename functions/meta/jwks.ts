import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { publicJwks } from "../platform/auth";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";

const JwksSchema = z
  .object({
    keys: z.array(z.record(z.string(), z.unknown())).max(10).openapi({
      description: "Public JWKs (RFC 7517), one per signing key; `kid` names the key a token's header names.",
    }),
  })
  .openapi("JsonWebKeySet", {
    example: {
      keys: [
        {
          kty: "EC",
          crv: "P-256",
          x: "RKFocSZsDs9x2jPWFU4714_HU3c8aQxnULIjkl_XZXE",
          y: "cqs3VjyrU0AUr7PidfK93hGG9jhPxL5GfIFU_Zb0Nrs",
          kid: "api-2026-12-02-7ddca8cf",
          alg: "ES256",
          use: "sig",
        },
      ],
    },
  });

export const route = defineRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  operationId: "getJwks",
  tags: ["Platform"],
  summary: "Public keys that verify service-account tokens",
  description:
    "The public half of `API_SIGNING_KEYS`: what verifies the API's own tokens (service accounts' access tokens " +
    "from `POST /v1/oauth/token`). During a rotation it lists the new key and the old ones. Cacheable for 5 minutes.",
  access: { public: true },
  responses: { 200: { description: "The key set.", content: { "application/json": { schema: JwksSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = (c) => {
  c.header("Cache-Control", "public, max-age=300");
  return c.json(publicJwks(c.env), 200);
};
