import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { deliverNow } from "../invitations/delivery";
import { DeliverySchema, EXACTLY_ONE_MESSAGE, exactlyOneInvitee, InviteeFields } from "../invitations/schemas";
import type { CreatedInvitation } from "../invitations/service";
import { configOf } from "../platform/config";
import { ApiError } from "../platform/errors";
import { ID_PREFIX, toTypeId, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { requestMeta } from "../platform/request";
import { defineRoute } from "../platform/router";
import { displayText } from "../platform/text";
import { processWebhookEvent } from "./service";

const CREATE_EVENT_EXAMPLE = {
  type: "invitation.create",
  data: {
    organisation_id: "org_01h455vb4pex5vsknk084sn02q",
    email: "new.volunteer@example.org",
    role_id: "role_01h455vb4pex5vsknk084sn02q",
    custom_message: "Welcome aboard: your coordinator will be in touch.",
    expires_in_days: 14,
    delivery: "email",
    inviter_name: "HR system",
  },
};

const SendEvent = z
  .strictObject({
    type: z.literal("invitation.send").openapi({ description: "Always `invitation.send`." }),
    data: z
      .strictObject({
        invitation_id: typeIdSchema(ID_PREFIX.invitation).openapi({
          description: "A pending invitation (`inv_...`); an unknown one is 404, one no longer pending 409.",
        }),
      })
      .openapi({ description: "Which invitation to send." }),
  })
  .openapi("InvitationSendWebhook", {
    description: "Send (again) a pending invitation's email, with a new code.",
    example: { type: "invitation.send", data: { invitation_id: "inv_01h455vb4pex5vsknk084sn02q" } },
  });

const CreateEvent = z
  .strictObject({
    type: z.literal("invitation.create").openapi({ description: "Always `invitation.create`." }),
    data: z
      .strictObject({
        organisation_id: typeIdSchema(ID_PREFIX.organisation).openapi({
          description: "The organisation inviting; an unknown one is 404.",
        }),
        ...InviteeFields,
        delivery: DeliverySchema.exclude(["none"]).optional().openapi({
          description: "`email` (needs `email`) or `sms` (needs `phone`), else 400; left out: by the invitee given.",
        }),
        inviter_name: displayText({ min: 1, max: 200 })
          .optional()
          .openapi({ description: "Who the invitation says it is from; left out: the webhook's own name." }),
      })
      .refine(exactlyOneInvitee, EXACTLY_ONE_MESSAGE)
      .openapi({
        description: "The invitation, as POST /v1/invitations takes it: exactly one of `email` and `phone`.",
      }),
  })
  .openapi("InvitationCreateWebhook", {
    description: "Create an invitation and send it.",
    example: CREATE_EVENT_EXAMPLE,
  });

const WebhookEvent = z.discriminatedUnion("type", [SendEvent, CreateEvent]).openapi("InvitationEmailWebhook", {
  description: "One event: `invitation.create` or `invitation.send`, told apart by `type`.",
  example: CREATE_EVENT_EXAMPLE,
});

/** Standard Webhooks ids are short printable tokens; the receipt (and its response) keeps at most this many. */
const WEBHOOK_ID_MAX = 200;

const WebhookResult = z
  .object({
    object: z.literal("webhook_receipt").openapi({ description: "Always `webhook_receipt`." }),
    id: z.string().max(WEBHOOK_ID_MAX).openapi({ description: "The event's `webhook-id`." }),
    status: z.enum(["processed", "duplicate"]).openapi({
      description: "`processed` now, or `duplicate`: this `webhook-id` was processed before and nothing was done.",
    }),
    invitation_id: z
      .string()
      .max(90)
      .nullable()
      .openapi({ description: "The invitation created or sent (`inv_...`); null for a duplicate." }),
    delivery_status: z
      .enum(["sent", "retrying"])
      .nullable()
      .openapi({
        description:
          "`sent`: the message went out; `retrying`: it is queued and retried; null for a duplicate or when no " +
          "message was queued.",
      }),
  })
  .openapi("WebhookReceipt", {
    example: {
      object: "webhook_receipt",
      id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
      status: "processed",
      invitation_id: "inv_01h455vb4pex5vsknk084sn02q",
      delivery_status: "sent",
    },
  });

/** Standard Webhooks: the signature over id, timestamp and raw body, and a timestamp within five minutes. */
const verifySignature: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = configOf(c.env).WEBHOOK_SECRET;
  if (!secret) throw new ApiError("service_unavailable", "The webhook is not configured (WEBHOOK_SECRET).");
  const headers = {
    "webhook-id": c.req.header("webhook-id") ?? "",
    "webhook-timestamp": c.req.header("webhook-timestamp") ?? "",
    "webhook-signature": c.req.header("webhook-signature") ?? "",
  };
  try {
    new Webhook(secret).verify(await c.req.raw.clone().text(), headers, { jsonParse: false });
  } catch (error) {
    const reason = error instanceof WebhookVerificationError ? error.message : "The signature could not be verified.";
    throw new ApiError(
      "authentication_failed",
      `Webhook rejected: ${reason}`,
      {},
      { "WWW-Authenticate": "webhook-signature" },
    );
  }
  await next();
};

