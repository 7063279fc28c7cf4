import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { ACTOR_TYPES, AUDIT_ACTIONS, type AuditEvent, auditEvents } from "../../schema";
import {
  ID_PREFIX,
  type IdPrefix,
  parseAnyTypeId,
  RESOURCE_ID_PREFIX,
  timestampOut,
  toTypeId,
  typeIdOut,
  typeIdSchema,
} from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";

const AuditEventSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.audit_event),
    object: z.literal("audit_event"),
    organisation_id: typeIdOut(ID_PREFIX.organisation),
    actor: z.object({
      type: z.enum(ACTOR_TYPES),
      id: z.string().max(90).nullable(),
      name: z.string().max(200).nullable(),
      email: z.string().max(254).nullable(),
    }),
    action: z.enum(AUDIT_ACTIONS).openapi({ example: "role.updated" }),
    resource: z.object({
      type: z.string().max(60),
      id: z.string().max(90),
      name: z.string().max(254).nullable(),
    }),
    changes: z
      .record(z.string(), z.object({ old: z.unknown(), new: z.unknown() }))
      .openapi({ description: "`{field: {old, new}}`; secrets are redacted." }),
    ip_address: z.string().max(64).nullable(),
    user_agent: z.string().max(500).nullable(),
    request_id: z.string().max(64).nullable(),
    created_at: timestampOut(),
  })
  .openapi("AuditEvent");

/** A TypeID of any resource (`actor_id`, `resource_id` filters), reduced to its UUID. */
const anyTypeId = z
  .string()
  .max(90)
  .transform((value, ctx) => {
    const parsed = parseAnyTypeId(value);
    if (!parsed) {
      ctx.addIssue({ code: "custom", message: "must be an id such as usr_… or sa_…" });
      return z.NEVER;
    }
    return parsed.uuid;
  })
  .openapi({ type: "string", maxLength: 90, pattern: "^[a-z]([a-z_]{0,61}[a-z])?_[0-7][0-9a-hjkmnp-tv-z]{25}$" });

const since = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .openapi({ type: "string", format: "date-time", maxLength: 40 });

export const route = defineRoute({
  method: "get",
  path: "/v1/audit-events",
  operationId: "listAuditEvents",
  tags: ["Audit events"],
  summary: "The organisation's audit trail, newest first",
  access: { permission: "audit:read" },
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation).optional(),
      since: since.optional(),
      until: since.optional(),
      actor_id: anyTypeId.optional(),
      action: z
        .enum(AUDIT_ACTIONS, { error: "is not an audit action (the document lists them)" })
        .optional()
        .openapi({ description: "One action from the catalogue." }),
      resource_type: z.string().max(60).optional(),
      resource_id: anyTypeId.optional(),
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Audit events.",
      content: { "application/json": { schema: listSchema(AuditEventSchema, "AuditEventList") } },
    },
  },
});

function presentId(prefix: IdPrefix | undefined, uuid: string | null): string | null {
  if (uuid === null) return null;
  return prefix ? toTypeId(prefix, uuid) : uuid;
}

function presentAuditEvent(event: AuditEvent) {
  return {
    id: toTypeId(ID_PREFIX.audit_event, event.id),
    object: "audit_event" as const,
    organisation_id: toTypeId(ID_PREFIX.organisation, event.organisationId),
    actor: {
      type: event.actorType,
      id: presentId(RESOURCE_ID_PREFIX[event.actorType], event.actorId),
      name: event.actorName,
      email: event.actorEmail,
    },
    action: event.action,
    resource: {
      type: event.resourceType,
      id: presentId(RESOURCE_ID_PREFIX[event.resourceType], event.resourceId) as string,
      name: event.resourceName,
    },
    changes: event.changes,
    ip_address: event.ipAddress,
    user_agent: event.userAgent,
    request_id: event.requestId,
    created_at: event.createdAt.toISOString(),
  };
}

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const before = decodeCursor(query.cursor);
  const ctx = await tenancy(c).enter(query.organisation_id);
  const conditions: SQL[] = [ctx.scope(auditEvents.organisationId)];
  if (query.since) conditions.push(gte(auditEvents.createdAt, query.since));
  if (query.until) conditions.push(lte(auditEvents.createdAt, query.until));
  if (query.actor_id) conditions.push(eq(auditEvents.actorId, query.actor_id));
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  if (query.resource_type) conditions.push(eq(auditEvents.resourceType, query.resource_type));
  if (query.resource_id) conditions.push(eq(auditEvents.resourceId, query.resource_id));
  if (before) conditions.push(lt(auditEvents.id, before));
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1);
  return c.json(page(rows, query.limit, presentAuditEvent), 200);
};
