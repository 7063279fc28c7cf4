import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { callerContext } from "./context";
import { deliverNow } from "./delivery";
import {
  DeliverySchema,
  EXACTLY_ONE_INVITEE,
  EXACTLY_ONE_MESSAGE,
  exactlyOneInvitee,
  InvitationWithCodeSchema,
  InviteeFields,
  presentInvitation,
} from "./schemas";
import { createInvitation } from "./service";

const CreateInvitationBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation)
      .optional()
      .openapi({ description: "Required for people; a service account's token implies it." }),
    ...InviteeFields,
    delivery: DeliverySchema.optional(),
  })
  .refine(exactlyOneInvitee, EXACTLY_ONE_MESSAGE)
  .openapi("CreateInvitation", {
    ...EXACTLY_ONE_INVITEE,
    example: {
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      email: "dave@example.com",
      role_id: "role_01h455vb4pex5vsknk084sn02q",
      custom_message: "Welcome to the spring survey team!",
      expires_in_days: 7,
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations",
  operationId: "createInvitation",
  tags: ["Invitations"],
  summary: "Invite someone by email or phone",
  description:
    "Sends the invitation at once. If the provider refuses, the answer is 502 `send_email_error` with the " +
    "`invitation_id`: the invitation is kept, delivery is retried, and `:resend` works. Inviting a member or " +
    "someone with a pending invitation is 409 with `existing_id`. Counts against the plan's `members` quota " +
    "(members plus pending invitations) and `invitations_per_day`; an SMS invitation needs `sms_invitations`.",
  access: {
    scope: "create",
    permission: "invitations:write",
    featureWhen: { feature: "sms_invitations", when: "the invitation is delivered by SMS" },
    quotas: ["members", "invitations_per_day"],
  },
  errors: [409, 502],
  request: { body: { required: true, content: { "application/json": { schema: CreateInvitationBody } } } },
  responses: {
    201: {
      description: "The invitation (with its code when `delivery` is `none`).",
      content: { "application/json": { schema: InvitationWithCodeSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, delivery, ...invitee } = c.req.valid("json");
  const ctx = await tenancy(c).enter(organisation_id);
  const context = callerContext(ctx, c.env);
  const created = await deliverNow(c.env, ctx.db, await createInvitation(context, invitee, delivery));
  const body = presentInvitation(created.invitation, created.role);
  return c.json(created.invitation.delivery === "none" ? { ...body, code: created.code } : body, 201);
};
