import { z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES, type Invitation, OPPORTUNITY_STATUSES, type Opportunity } from "../../schema";
import type { InviteResult } from "../invitations/opportunity";
import { effectiveStatus, InviteeFields, MAX_CUSTOM_MESSAGE, phoneNumber } from "../invitations/schemas";
import { hasEnded } from "../platform/dates";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut } from "../platform/ids";
import { displayText } from "../platform/text";

export const MAX_INVITE = 100;
const EXAMPLE_OPPORTUNITY = "opp_01h455vb4pex5vsknk084sn02q";
const EXAMPLE_INVITATION = "inv_01h455vb4pex5vsknk084sn02q";

export const InviteBody = z
  .strictObject({
    phone_numbers: z
      .array(z.string().max(64))
      .min(1)
      .max(MAX_INVITE)
      .openapi({
        description:
          `1 to ${MAX_INVITE} phone numbers in international form (digits, spaces, ( ) - and a leading +). Each ` +
          "is normalised to E.164; one that is not a valid number is reported `invalid` on its own result.",
      }),
    custom_message: displayText({ max: MAX_CUSTOM_MESSAGE, multiline: true })
      .optional()
      .openapi({
        description: `A note from you, up to ${MAX_CUSTOM_MESSAGE} characters; the SMS quotes its first 120.`,
      }),
    expires_in_days: InviteeFields.expires_in_days,
  })
  .openapi("InviteToOpportunity", {
    example: { phone_numbers: ["+44 7400 123456", "+447400123457"], custom_message: "See you on Saturday!" },
  });

/** A number as given: in E.164, or refused with the parser's reason. */
export function parsePhoneEntry(given: string): { phone: string } | { given: string; error: string } {
  const parsed = phoneNumber.safeParse(given);
  if (parsed.success) return { phone: parsed.data };
  return { given: given.trim(), error: parsed.error.issues[0]?.message ?? "is not a phone number" };
}

const INVITE_STATUSES = ["invited", "already_invited", "already_accepted", "invalid"] as const;

export const InviteResponse = z
  .object({
    object: z.literal("opportunity_invite_result").openapi({ description: "Always `opportunity_invite_result`." }),
    opportunity_id: typeIdOut(ID_PREFIX.opportunity).openapi({ description: "The opportunity invited to." }),
    invited: z
      .number()
      .int()
      .min(0)
      .max(MAX_INVITE)
      .openapi({ format: "int32", description: "How many new invitations were sent." }),
    results: z
      .array(
        z.object({
          phone: z.string().max(64).openapi({ description: "In E.164; as given (trimmed) when `invalid`." }),
          status: z.enum(INVITE_STATUSES).openapi({
            description:
              "`invited`: a new invitation, sent by SMS; `already_invited`: a pending one exists; " +
              "`already_accepted`: that person has access already; `invalid`: not a phone number (see `error`).",
          }),
          invitation_id: typeIdOut(ID_PREFIX.invitation)
            .optional()
            .openapi({ description: "The new, the pending or the accepted invitation; absent when `invalid`." }),
          error: z.string().max(500).optional().openapi({ description: "Why the number is `invalid`." }),
        }),
      )
      .max(MAX_INVITE)
      .openapi({ description: "One result per number given, in the request's order." }),
  })
  .openapi("OpportunityInviteResult", {
    example: {
      object: "opportunity_invite_result",
      opportunity_id: EXAMPLE_OPPORTUNITY,
      invited: 1,
      results: [
        { phone: "+447400123456", status: "invited", invitation_id: EXAMPLE_INVITATION },
        {
          phone: "+999 1234 5678",
          status: "invalid",
          error: "must be a valid phone number in international form, e.g. +447400123456",
        },
      ],
    },
  });

export function presentInviteResults(opportunityId: string, results: InviteResult[]) {
  return {
    object: "opportunity_invite_result" as const,
    opportunity_id: toTypeId(ID_PREFIX.opportunity, opportunityId),
    invited: new Set(results.filter((r) => r.status === "invited").map((r) => r.invitationId)).size,
    results: results.map(({ phone, status, invitationId, error }) => ({
      phone,
      status,
      ...(invitationId ? { invitation_id: toTypeId(ID_PREFIX.invitation, invitationId) } : {}),
      ...(error ? { error } : {}),
    })),
  };
}

export const WORKER_STATUSES = ["invited", "accepted", "declined", "expired", "cancelled"] as const;
export type WorkerStatus = (typeof WORKER_STATUSES)[number];

/** An entry of the roster (the example of its schema and of its list). */
const WORKER_EXAMPLE = {
  id: EXAMPLE_INVITATION,
  object: "opportunity_worker" as const,
  opportunity_id: EXAMPLE_OPPORTUNITY,
  phone: "+447400123456",
  status: "accepted" as const,
  delivery_status: "delivered" as const,
  user_id: "usr_01h455vb4pex5vsknk084sn02q",
  name: "Dana",
  invited_at: "2026-06-01T09:30:00.000Z",
  expires_at: "2026-06-08T09:30:00.000Z",
  joined_at: "2026-06-01T10:02:00.000Z",
};

