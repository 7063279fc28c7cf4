import type { RouteHandler } from "@hono/zod-openapi";
import { personContext } from "../platform/people";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { answerInvitation } from "./answer";
import { CodeBody, InvitationSchema, presentInvitation } from "./schemas";

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations:decline",
  operationId: "declineInvitation",
  tags: ["Invitations"],
  summary: "Decline an invitation addressed to you",
  description:
    "Your verified email (or phone) must be the invitee's, else 409 `invitee_mismatch`. For people only (not " +
    "service accounts), from any organisation. An unknown or expired code is 404; an invitation no longer pending " +
    "is 409. The code stops working and no membership (or access) is made.",
  access: { scope: "create", untenanted: true, takesCode: true },
  errors: [404, 409],
  request: { body: { required: true, content: { "application/json": { schema: CodeBody } } } },
  responses: {
    200: { description: "The declined invitation.", content: { "application/json": { schema: InvitationSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await personContext(c, "Only people decline invitations.");
  const { invitation, role } = await answerInvitation(ctx, c.req.valid("json").code, "decline");
  return c.json(presentInvitation(invitation, role), 200);
};
