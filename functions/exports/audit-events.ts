import type { RouteHandler } from "@hono/zod-openapi";
import { AUDIT_EVENT_EXAMPLE, AuditEventSchema, auditEventFilters } from "../audit-events/listing";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { EXPORT_HEADERS, exportContent, exportDescription, exportQuery } from "./format";
import { EXPORT_SOURCES } from "./sources";
import { streamExport } from "./stream";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/audit-events",
  operationId: "exportAuditEvents",
  tags: ["Exports"],
  summary: "Export the organisation's audit trail",
  description:
    "The audit trail, newest first, as far back as the plan's retention keeps it; it also needs `audit:read`, as " +
    `the list does. ${exportDescription("GET /v1/audit-events")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: exportQuery(auditEventFilters) },
  responses: {
    200: {
      description: "The file.",
      headers: EXPORT_HEADERS,
      content: exportContent(AuditEventSchema, AUDIT_EVENT_EXAMPLE),
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { format, ...filters } = c.req.valid("query");
  return streamExport(c, EXPORT_SOURCES["audit-events"], format, filters);
};
