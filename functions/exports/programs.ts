import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { programFilters } from "../programs/listing";
import { PROGRAM_EXAMPLE, ProgramSchema } from "../programs/schemas";
import { EXPORT_HEADERS, exportContent, exportDescription, exportQuery } from "./format";
import { EXPORT_SOURCES } from "./sources";
import { streamExport } from "./stream";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/programs",
  operationId: "exportPrograms",
  tags: ["Exports"],
  summary: "Export the organisation's programs",
  description: `The programs within the caller's access list. ${exportDescription("GET /v1/programs")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: exportQuery(programFilters) },
  responses: {
    200: { description: "The file.", headers: EXPORT_HEADERS, content: exportContent(ProgramSchema, PROGRAM_EXAMPLE) },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { format, ...filters } = c.req.valid("query");
  return streamExport(c, EXPORT_SOURCES.programs, format, filters);
};
