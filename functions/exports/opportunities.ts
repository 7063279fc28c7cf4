import type { RouteHandler } from "@hono/zod-openapi";
import { opportunityFilters } from "../opportunities/filters";
import { OPPORTUNITY_EXAMPLE, OpportunitySchema } from "../opportunities/schemas";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { EXPORT_HEADERS, exportContent, exportDescription, exportQuery } from "./format";
import { EXPORT_SOURCES, organisationScope } from "./sources";
import { streamExport } from "./stream";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/opportunities",
  operationId: "exportOpportunities",
  tags: ["Exports"],
  summary: "Export the organisation's opportunities",
  description: `Its opportunities and those under its programs, within the caller's access list. ${exportDescription("GET /v1/opportunities?organisation_id=")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: exportQuery({ ...organisationScope, ...opportunityFilters }) },
  responses: {
    200: {
      description: "The file.",
      headers: EXPORT_HEADERS,
      content: exportContent(OpportunitySchema, OPPORTUNITY_EXAMPLE),
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { format, ...filters } = c.req.valid("query");
  return streamExport(c, EXPORT_SOURCES.opportunities, format, filters);
};
