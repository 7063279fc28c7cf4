import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute, fieldErrors } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { createInvitations } from "./bulk-create";
import { callerContext } from "./context";
import { INVITATION_EXAMPLE } from "./examples";
import {
  DeliverySchema,
  EXACTLY_ONE_INVITEE,
  EXACTLY_ONE_MESSAGE,
  exactlyOneInvitee,
  InvitationWithCodeSchema,
  InviteeFields,
  presentInvitation,
} from "./schemas";

export const MAX_BULK = 100;

export const BulkRow = z
  .strictObject({ ...InviteeFields })
  .refine(exactlyOneInvitee, EXACTLY_ONE_MESSAGE)
  .openapi("BulkInvitationRow", EXACTLY_ONE_INVITEE);

const BulkBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation)
      .optional()
      .openapi({ description: "Required for people; a service account's token implies it." }),
    delivery: DeliverySchema.optional(),
    invitations: z
      .array(z.unknown())
      .min(1)
      .max(MAX_BULK)
      .openapi({
        items: { $ref: "#/components/schemas/BulkInvitationRow" },
        description: `1 to ${MAX_BULK} rows shaped like POST /v1/invitations (without organisation_id); each row is checked on its own, so one bad row does not stop the others.`,
      } as never),
  })
  .openapi("BulkInvitations", {
    example: {
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      invitations: [
        { email: "dave@example.com", role_id: "role_01h455vb4pex5vsknk084sn02q" },
        { phone: "+44 7700 900123", role_id: "role_01h455vb4pex5vsknk084sn02q", expires_in_days: 14 },
      ],
    },
  });

const RowResult = z
  .object({
    index: z
      .number()
      .int()
      .min(0)
      .max(MAX_BULK)
      .openapi({ format: "int32", description: "The row's position in `invitations`, from 0." }),
    status: z.enum(["created", "error"]).openapi({
      description: "`created`: the row's invitation was made (`invitation`); `error`: it was not (`error`).",
    }),
    invitation: InvitationWithCodeSchema.optional(),
    error: z
      .object({
        code: z.string().max(60).openapi({
          description:
            "The error code the single-invitation route would answer with (`conflict`, `quota_exceeded`...).",
        }),
        message: z.string().max(2000).openapi({ description: "What went wrong with this row, for people." }),
        existing_id: z.string().max(90).optional().openapi({
          description: "The member (`mem_...`) or pending invitation (`inv_...`) the invitee already has.",
        }),
        quota: z.string().max(60).optional().openapi({ description: "On `quota_exceeded`: the quota reached." }),
        limit: z
          .number()
          .int()
          .min(0)
          .max(1_000_000_000)
          .optional()
          .openapi({ format: "int32", description: "On `quota_exceeded`: the plan's limit." }),
        usage: z
          .number()
          .int()
          .min(0)
          .max(1_000_000_000)
          .optional()
          .openapi({ format: "int32", description: "On `quota_exceeded`: the usage counted against it." }),
        feature: z
          .string()
          .max(60)
          .optional()
          .openapi({ description: "On `feature_not_in_plan`: the feature needed (`sms_invitations`)." }),
        plan: z.string().max(60).optional().openapi({ description: "On `feature_not_in_plan`: the current plan." }),
        upgrade_url: z.string().max(500).optional().openapi({ description: "Where to upgrade the plan." }),
        fields: z
          .record(z.string(), z.array(z.string().max(500)).max(50))
          .optional()
          .openapi({ description: "On `validation_error`: the row's messages by field." }),
      })
      .optional()
      .openapi({ description: "Only when `status` is `error`: why the row made no invitation." }),
  })
  .openapi("BulkInvitationResult");

const BulkResponse = z
  .object({
    object: z.literal("bulk_result").openapi({ description: "Always `bulk_result`." }),
    created: z
      .number()
      .int()
      .min(0)
      .max(MAX_BULK)
      .openapi({ format: "int32", description: "How many rows made an invitation." }),
    failed: z.number().int().min(0).max(MAX_BULK).openapi({ format: "int32", description: "How many rows did not." }),
    results: z
      .array(RowResult)
      .max(MAX_BULK)
      .openapi({ description: "One result per row, in the order of `invitations`." }),
  })
  .openapi("BulkInvitationsResponse", {
    example: {
      object: "bulk_result",
      created: 1,
      failed: 1,
      results: [
        { index: 0, status: "created", invitation: INVITATION_EXAMPLE },
        {
          index: 1,
          status: "error",
          error: {
            code: "conflict",
            message: "The invitee already has a pending invitation.",
            existing_id: "inv_01h455vb4pex5vsknk084sn02r",
          },
        },
      ],
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations:bulk",
  operationId: "bulkCreateInvitations",
  tags: ["Invitations"],
  summary: `Invite up to ${MAX_BULK} people at once, with one result per row`,
  description:
    "Each row succeeds or fails on its own (its own transaction): members, pending invitations and duplicates " +
    "within the request are reported on their row, and so are refusals by the plan (`quota_exceeded` with " +
    "`quota`, `limit`, `usage`; `feature_not_in_plan` for an SMS row without `sms_invitations`). Messages are " +
    "queued, not sent inline.",
  access: {
    scope: "create",
    permission: "invitations:write",
    featureWhen: { feature: "sms_invitations", when: "a row is delivered by SMS (refused on that row)" },
    quotas: ["members", "invitations_per_day"],
  },
  request: { body: { required: true, content: { "application/json": { schema: BulkBody } } } },
  responses: {
    200: { description: "One result per row, in order.", content: { "application/json": { schema: BulkResponse } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const ctx = await tenancy(c).enter(body.organisation_id);
  const rows = body.invitations.map((raw) => {
    const parsed = BulkRow.safeParse(raw);
    return parsed.success ? { invitee: parsed.data } : { invalid: fieldErrors(parsed.error) };
  });
  const results = (await createInvitations(callerContext(ctx, c.env), rows, body.delivery, c.get("requestId"))).map(
    (row) => {
      if (row.status === "error") return row;
      const { invitation, role, code } = row.created;
      const presented = presentInvitation(invitation, role);
      return {
        index: row.index,
        status: row.status,
        invitation: invitation.delivery === "none" ? { ...presented, code } : presented,
      };
    },
  );
  const created = results.filter((row) => row.status === "created").length;
  return c.json({ object: "bulk_result" as const, created, failed: results.length - created, results }, 200);
};
