import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";

export const route = defineRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tags: ["Platform"],
  summary: "This API's OpenAPI 3.1 document",
  description:
    "The contract: every operation with its access rule (`x-access`), parameters, bodies with examples, and " +
    "responses, errors included. The server that answered is listed first, so tools call this deployment. " +
    "Generate a client from it (README: A typed client).",
  access: { public: true },
  responses: {
    200: {
      description: "The document.",
      content: {
        "application/json": {
          schema: z.record(z.string(), z.unknown()).openapi("OpenApiDocument", {
            example: { openapi: "3.1.0", info: { title: "Muster API", version: "1.0.0" } },
          }),
        },
      },
    },
  },
});

export const handler =
  (document: () => Record<string, unknown>): RouteHandler<typeof route, AppEnv> =>
  (c) => {
    const base = document();
    // Lead with the server that answered, so "try it" in /docs calls this deployment (or `npm run dev`).
    const origin = new URL(c.req.url).origin;
    const servers = (base.servers as { url: string }[] | undefined) ?? [];
    const here = servers.some((server) => server.url === origin)
      ? servers
      : [
          {
            url: origin,
            description: "This server (local development or the deployment answering)",
            "x-internal": false,
          },
          ...servers,
        ];
    c.header("Cache-Control", "public, max-age=60");
    return c.json({ ...base, servers: here }, 200);
  };
