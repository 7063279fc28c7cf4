import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { listInvitations } from "../invitations/listing";
import { InvitationSchema, invitationFilters } from "../invitations/schemas";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { EXPORT_HEADERS, exportContent, exportDescription, exportFormat, streamExport } from "./stream";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/invitations",
  operationId: "exportInvitations",
  tags: ["Exports"],
  summary: "Export the organisation's invitations",
  description: `Every invitation, whatever its state (no codes: they are shown once). ${exportDescription("GET /v1/invitations")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: z.object({ ...invitationFilters, format: exportFormat }) },
  responses: {
    200: { description: "The file.", headers: EXPORT_HEADERS, content: exportContent(InvitationSchema) },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, format, ...filters } = c.req.valid("query");
  const ctx = await tenancy(c).enter(organisation_id);
  return streamExport(c, ctx, {
    resource: "invitations",
    format,
    filters,
    item: InvitationSchema,
    nextPage: (db, cursor, limit) => listInvitations({ ...ctx, db }, { ...filters, cursor, limit }),
  });
};
