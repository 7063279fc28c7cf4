import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { invitations, roles } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { InvitationIdParams, InvitationSchema, presentInvitation } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/invitations/{id}",
  operationId: "getInvitation",
  tags: ["Invitations"],
  summary: "Get an invitation",
  description:
    "One invitation of the organisation, whatever its state (without its code: it is shown once). Any member or " +
    "service account of the organisation; an invitation of another organisation, or none, is 404.",
  access: {},
  request: { params: InvitationIdParams },
  responses: { 200: { description: "The invitation.", content: { "application/json": { schema: InvitationSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { row, ctx } = await tenancy(c).load(invitations, c.req.valid("param").id, { what: "invitation" });
  const [role] = row.roleId ? await ctx.db.select().from(roles).where(eq(roles.id, row.roleId)) : [];
  return c.json(presentInvitation(row, role ?? null), 200);
};
