import { z } from "@hono/zod-openapi";
import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import {
  DELIVERY_CHANNELS,
  DELIVERY_STATUSES,
  INVITATION_STATUSES,
  INVITER_TYPES,
  type Invitation,
  type InvitationStatus,
  type Role,
} from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { generateSecret, hashSecret, secretFields } from "../platform/secrets";
import { displayText, emailAddress } from "../platform/text";
import { presentRoleSummary, RoleSummarySchema } from "../roles/schemas";
import { INVITATION_EXAMPLE, INVITATION_WITH_CODE_EXAMPLE } from "./examples";

export const DEFAULT_EXPIRY_DAYS = 7;
export const MAX_CUSTOM_MESSAGE = 1000;

/**
 * What a phone number may be written with: digits, spaces, ( ) - and one leading +. The parser is lenient beyond
 * this (it drops trailing text, a "tel:" prefix, an extension, reads up to the first letter of 1-800-FLOWERS),
 * and anything it drops would be lost silently, so such input is refused rather than rewritten.
 */
const PHONE_PATTERN = "^\\+?[0-9 ()-]{6,39}$";
const phoneCharacters = new RegExp(PHONE_PATTERN);

/** A phone number in any international form, normalised to E.164 by libphonenumber. */
export const phoneNumber = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const typed = value.trim();
    const parsed = parsePhoneNumberFromString(typed);
    const refuse = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (parsed?.ext) return refuse("must not have an extension; give the number alone, e.g. +447400123456");
    if (!phoneCharacters.test(typed)) {
      return refuse(
        "must contain only digits, spaces, ( ) - and a leading +; letters are not read as digits, e.g. +447400123456",
      );
    }
    if (!parsed?.isValid()) return refuse("must be a valid phone number in international form, e.g. +447400123456");
    return parsed.number;
  })
  .openapi({
    type: "string",
    maxLength: 40,
    example: "+447400123456",
    pattern: PHONE_PATTERN,
    description: "Digits, spaces, ( ) - and a leading +; no extension. Stored in E.164.",
  });

/** The invitation list's filters: GET /v1/invitations and its export take the same ones. */
export const invitationFilters = {
  organisation_id: typeIdSchema(ID_PREFIX.organisation)
    .optional()
    .openapi({ description: "Required for people; a service account's token implies it." }),
  status: z.enum(INVITATION_STATUSES).optional().openapi({ description: "Only invitations in this state." }),
  email: emailAddress.optional().openapi({ description: "Only invitations to this address." }),
  phone: phoneNumber.optional().openapi({ description: "Only invitations to this number (any form, read as E.164)." }),
  opportunity_id: typeIdSchema(ID_PREFIX.opportunity)
    .optional()
    .openapi({ description: "Only invitations to work on this opportunity." }),
};

/** Who is invited, how long for, and with what message: shared by create, bulk and the webhook. */
export const InviteeFields = {
  email: emailAddress.optional().openapi({ description: "Invite by email (exactly one of `email` and `phone`)." }),
  phone: phoneNumber
    .optional()
    .openapi({ description: "Invite by SMS, any form of the number (read as E.164); needs `sms_invitations`." }),
  role_id: typeIdSchema(ID_PREFIX.role).openapi({ description: "The role the invitee gets on accepting." }),
  custom_message: displayText({ max: MAX_CUSTOM_MESSAGE, multiline: true })
    .optional()
    .openapi({ description: "A note from you, shown in the invitation." }),
  expires_in_days: z
    .number()
    .int()
    .min(1)
    .max(30)
    .default(DEFAULT_EXPIRY_DAYS)
    .openapi({ format: "int32", description: `Days until the code stops working (default ${DEFAULT_EXPIRY_DAYS}).` }),
};

export const exactlyOneInvitee = (value: { email?: string; phone?: string }) =>
  (value.email === undefined) !== (value.phone === undefined);