export const route = defineRoute({
  method: "post",
  path: "/v1/webhooks/invitation-emails",
  operationId: "receiveInvitationEmailWebhook",
  tags: ["Webhooks"],
  summary: "An external system asks for an invitation email to be sent, or an invitation created and sent",
  description:
    "Signed with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`, secret " +
    "`whsec_…`). A bad signature or a timestamp more than five minutes off is 401; a replayed `webhook-id` is " +
    "200 and does nothing. Audited with actor type `webhook`. A created invitation counts against the " +
    "organisation's plan like any other (403 `quota_exceeded`; by SMS, `feature_not_in_plan` without " +
    "`sms_invitations`, for `invitation.send` of an invitation by phone too).",
  access: {
    public: true,
    featureWhen: { feature: "sms_invitations", when: "the event sends an SMS" },
    quotas: ["members", "invitations_per_day"],
  },
  errors: [401, 403, 404, 409],
  before: [verifySignature],
  securityScheme: "webhookSignature",
  request: {
    headers: z.object({
      "webhook-id": z
        .string()
        .min(1)
        .max(WEBHOOK_ID_MAX)
        .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
        .openapi({
          description: "The event's id, the same on every retry; a replayed id is a duplicate.",
          pattern: "^[\\x21-\\x7e]{1,200}$",
          example: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
        }),
      "webhook-timestamp": z.string().min(1).max(20).openapi({
        description: "When the event was sent, in Unix seconds; more than five minutes off is 401.",
        example: "1767225600",
      }),
      "webhook-signature": z
        .string()
        .min(1)
        .max(2000)
        .openapi({
          description:
            "`v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<body>` with the shared secret; several " +
            "may be given, space-separated.",
          example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
        }),
    }),
    body: { required: true, content: { "application/json": { schema: WebhookEvent } } },
  },
  responses: {
    200: { description: "Processed, or a replay.", content: { "application/json": { schema: WebhookResult } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const webhookId = c.req.valid("header")["webhook-id"];
  const event = c.req.valid("json");
  const db = c.get("db");
  const receipt = (status: "processed" | "duplicate", created: CreatedInvitation | null) =>
    c.json(
      {
        object: "webhook_receipt" as const,
        id: webhookId,
        status,
        invitation_id: created ? toTypeId(ID_PREFIX.invitation, created.invitation.id) : null,
        delivery_status: created?.outboxId
          ? created.invitation.deliveryStatus === "sent"
            ? "sent"
            : "retrying"
          : null,
      } as const,
      200,
    );

  const created = await processWebhookEvent(db, c.env, requestMeta(c), webhookId, event);
  if (!created) return receipt("duplicate", null);
  try {
    return receipt("processed", await deliverNow(c.env, db, created));
  } catch (error) {
    // Saved and queued for retry: for the sender the event is handled.
    if (error instanceof ApiError && error.code === "send_email_error") return receipt("processed", created);
    throw error;
  }
};
