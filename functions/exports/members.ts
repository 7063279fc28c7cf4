import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { MemberSchema, memberFilters } from "../members/schemas";
import { listMembers } from "../members/service";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { EXPORT_HEADERS, exportContent, exportDescription, exportFormat, streamExport } from "./stream";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/members",
  operationId: "exportMembers",
  tags: ["Exports"],
  summary: "Export the organisation's members",
  description: `Every member with their role and access. ${exportDescription("GET /v1/members")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: z.object({ ...memberFilters, format: exportFormat }) },
  responses: {
    200: { description: "The file.", headers: EXPORT_HEADERS, content: exportContent(MemberSchema) },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, format, ...filters } = c.req.valid("query");
  const ctx = await tenancy(c).enter(organisation_id);
  return streamExport(c, ctx, {
    resource: "members",
    format,
    filters,
    item: MemberSchema,
    nextPage: (db, cursor, limit) => listMembers({ ...ctx, db }, { ...filters, cursor, limit }),
  });
};