export const WORKER_LIST_EXAMPLE = { object: "list", data: [WORKER_EXAMPLE], has_more: false, next_cursor: null };

export const OpportunityWorkerSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.invitation).openapi({
      description: "The invitation's id: one entry per invitation to the opportunity (GET /v1/invitations/{id}).",
    }),
    object: z.literal("opportunity_worker").openapi({ description: "Always `opportunity_worker`." }),
    opportunity_id: typeIdOut(ID_PREFIX.opportunity).openapi({ description: "The opportunity invited to." }),
    phone: z.string().max(20).nullable().openapi({ description: "The number invited, in E.164." }),
    status: z.enum(WORKER_STATUSES).openapi({
      description:
        "`invited`: pending; `accepted`: the person has access to the opportunity; `expired`: pending past " +
        "`expires_at`; `declined`; `cancelled`.",
    }),
    delivery_status: z
      .enum(DELIVERY_STATUSES)
      .openapi({ description: "Where the SMS stands; `delivered`/`undelivered` from the provider's receipt." }),
    user_id: typeIdOut(ID_PREFIX.user).nullable().openapi({ description: "Who accepted, once accepted; else null." }),
    name: z.string().max(200).nullable().openapi({ description: "The name of who accepted; null until accepted." }),
    invited_at: timestampOut().openapi({ description: "When the invitation was made (ISO 8601, UTC)." }),
    expires_at: timestampOut().openapi({ description: "When the invitation's code stops working (ISO 8601, UTC)." }),
    joined_at: timestampOut().nullable().openapi({ description: "When it was accepted; null until then." }),
  })
  .openapi("OpportunityWorker", { example: WORKER_EXAMPLE });

/** The invitation's status as the roster shows it: pending is `invited` (or `expired` once overdue). */
export function workerStatus(invitation: Pick<Invitation, "status" | "expiresAt">): WorkerStatus {
  const status = effectiveStatus(invitation);
  return status === "pending" ? "invited" : status;
}

export function presentWorker(row: { invitation: Invitation; name: string | null }) {
  const { invitation } = row;
  return {
    id: toTypeId(ID_PREFIX.invitation, invitation.id),
    object: "opportunity_worker" as const,
    opportunity_id: toTypeId(ID_PREFIX.opportunity, invitation.opportunityId as string),
    phone: invitation.phone,
    status: workerStatus(invitation),
    delivery_status: invitation.deliveryStatus,
    user_id: invitation.acceptedByUserId ? toTypeId(ID_PREFIX.user, invitation.acceptedByUserId) : null,
    name: invitation.acceptedByUserId ? row.name : null,
    invited_at: invitation.createdAt.toISOString(),
    expires_at: invitation.expiresAt.toISOString(),
    joined_at: invitation.acceptedAt?.toISOString() ?? null,
  };
}

/** An opportunity of yours (the example of its schema and of its list). */
const MY_OPPORTUNITY_EXAMPLE = {
  id: EXAMPLE_OPPORTUNITY,
  object: "my_opportunity" as const,
  name: "Harvest helpers",
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  status: "open" as const,
  start_date: "2026-06-01",
  end_date: "2027-05-31",
  has_ended: false,
  joined_at: "2026-06-01T10:02:00.000Z",
};

export const MyOpportunitySchema = z
  .object({
    id: typeIdOut(ID_PREFIX.opportunity).openapi({ description: "The opportunity's id (GET /v1/opportunities/{id})." }),
    object: z.literal("my_opportunity").openapi({ description: "Always `my_opportunity`." }),
    name: z.string().max(200).openapi({ description: "The opportunity's name." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The delivering organisation." }),
    status: z.enum(OPPORTUNITY_STATUSES).openapi({
      description: "The opportunity's status: `draft`, `open`, `on_hold`, `closed` or `filled`.",
    }),
    start_date: z.iso.date().openapi({ maxLength: 10, description: "Its first day (YYYY-MM-DD)." }),
    end_date: z.iso
      .date()
      .openapi({ maxLength: 10 })
      .nullable()
      .openapi({ description: "Its last day (YYYY-MM-DD); null: it never ends." }),
    has_ended: z.boolean().openapi({ description: "`end_date` is before today (UTC)." }),
    joined_at: timestampOut().openapi({ description: "When you accepted the invitation." }),
  })
  .openapi("MyOpportunity", { example: MY_OPPORTUNITY_EXAMPLE });

export const MY_OPPORTUNITY_LIST_EXAMPLE = {
  object: "list",
  data: [MY_OPPORTUNITY_EXAMPLE],
  has_more: false,
  next_cursor: null,
};

export function presentMyOpportunity(row: { opportunity: Opportunity; joinedAt: Date }) {
  const { opportunity } = row;
  return {
    id: toTypeId(ID_PREFIX.opportunity, opportunity.id),
    object: "my_opportunity" as const,
    name: opportunity.name,
    organisation_id: toTypeId(ID_PREFIX.organisation, opportunity.organisationId),
    status: opportunity.status,
    start_date: opportunity.startDate,
    end_date: opportunity.endDate,
    has_ended: hasEnded(opportunity.endDate),
    joined_at: row.joinedAt.toISOString(),
  };
}
