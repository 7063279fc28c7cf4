import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ApiError, type ErrorCode } from "../platform/errors";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { dispatch } from "../platform/outbox";
import type { AppEnv } from "../platform/request";
import { defineRoute, fieldErrors, toApiError } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { callerContext } from "./context";
import {
  DeliverySchema,
  EXACTLY_ONE_MESSAGE,
  exactlyOneInvitee,
  InvitationWithCodeSchema,
  InviteeFields,
  presentInvitation,
} from "./schemas";
import { createInvitation } from "./service";

export const MAX_BULK = 100;

const BulkRow = z.strictObject({ ...InviteeFields }).refine(exactlyOneInvitee, EXACTLY_ONE_MESSAGE);

const BulkBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation).optional(),
    delivery: DeliverySchema.optional(),
    invitations: z
      .array(z.unknown())
      .min(1)
      .max(MAX_BULK)
      .openapi({ description: `1 to ${MAX_BULK} rows shaped like POST /v1/invitations (without organisation_id).` }),
  })
  .openapi("BulkInvitations");

const RowResult = z
  .object({
    index: z.number().int().min(0).max(MAX_BULK).openapi({ format: "int32" }),
    status: z.enum(["created", "error"]),
    invitation: InvitationWithCodeSchema.optional(),
    error: z
      .object({
        code: z.string().max(60),
        message: z.string().max(2000),
        existing_id: z.string().max(90).optional(),
        fields: z.record(z.string(), z.array(z.string().max(500)).max(50)).optional(),
      })
      .optional(),
  })
  .openapi("BulkInvitationResult");

const BulkResponse = z
  .object({
    object: z.literal("bulk_result"),
    created: z.number().int().min(0).max(MAX_BULK).openapi({ format: "int32" }),
    failed: z.number().int().min(0).max(MAX_BULK).openapi({ format: "int32" }),
    results: z.array(RowResult).max(MAX_BULK),
  })
  .openapi("BulkInvitationsResponse");

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations:bulk",
  operationId: "bulkCreateInvitations",
  tags: ["Invitations"],
  summary: `Invite up to ${MAX_BULK} people at once, with one result per row`,
  description:
    "Each row succeeds or fails on its own (its own transaction): members, pending invitations and duplicates " +
    "within the request are reported on their row. Messages are queued, not sent inline.",
  access: { scope: "create", permission: "invitations:write" },
  request: { body: { required: true, content: { "application/json": { schema: BulkBody } } } },
  responses: {
    200: { description: "One result per row, in order.", content: { "application/json": { schema: BulkResponse } } },
  },
});

type RowError = { code: ErrorCode | string; message: string; existing_id?: string; fields?: Record<string, string[]> };

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const ctx = await tenancy(c).enter(body.organisation_id);
  const context = callerContext(ctx, c.env);
  const seen = new Map<string, number>();
  const outboxIds: string[] = [];
  const results: z.infer<typeof RowResult>[] = [];
  for (const [index, raw] of body.invitations.entries()) {
    const parsed = BulkRow.safeParse(raw);
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      results.push({
        index,
        status: "error",
        error: { code: "validation_error", message: "The row is invalid.", fields },
      });
      continue;
    }
    const invitee = parsed.data;
    const who = invitee.email ?? invitee.phone ?? "";
    const first = seen.get(who);
    if (first !== undefined) {
      results.push({
        index,
        status: "error",
        error: { code: "conflict", message: `The same invitee as row ${first}.` },
      });
      continue;
    }
    seen.set(who, index);
    try {
      const created = await createInvitation(context, invitee, body.delivery);
      if (created.outboxId) outboxIds.push(created.outboxId);
      const presented = presentInvitation(created.invitation, created.role);
      results.push({
        index,
        status: "created",
        invitation: created.invitation.delivery === "none" ? { ...presented, code: created.code } : presented,
      });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status >= 500) {
        // The rows before this one are committed (and may hold codes shown once): report them, and mark this
        // row and the rest as not done rather than answering 5xx for the whole request.
        console.error(`[${c.get("requestId")}] bulk invitation row ${index}:`, error);
        for (let rest = index; rest < body.invitations.length; rest++) {
          const message = rest === index ? apiError.message : "Not attempted: an earlier row failed on our side.";
          results.push({ index: rest, status: "error", error: { code: apiError.code, message } });
        }
        break;
      }
      const rowError: RowError = { code: apiError.code, message: apiError.message };
      if (typeof apiError.extra.existing_id === "string") rowError.existing_id = apiError.extra.existing_id;
      if (apiError instanceof ApiError && apiError.extra.fields)
        rowError.fields = apiError.extra.fields as Record<string, string[]>;
      results.push({ index, status: "error", error: rowError });
    }
  }
  await dispatch(c.env, outboxIds);
  const created = results.filter((row) => row.status === "created").length;
  return c.json({ object: "bulk_result" as const, created, failed: results.length - created, results }, 200);
};