export const EXACTLY_ONE_MESSAGE = { message: "give exactly one of email or phone", path: ["non_field_errors"] };

/**
 * The same rule in the document, so a generated client knows a body has `email` or `phone`, never both: each
 * branch requires one and forbids the other (openapi-typescript makes it `{email: string; phone?: never} | …`).
 */
// `false` is JSON Schema's "never valid"; the document's types have no room for it, hence the cast.
const ABSENT = false as never;
export const EXACTLY_ONE_INVITEE: {
  oneOf: { title: string; required: string[]; properties: Record<string, { type: "string"; maxLength: number }> }[];
} = {
  oneOf: [
    {
      title: "By email",
      required: ["email"],
      properties: { email: { type: "string", maxLength: 254 }, phone: ABSENT },
    },
    { title: "By phone", required: ["phone"], properties: { phone: { type: "string", maxLength: 40 }, email: ABSENT } },
  ],
};

export const DeliverySchema = z
  .enum(DELIVERY_CHANNELS)
  .openapi({ description: "How the code travels; `none` returns it once in the response instead." });

export const InvitationSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.invitation).openapi({ description: "The invitation's id (`inv_...`)." }),
    object: z.literal("invitation").openapi({ description: "Always `invitation`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({
      description: "The organisation the invitee is invited into (for an opportunity: its delivering organisation).",
    }),
    email: z
      .string()
      .max(254)
      .nullable()
      .openapi({ description: "The invitee's email address, lower-cased; null when invited by phone." }),
    phone: z
      .string()
      .max(20)
      .nullable()
      .openapi({ description: "The invitee's phone number in E.164; null when invited by email." }),
    role: z.union([RoleSummarySchema, z.null()]).openapi({
      description:
        "The role the invitee gets; null for an invitation to an opportunity (`opportunity_id`: accepting gives " +
        "access to it, not membership), and on a past invitation whose role was deleted since.",
    }),
    opportunity_id: typeIdOut(ID_PREFIX.opportunity).nullable().openapi({
      description:
        "The opportunity accepting gives access to (not membership); null for an invitation to the organisation.",
    }),
    custom_message: z
      .string()
      .max(MAX_CUSTOM_MESSAGE)
      .nullable()
      .openapi({ description: "The inviter's note shown in the invitation; null when there is none." }),
    inviter: z
      .object({
        type: z.enum(INVITER_TYPES).openapi({
          description: "Who invited: a member (`user`), a `service_account`, or the signed invitation `webhook`.",
        }),
        id: z.string().max(90).nullable().openapi({
          description: "The inviting user (`usr_...`) or service account (`sa_...`); null for the webhook.",
        }),
        name: z.string().max(200).openapi({ description: "The inviter's name as the invitee sees it." }),
      })
      .openapi({ description: "Who sent the invitation, as they were when they sent it." }),
    status: z.enum(INVITATION_STATUSES).openapi({
      description:
        "`pending` until accepted, declined, cancelled or expired; a pending invitation past `expires_at` reads " +
        "`expired` even before the scheduled job marks it.",
    }),
    delivery: DeliverySchema,
    delivery_status: z.enum(DELIVERY_STATUSES).openapi({
      description:
        "Where the latest message stands: `pending` (queued), `sent`, `retrying`, `failed`, `not_sent` " +
        "(`delivery: none`), and for SMS the provider's receipt (`delivered`, `undelivered`).",
    }),
    send_count: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .openapi({ format: "int32", description: "How many messages were sent for it (the first and every resend)." }),
    last_sent_at: timestampOut()
      .nullable()
      .openapi({ description: "When the latest message was queued to send; null if none was (`delivery: none`)." }),
    expires_at: timestampOut().openapi({
      description: "When the code stops working; a resend sets a new expiry (`expires_in_days` from then).",
    }),
    accepted_by: typeIdOut(ID_PREFIX.user)
      .nullable()
      .openapi({ description: "The user who accepted it (`usr_...`); null unless accepted." }),
    accepted_at: timestampOut().nullable().openapi({ description: "When it was accepted; null unless accepted." }),
    declined_at: timestampOut().nullable().openapi({ description: "When it was declined; null unless declined." }),
    cancelled_at: timestampOut().nullable().openapi({ description: "When it was cancelled; null unless cancelled." }),
    created_at: timestampOut().openapi({ description: "When it was created." }),
    updated_at: timestampOut().openapi({ description: "When it last changed (a send, a resend, an answer)." }),
  })
  .openapi("Invitation", { example: INVITATION_EXAMPLE });

