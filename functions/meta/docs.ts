import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { notFound } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { STATIC_HEADERS } from "./static-headers";

export const pageRoute = defineRoute({
  method: "get",
  path: "/docs",
  operationId: "getDocs",
  tags: ["Platform"],
  summary: "Interactive API reference",
  description:
    "The reference page for people: every operation, its examples and a request runner. Choose the bearer " +
    "scheme and paste a token (locally: `npm run -s token -- alice@example.com`) to try requests. Works offline.",
  access: { public: true },
  responses: {
    200: {
      description: "An HTML page.",
      content: { "text/html": { schema: z.string().openapi({ type: "string", maxLength: 10000 }) } },
    },
  },
});

export const scriptRoute = defineRoute({
  method: "get",
  path: "/docs/reference.js",
  operationId: "getDocsScript",
  tags: ["Platform"],
  summary: "The reference page's script",
  description: "The reference viewer's script, served from here so `/docs` needs no CDN. Cached for a day.",
  access: { public: true },
  responses: {
    200: {
      description: "JavaScript.",
      content: { "text/javascript": { schema: z.string().openapi({ type: "string", maxLength: 10000000 }) } },
    },
  },
});

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Muster API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json" data-configuration='{"withDefaultFonts":false,"telemetry":false,"agent":{"disabled":true},"mcp":{"disabled":true},"showDeveloperTools":"never","authentication":{"preferredSecurityScheme":"bearerAuth"}}'></script>
    <script src="/docs/reference.js"></script>
  </body>
</html>`;

export const pageHandler: RouteHandler<typeof pageRoute, AppEnv> = (c) => {
  c.header(
    "Content-Security-Policy",
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:",
  );
  return c.html(PAGE, 200);
};

export const scriptHandler: RouteHandler<typeof scriptRoute, AppEnv> = async (c) => {
  // A static asset (wrangler.toml `[assets]`): Cloudflare serves it before the Worker runs; this route is what
  // serves it where nothing stands in front (the tests, a Worker without the binding is a 404).
  const file = await c.env.ASSETS?.fetch(new URL("/docs/reference.js", c.req.url));
  if (!file?.ok) throw notFound("script");
  return new Response(file.body, {
    status: 200,
    headers: { "Content-Type": "text/javascript; charset=utf-8", ...STATIC_HEADERS["/docs/reference.js"] },
  });
};
