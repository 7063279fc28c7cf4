import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { listSchema, paginationQuery } from "../platform/pagination";
import { type AppEnv, principalOf } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { CATALOG_MAX_AGE, catalogCache, listedInCatalog, listOpportunities } from "./catalog";
import { assertLevelNamesSkill, opportunityFilters } from "./filters";
import { opportunityVisibleTo } from "./reach";
import { OPPORTUNITY_LIST_EXAMPLE, OpportunitySchema } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/opportunities",
  operationId: "listOpportunities",
  tags: ["Opportunities"],
  summary: "Browse the opportunity catalog, or list an organisation's opportunities",
  description:
    "Without `organisation_id` (with or without a token): the public catalog, the `open` and `public` " +
    "opportunities of every organisation that have not ended (an ended one stays readable by id). With `organisation_id` (a bearer token is required: 401 without): " +
    "as a member of that organisation, all of its opportunities and those under its programs, within your " +
    "access list. Filters narrow either. In id (creation) order; with `q`, a web-search query (`survey -phone`, " +
    '`"field work"`, `a or b`) over name, role, short description and description, best match first. Pages ' +
    "follow `next_cursor` (a cursor of a `q` list continues that search only). `skill_id` keeps the " +
    "opportunities that require that skill at `min_level` or above (default 1; a preferred skill does not " +
    "count); `practice_area` those with a required skill in that area (GET /v1/practice-areas). Anonymous " +
    `answers may be cached for ${CATALOG_MAX_AGE} s (\`Cache-Control: public\`); answers to a token are \`no-store\`.`,
  access: { public: true, optionalCredentials: true },
  errors: [404],
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation)
        .optional()
        .openapi({
          description:
            "List as a member of this organisation (a token is required: 401 without). Left out: the public " +
            "catalog, even with a service account's token.",
        }),
      ...opportunityFilters,
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({
        description: "How many opportunities a page holds, 1 to 100 (default 20).",
      }),
    }),
  },
  responses: {
    200: {
      description: "Opportunities.",
      content: {
        "application/json": {
          schema: listSchema(OpportunitySchema, "OpportunityList"),
          example: OPPORTUNITY_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...filters } = c.req.valid("query");
  assertLevelNamesSkill(filters);
  let scope = listedInCatalog();
  if (organisation_id !== undefined) {
    principalOf(c);
    scope = opportunityVisibleTo(await tenancy(c).enter(organisation_id));
  } else if (c.get("principal")) {
    await tenancy(c).assertCredentialLive();
  }
  const list = await listOpportunities(c.get("db"), scope, filters);
  catalogCache(c);
  return c.json(list, 200);
};