/** The invitation as returned to whoever created or resent it with `delivery: "none"`: the code, once. */
export const InvitationWithCodeSchema = InvitationSchema.extend(
  secretFields({
    code: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: "Only when `delivery` is `none`: hand it to the invitee yourself. Shown once." }),
  }),
).openapi("InvitationWithCode", { example: INVITATION_WITH_CODE_EXAMPLE });

export const InvitationIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.invitation).openapi({
    param: { name: "id", in: "path" },
    description: "The invitation's id (`inv_...`); another prefix is a 400.",
  }),
});

export const CodeBody = z
  .strictObject({
    code: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: "The code from the invitation link (the last part of its URL)." }),
  })
  .openapi("InvitationCode", { example: { code: "q3Vh0bJ2nX6tQe8LwZs1kP4yR7uA9dC5fG0hI2jK3lM" } });

/** An overdue pending invitation is expired, whether or not the scheduled job has marked it yet. */
export function effectiveStatus(invitation: Pick<Invitation, "status" | "expiresAt">): InvitationStatus {
  return invitation.status === "pending" && invitation.expiresAt <= new Date() ? "expired" : invitation.status;
}

export function presentInvitation(
  invitation: Invitation,
  role: Pick<Role, "id" | "key" | "name" | "globalAccess"> | null,
) {
  const inviterId =
    invitation.inviterType === "user" && invitation.inviterUserId
      ? toTypeId(ID_PREFIX.user, invitation.inviterUserId)
      : invitation.inviterType === "service_account" && invitation.inviterServiceAccountId
        ? toTypeId(ID_PREFIX.service_account, invitation.inviterServiceAccountId)
        : null;
  return {
    id: toTypeId(ID_PREFIX.invitation, invitation.id),
    object: "invitation" as const,
    organisation_id: toTypeId(ID_PREFIX.organisation, invitation.organisationId),
    email: invitation.email,
    phone: invitation.phone,
    role: role ? presentRoleSummary(role) : null,
    opportunity_id: invitation.opportunityId ? toTypeId(ID_PREFIX.opportunity, invitation.opportunityId) : null,
    custom_message: invitation.customMessage,
    inviter: { type: invitation.inviterType, id: inviterId, name: invitation.inviterName },
    status: effectiveStatus(invitation),
    delivery: invitation.delivery,
    delivery_status: invitation.deliveryStatus,
    send_count: invitation.sendCount,
    last_sent_at: invitation.lastSentAt?.toISOString() ?? null,
    expires_at: invitation.expiresAt.toISOString(),
    accepted_by: invitation.acceptedByUserId ? toTypeId(ID_PREFIX.user, invitation.acceptedByUserId) : null,
    accepted_at: invitation.acceptedAt?.toISOString() ?? null,
    declined_at: invitation.declinedAt?.toISOString() ?? null,
    cancelled_at: invitation.cancelledAt?.toISOString() ?? null,
    created_at: invitation.createdAt.toISOString(),
    updated_at: invitation.updatedAt.toISOString(),
  };
}

/** A fresh invitation code: 256 random bits, URL-safe. Only its digest is stored. */
export async function newInvitationCode(): Promise<{ code: string; codeHash: string }> {
  const code = generateSecret();
  return { code, codeHash: await hashSecret(code) };
}

export const hashInvitationCode = (code: string) => hashSecret(code.trim());
