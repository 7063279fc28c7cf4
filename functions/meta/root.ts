import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { configOf } from "../platform/config";
import { ERROR_REFERENCE_PATH } from "../platform/error-reference";
import { API_TITLE } from "../platform/openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";

const link = (description: string) => z.url().max(300).openapi({ description });

const RootSchema = z
  .object({
    name: z.string().max(100).openapi({ description: "The API's name." }),
    version: z.string().max(40).openapi({ description: "The deployed version." }),
    links: z
      .object({
        docs: link("The interactive reference (try requests with a bearer token)."),
        openapi: link("The OpenAPI 3.1 document, for generating clients."),
        errors: link("Every error code, when it happens and what to do."),
        health: link("Liveness and database reachability."),
        catalog: link("The public opportunity catalog (no token needed)."),
      })
      .openapi({ description: "Where to go next." }),
  })
  .openapi("ApiRoot", {
    example: {
      name: "Muster API",
      version: "1.0.0",
      links: {
        docs: "https://api.muster.dev/docs",
        openapi: "https://api.muster.dev/openapi.json",
        errors: "https://api.muster.dev/docs/errors",
        health: "https://api.muster.dev/healthz",
        catalog: "https://api.muster.dev/v1/opportunities",
      },
    },
  });

export const route = defineRoute({
  method: "get",
  path: "/",
  operationId: "getApiRoot",
  tags: ["Platform"],
  summary: "Where to start",
  description: "Links to the reference, the OpenAPI document, the error reference, the health check and the catalog.",
  access: { public: true },
  responses: { 200: { description: "The API's links.", content: { "application/json": { schema: RootSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = (c) => {
  const origin = new URL(c.req.url).origin;
  return c.json(
    {
      name: API_TITLE,
      version: configOf(c.env).APP_VERSION,
      links: {
        docs: `${origin}/docs`,
        openapi: `${origin}/openapi.json`,
        errors: `${origin}${ERROR_REFERENCE_PATH}`,
        health: `${origin}/healthz`,
        catalog: `${origin}/v1/opportunities`,
      },
    },
    200,
  );
};
