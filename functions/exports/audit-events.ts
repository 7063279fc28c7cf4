import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { AuditEventSchema, auditEventFilters, listAuditEvents } from "../audit-events/listing";
import { requirePermission } from "../platform/permissions";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { EXPORT_HEADERS, exportContent, exportDescription, exportFormat, streamExport } from "./stream";

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
  request: { query: z.object({ ...auditEventFilters, format: exportFormat }) },
  responses: {
    200: { description: "The file.", headers: EXPORT_HEADERS, content: exportContent(AuditEventSchema) },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, format, ...filters } = c.req.valid("query");
  const ctx = await tenancy(c).enter(organisation_id);
  requirePermission(ctx.caller, "audit:read");
  return streamExport(c, ctx, {
    resource: "audit-events",
    format,
    filters,
    item: AuditEventSchema,
    nextPage: (db, cursor, limit) => listAuditEvents({ ...ctx, db }, { ...filters, cursor, limit }),
  });
};
