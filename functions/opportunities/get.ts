import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { CATALOG_MAX_AGE, catalogCache, findOpportunity } from "./catalog";
import { OpportunityIdParams, OpportunitySchema, presentOpportunity } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/opportunities/{id}",
  operationId: "getOpportunity",
  tags: ["Opportunities"],
  summary: "Get an opportunity",
  description:
    "Without credentials: an `open`, `public` opportunity only (404 for any other, so a draft never shows that it " +
    "exists). With a bearer token that reaches it (a member of the delivering organisation, or of the program's " +
    "organisation, within their access list): whatever its status, from an address that organisation's IP " +
    "allowlist admits (else 403 `ip_not_allowed`). A bad token is a 401, never the public view. " +
    `Anonymous answers may be cached for ${CATALOG_MAX_AGE} s (\`Cache-Control: public\`); answers to a token ` +
    "are `no-store`.",
  access: { public: true, optionalCredentials: true },
  errors: [404],
  refusals: ["ip_not_allowed"],
  request: { params: OpportunityIdParams },
  responses: {
    200: { description: "The opportunity.", content: { "application/json": { schema: OpportunitySchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const opportunity = await findOpportunity(c, c.req.valid("param").id);
  catalogCache(c);
  return c.json(presentOpportunity(opportunity), 200);
};
