import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/env";
import { defineRoute } from "../platform/router";

export const route = defineRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tags: ["Platform"],
  summary: "This API's OpenAPI 3.1 document",
  access: { public: true },
  responses: {
    200: {
      description: "The document.",
      content: { "application/json": { schema: z.record(z.string(), z.unknown()).openapi("OpenApiDocument") } },
    },
  },
});

export const handler =
  (document: () => Record<string, unknown>): RouteHandler<typeof route, AppEnv> =>
  (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(document(), 200);
  };
