import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { DELIVERY_STATUSES } from "../../schema";
import { applySmsReceipt } from "../invitations/receipts";
import { configOf } from "../platform/config";
import { ApiError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { verifyTwilioSignature } from "../platform/twilio";

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

/**
 * Twilio's status callback. Open on purpose: Twilio adds parameters over time, and each one it sends is part of
 * what it signed, so unknown ones must be accepted (and are ignored).
 */
const StatusCallback = z
  .looseObject({
    MessageSid: z.string().min(1).max(64).openapi({ description: "The provider's id of the SMS (`SM...`)." }),
    MessageStatus: z.string().min(1).max(40).openapi({
      description:
        "The SMS's status: `delivered`, `undelivered` and `failed` count; others (`sent`...) change nothing.",
    }),
    To: z.string().max(64).optional().openapi({ description: "The number it was sent to, E.164; not used." }),
    ErrorCode: z
      .string()
      .max(20)
      .optional()
      .openapi({ description: "The provider's error code of an undelivered SMS; kept with the message." }),
  })
  .openapi("SmsStatusCallback", {
    example: {
      MessageSid: "SM0123456789abcdef0123456789abcdef",
      MessageStatus: "delivered",
      To: "+447400123456",
      AccountSid: "AC0123456789abcdef0123456789abcdef",
    },
  });

const ReceiptResult = z
  .object({
    object: z.literal("sms_status_receipt").openapi({ description: "Always `sms_status_receipt`." }),
    message_sid: z.string().max(64).openapi({ description: "The `MessageSid` received." }),
    applied: z.boolean().openapi({ description: "False for a receipt that changes nothing (a retry, a late one)." }),
    invitation_id: z
      .string()
      .max(90)
      .nullable()
      .openapi({ description: "The invitation the SMS was for (`inv_...`); null if it no longer exists." }),
    delivery_status: z
      .enum(DELIVERY_STATUSES)
      .nullable()
      .openapi({ description: "The invitation's `delivery_status` now; null if it no longer exists." }),
  })
  .openapi("SmsStatusReceipt", {
    example: {
      object: "sms_status_receipt",
      message_sid: "SM0123456789abcdef0123456789abcdef",
      applied: true,
      invitation_id: "inv_01h455vb4pex5vsknk084sn02q",
      delivery_status: "delivered",
    },
  });

/** The signature over the URL the provider was given (or, without one configured, the URL it called). */
const verifySignature: MiddlewareHandler<AppEnv> = async (c, next) => {
  const config = configOf(c.env);
  if (!config.SMS_AUTH_TOKEN) {
    throw new ApiError("service_unavailable", "The SMS receipt webhook is not configured (SMS_AUTH_TOKEN).");
  }
  if (!FORM_TYPE.test(c.req.header("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", "Send the callback as application/x-www-form-urlencoded.");
  }
  // Read as bytes: the runtime warns when a form is read with .text().
  const params = new URLSearchParams(new TextDecoder().decode(await c.req.raw.clone().arrayBuffer()));
  const urls = [...new Set([config.SMS_STATUS_CALLBACK_URL, c.req.url].filter((url): url is string => !!url))];
  const signature = c.req.header("x-twilio-signature") ?? "";
  if (!(await verifyTwilioSignature(config.SMS_AUTH_TOKEN, signature, urls, params))) {
    throw new ApiError(
      "authentication_failed",
      signature ? "Receipt rejected: X-Twilio-Signature does not match." : "Receipt rejected: no X-Twilio-Signature.",
      {},
      { "WWW-Authenticate": "X-Twilio-Signature" },
    );
  }
  await next();
};

export const route = defineRoute({
  method: "post",
  path: "/v1/webhooks/sms-status",
  operationId: "receiveSmsStatusWebhook",
  tags: ["Webhooks"],
  summary: "The SMS provider reports whether an invitation's SMS reached the handset",
  description:
    "Twilio's status callback (form-encoded; `MessageSid`, `MessageStatus`, `ErrorCode`...), signed with " +
    "`X-Twilio-Signature` (HMAC-SHA1 of the callback URL and the sorted parameters, keyed with `SMS_AUTH_TOKEN`). " +
    "A missing or bad signature is 401. `delivered` moves the invitation's `delivery_status` to `delivered`; " +
    "`undelivered` and `failed` to `undelivered`; other statuses change nothing. A final status is never " +
    "overwritten, a receipt for a message a resend replaced is ignored, and so is one after the invitee answered; " +
    "a retry is harmless. An unknown `MessageSid` is 404. Not audited: nobody changed anything.",
  access: { public: true },
  errors: [401, 404],
  acceptsForm: true,
  notIdempotent: true,
  before: [verifySignature],
  securityScheme: "twilioSignature",
  request: {
    body: { required: true, content: { "application/x-www-form-urlencoded": { schema: StatusCallback } } },
  },
  responses: {
    200: { description: "The receipt, applied or not.", content: { "application/json": { schema: ReceiptResult } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const callback = c.req.valid("form");
  const outcome = await applySmsReceipt(c.get("db"), {
    messageSid: callback.MessageSid,
    status: callback.MessageStatus,
    ...(callback.ErrorCode ? { errorCode: callback.ErrorCode } : {}),
  });
  return c.json(
    {
      object: "sms_status_receipt" as const,
      message_sid: callback.MessageSid,
      applied: outcome.applied,
      invitation_id: outcome.invitationId ? toTypeId(ID_PREFIX.invitation, outcome.invitationId) : null,
      delivery_status: outcome.deliveryStatus,
    },
    200,
  );
};
