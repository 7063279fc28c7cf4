import type { RouteHandler } from "@hono/zod-openapi";
import { invitations } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { callerContext } from "./context";
import { deliverNow } from "./delivery";
import { InvitationIdParams, InvitationWithCodeSchema, presentInvitation } from "./schemas";
import { reissueInvitation } from "./service";

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations/{id}:resend",
  operationId: "resendInvitation",
  tags: ["Invitations"],
  summary: "Send a pending invitation again, with a new code and a new expiry",
  description:
    "The previous code stops working. Counts the send. Not pending: 409. A provider refusing at once: 502 " +
    "`send_email_error` (the message is retried). As for :cancel, only someone who may invite to its role may " +
    "resend it (a global-access role takes global access, and no service account may): else 403. With " +
    "`delivery: none` nothing is sent and the new code is in the answer, once. Sending by SMS needs " +
    "`sms_invitations` (a plan that lost it keeps the invitation, but its resend is 403).",
  access: {
    scope: "create",
    permission: "invitations:write",
    featureWhen: { feature: "sms_invitations", when: "the invitation is delivered by SMS" },
  },
  errors: [502],
  request: { params: InvitationIdParams },
  responses: {
    200: {
      description: "The invitation (with its new code when `delivery` is `none`).",
      content: { "application/json": { schema: InvitationWithCodeSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(invitations, id, { what: "invitation" });
  const context = callerContext(ctx, c.env);
  const resent = await deliverNow(c.env, ctx.db, await reissueInvitation(context, id));
  const body = presentInvitation(resent.invitation, resent.role);
  return c.json(resent.invitation.delivery === "none" ? { ...body, code: resent.code } : body, 200);
};
