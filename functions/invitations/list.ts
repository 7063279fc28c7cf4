import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { INVITATION_STATUSES, invitations, roles } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { emailAddress } from "../platform/text";
import { invitationStatusIs } from "./rules";
import { InvitationSchema, phoneNumber, presentInvitation } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/invitations",
  operationId: "listInvitations",
  tags: ["Invitations"],
  summary: "List an organisation's invitations",
  access: {},
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation).optional(),
      status: z.enum(INVITATION_STATUSES).optional(),
      email: emailAddress.optional(),
      phone: phoneNumber.optional(),
      opportunity_id: typeIdSchema(ID_PREFIX.opportunity).optional(),
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Invitations, oldest first.",
      content: { "application/json": { schema: listSchema(InvitationSchema, "InvitationList") } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const ctx = await tenancy(c).enter(query.organisation_id);
  const conditions: SQL[] = [ctx.scope(invitations.organisationId)];
  if (query.status) conditions.push(invitationStatusIs(query.status));
  if (query.email) conditions.push(eq(invitations.email, query.email));
  if (query.phone) conditions.push(eq(invitations.phone, query.phone));
  if (query.opportunity_id) conditions.push(eq(invitations.opportunityId, query.opportunity_id));
  if (after) conditions.push(gt(invitations.id, after));
  const rows = await ctx.db
    .select({ invitation: invitations, role: roles })
    .from(invitations)
    .leftJoin(roles, eq(roles.id, invitations.roleId))
    .where(and(...conditions))
    .orderBy(asc(invitations.id))
    .limit(query.limit + 1);
  return c.json(
    page(
      rows.map((row) => ({ ...row, id: row.invitation.id })),
      query.limit,
      (row) => presentInvitation(row.invitation, row.role),
    ),
    200,
  );
};
