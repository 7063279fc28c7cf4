import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { listOpportunities } from "../opportunities/catalog";
import { assertLevelNamesSkill, opportunityFilters } from "../opportunities/filters";
import { opportunityVisibleTo } from "../opportunities/reach";
import { OpportunitySchema } from "../opportunities/schemas";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { EXPORT_HEADERS, exportContent, exportDescription, exportFormat, streamExport } from "./stream";

const organisationScope = {
  organisation_id: typeIdSchema(ID_PREFIX.organisation)
    .optional()
    .openapi({ description: "Required for people; a service account's token implies it." }),
};

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/opportunities",
  operationId: "exportOpportunities",
  tags: ["Exports"],
  summary: "Export the organisation's opportunities",
  description: `Its opportunities and those under its programs, within the caller's access list. ${exportDescription("GET /v1/opportunities?organisation_id=")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: z.object({ ...organisationScope, ...opportunityFilters, format: exportFormat }) },
  responses: {
    200: { description: "The file.", headers: EXPORT_HEADERS, content: exportContent(OpportunitySchema) },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, format, ...filters } = c.req.valid("query");
  assertLevelNamesSkill(filters);
  const ctx = await tenancy(c).enter(organisation_id);
  const scope = opportunityVisibleTo(ctx);
  return streamExport(c, ctx, {
    resource: "opportunities",
    format,
    filters,
    item: OpportunitySchema,
    nextPage: (db, cursor, limit) => listOpportunities(db, scope, { ...filters, cursor, limit }),
  });
};
