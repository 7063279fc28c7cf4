import type { RouteHandler } from "@hono/zod-openapi";
import { invitations } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { callerContext } from "./context";
import { InvitationIdParams, InvitationSchema, presentInvitation } from "./schemas";
import { cancelInvitation } from "./service";

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations/{id}:cancel",
  operationId: "cancelInvitation",
  tags: ["Invitations"],
  summary: "Cancel a pending invitation",
  description:
    "Its code stops working at once; an undelivered message is dropped. Not pending: 409. As for :resend, only " +
    "someone who may invite to its role may cancel it (a global-access role takes global access): else 403.",
  access: { scope: "create", permission: "invitations:write" },
  request: { params: InvitationIdParams },
  responses: { 200: { description: "The invitation.", content: { "application/json": { schema: InvitationSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(invitations, id, { what: "invitation" });
  const { invitation, role } = await cancelInvitation(callerContext(ctx, c.env), id);
  return c.json(presentInvitation(invitation, role), 200);
};
