import type { RouteHandler } from "@hono/zod-openapi";
import { MEMBER_EXAMPLE, MemberSchema, memberFilters } from "../members/schemas";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { EXPORT_HEADERS, exportContent, exportDescription, exportQuery } from "./format";
import { EXPORT_SOURCES } from "./sources";
import { streamExport } from "./stream";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/members",
  operationId: "exportMembers",
  tags: ["Exports"],
  summary: "Export the organisation's members",
  description: `Every member with their role and access. ${exportDescription("GET /v1/members")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: exportQuery(memberFilters) },
  responses: {
    200: { description: "The file.", headers: EXPORT_HEADERS, content: exportContent(MemberSchema, MEMBER_EXAMPLE) },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { format, ...filters } = c.req.valid("query");
  return streamExport(c, EXPORT_SOURCES.members, format, filters);
};
