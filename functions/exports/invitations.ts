import type { RouteHandler } from "@hono/zod-openapi";
import { INVITATION_EXAMPLE } from "../invitations/examples";
import { InvitationSchema, invitationFilters } from "../invitations/schemas";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { EXPORT_HEADERS, exportContent, exportDescription, exportQuery } from "./format";
import { EXPORT_SOURCES } from "./sources";
import { streamExport } from "./stream";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/invitations",
  operationId: "exportInvitations",
  tags: ["Exports"],
  summary: "Export the organisation's invitations",
  description: `Every invitation, whatever its state (no codes: they are shown once). ${exportDescription("GET /v1/invitations")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: exportQuery(invitationFilters) },
  responses: {
    200: {
      description: "The file.",
      headers: EXPORT_HEADERS,
      content: exportContent(InvitationSchema, INVITATION_EXAMPLE),
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { format, ...filters } = c.req.valid("query");
  return streamExport(c, EXPORT_SOURCES.invitations, format, filters);
};
