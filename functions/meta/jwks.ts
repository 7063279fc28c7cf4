import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { publicJwks } from "../platform/auth";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";

const JwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())).max(10) }).openapi("JsonWebKeySet");

export const route = defineRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  operationId: "getJwks",
  tags: ["Platform"],
  summary: "Public keys that verify service-account tokens",
  access: { public: true },
  responses: { 200: { description: "The key set.", content: { "application/json": { schema: JwksSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = (c) => {
  c.header("Cache-Control", "public, max-age=300");
  return c.json(publicJwks(c.env), 200);
};
