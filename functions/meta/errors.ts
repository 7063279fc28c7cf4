import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ERROR_REFERENCE_PATH, errorReferenceHtml } from "../platform/error-reference";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";

export const route = defineRoute({
  method: "get",
  path: ERROR_REFERENCE_PATH,
  operationId: "getErrorReference",
  tags: ["Platform"],
  summary: "The error reference",
  description:
    "Every error code with its status, when it happens and what to do, one row each with its own anchor: the " +
    "page every error body's `doc_url` points into.",
  access: { public: true },
  responses: {
    200: {
      description: "An HTML page.",
      content: { "text/html": { schema: z.string().openapi({ type: "string", maxLength: 100000 }) } },
    },
  },
});

const PAGE = errorReferenceHtml();

export const handler: RouteHandler<typeof route, AppEnv> = (c) => {
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  c.header("Cache-Control", "public, max-age=3600");
  return c.html(PAGE, 200);
};
