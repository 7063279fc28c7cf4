import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { listSchema, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { INVITATION_LIST_EXAMPLE } from "./examples";
import { listInvitations } from "./listing";
import { InvitationSchema, invitationFilters } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/invitations",
  operationId: "listInvitations",
  tags: ["Invitations"],
  summary: "List an organisation's invitations",
  description:
    "Any member or service account of the organisation, whatever the invitation's state (codes are never " +
    "listed: they are shown once). People pass `organisation_id`; a service account's token implies it. Filter " +
    "by `status` (a pending invitation past its expiry counts as `expired`), `email`, `phone` or " +
    "`opportunity_id`; ordered by id (oldest first), paged with `limit` and `cursor`.",
  access: {},
  request: {
    query: z.object({
      ...invitationFilters,
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Invitations, oldest first.",
      content: {
        "application/json": {
          schema: listSchema(InvitationSchema, "InvitationList"),
          example: INVITATION_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...query } = c.req.valid("query");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(await listInvitations(ctx, query), 200);
};
