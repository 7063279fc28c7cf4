import { z } from "@hono/zod-openapi";
import { and, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { ACTOR_TYPES, AUDIT_ACTIONS, type AuditAction, type AuditEvent, auditEvents } from "../../schema";
import { instantInput } from "../platform/dates";
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
import { decodeCursor, type PageRequest, page } from "../platform/pagination";
import type { OrgContext } from "../platform/tenancy";

export const AUDIT_EVENT_EXAMPLE = {
  id: "evt_01h455vb4pex5vsknk084sn02q",
  object: "audit_event",
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  actor: {
    type: "user",
    id: "usr_01h455vb4pex5vsknk084sn02q",
    name: "Alice Example",
    email: "alice@example.com",
  },
  action: "role.updated",
  resource: { type: "role", id: "role_01h455vb4pex5vsknk084sn02q", name: "Coordinator" },
  changes: {
    permissions: { old: ["invitations:write"], new: ["invitations:write", "opportunities:write"] },
  },
  ip_address: "203.0.113.7",
  user_agent: "curl/8.5.0",
  request_id: "req_4f1c2b9a7d3e4c5f8a6b0d1e2f3a4b5c",
  created_at: "2026-01-15T14:30:00.000Z",
};

export const AuditEventSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.audit_event).openapi({ description: "The event's id (`evt_...`)." }),
    object: z.literal("audit_event").openapi({ description: "Always `audit_event`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation it happened in." }),
    actor: z
      .object({
        type: z.enum(ACTOR_TYPES).openapi({
          description:
            "`user` (a person), `service_account`, `webhook` (an external system through a signed webhook) or " +
            "`system` (a scheduled job).",
        }),
        id: z.string().max(90).nullable().openapi({
          description: "The person's (`usr_...`) or service account's (`sa_...`) id; null for the others.",
        }),
        name: z
          .string()
          .max(200)
          .nullable()
          .openapi({ description: "Their name when it happened (copied, so it outlives them); null if unknown." }),
        email: z
          .string()
          .max(254)
          .nullable()
          .openapi({ description: "A person's email when it happened; null for the other actors or if unknown." }),
      })
      .openapi({ description: "Who made the change." }),
    action: z.enum(AUDIT_ACTIONS).openapi({
      example: "role.updated",
      description: "What happened, as `<resource>.<verb>`; the `action` filter takes the same values.",
    }),
    resource: z
      .object({
        type: z.string().max(60).openapi({ description: "The kind of resource, e.g. `role`, `member`, `program`." }),
        id: z.string().max(90).openapi({ description: "Its id, a TypeID of its kind; it may no longer exist." }),
        name: z
          .string()
          .max(254)
          .nullable()
          .openapi({ description: "Its name (or a member's email) when it happened; null if it has none." }),
      })
      .openapi({ description: "What was changed." }),
    changes: z
      .record(
        z.string(),
        z.object({
          old: z.unknown().openapi({ description: "The field's value before; null if it had none (or was created)." }),
          new: z.unknown().openapi({ description: "The field's value after; null if it has none (or was deleted)." }),
        }),
      )
      .openapi({ description: "`{field: {old, new}}`; secrets are redacted." }),
    ip_address: z.string().max(64).nullable().openapi({
      description: "The address the request came from (as Cloudflare saw it); null when no request made the change.",
    }),
    user_agent: z
      .string()
      .max(500)
      .nullable()
      .openapi({ description: "The request's `User-Agent`; null when it sent none or no request made the change." }),
    request_id: z
      .string()
      .max(64)
      .nullable()
      .openapi({ description: "The request's `X-Request-Id` (`req_...`); null when no request made the change." }),
    created_at: timestampOut().openapi({ description: "When it happened." }),
  })
  .openapi("AuditEvent", {
    example: AUDIT_EVENT_EXAMPLE,
  });

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
  .openapi({
    type: "string",
    maxLength: 90,
    pattern: "^[a-z]([a-z_]{0,61}[a-z])?_[0-7][0-9a-hjkmnp-tv-z]{25}$",
    example: "usr_01h455vb4pex5vsknk084sn02q",
  });

const instant = instantInput();

/** The audit trail's filters: GET /v1/audit-events and its export take the same ones. */
export const auditEventFilters = {
  organisation_id: typeIdSchema(ID_PREFIX.organisation)
    .optional()
    .openapi({ description: "Required for people; a service account's token implies it." }),
  since: instant
    .optional()
    .openapi({ description: "Only events at or after this time (ISO 8601 with an offset or `Z`)." }),
  until: instant
    .optional()
    .openapi({ description: "Only events at or before this time (ISO 8601 with an offset or `Z`)." }),
  actor_id: anyTypeId.optional().openapi({ description: "Only events by this person or service account." }),
  action: z
    .enum(AUDIT_ACTIONS, { error: "is not an audit action (the document lists them)" })
    .optional()
    .openapi({ description: "One action from the catalogue." }),
  resource_type: z
    .string()
    .max(60)
    .optional()
    .openapi({ description: "Only events about this kind of resource, as in `resource.type` (e.g. `role`)." }),
  resource_id: anyTypeId.optional().openapi({ description: "Only events about this resource." }),
};

export interface AuditEventFilters {
  since?: Date;
  until?: Date;
  actor_id?: string;
  action?: AuditAction;
  resource_type?: string;
  resource_id?: string;
}

/** Organisations and actors repeat down a trail: their TypeIDs are remembered, a few hundred at most. */
const repeatedIds = new Map<string, string>();

function presentId(prefix: IdPrefix | undefined, uuid: string | null, repeats = false): string | null {
  if (uuid === null) return null;
  if (!prefix) return uuid;
  if (!repeats) return toTypeId(prefix, uuid);
  const key = prefix + uuid;
  let id = repeatedIds.get(key);
  if (id === undefined) {
    if (repeatedIds.size >= 512) repeatedIds.clear();
    id = toTypeId(prefix, uuid);
    repeatedIds.set(key, id);
  }
  return id;
}

/** An event as read: the table's row, its time already in ISO 8601 (`…T12:00:00.000Z`, milliseconds, UTC). */
type StoredEvent = Omit<AuditEvent, "createdAt"> & { createdAt: string };

/**
 * The list reads each event as one JSON array, in this order. An export reads millions of them, and the driver
 * decodes one text field a row much faster than fifteen typed ones (bench: export section).
 */
const EVENT_AS_JSON = sql<string>`json_build_array(${auditEvents.id}, ${auditEvents.organisationId},
  ${auditEvents.actorType}, ${auditEvents.actorId}, ${auditEvents.actorName}, ${auditEvents.actorEmail},
  ${auditEvents.action}, ${auditEvents.resourceType}, ${auditEvents.resourceId}, ${auditEvents.resourceName},
  ${auditEvents.changes}, ${auditEvents.ipAddress}, ${auditEvents.userAgent}, ${auditEvents.requestId},
  to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text`;

function eventFromJson(json: string): StoredEvent {
  const row = JSON.parse(json);
  return {
    id: row[0],
    organisationId: row[1],
    actorType: row[2],
    actorId: row[3],
    actorName: row[4],
    actorEmail: row[5],
    action: row[6],
    resourceType: row[7],
    resourceId: row[8],
    resourceName: row[9],
    changes: row[10],
    ipAddress: row[11],
    userAgent: row[12],
    requestId: row[13],
    createdAt: row[14],
  };
}

export function presentAuditEvent(event: StoredEvent) {
  return {
    id: toTypeId(ID_PREFIX.audit_event, event.id),
    object: "audit_event" as const,
    organisation_id: presentId(ID_PREFIX.organisation, event.organisationId, true) as string,
    actor: {
      type: event.actorType,
      id: presentId(RESOURCE_ID_PREFIX[event.actorType], event.actorId, true),
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
    created_at: event.createdAt,
  };
}

/** A page of the organisation's audit trail, newest first (the list and its export). */
export async function listAuditEvents(ctx: OrgContext, query: PageRequest & AuditEventFilters) {
  const before = decodeCursor(query.cursor);
  const conditions: SQL[] = [ctx.scope(auditEvents.organisationId)];
  if (query.since) conditions.push(gte(auditEvents.createdAt, query.since));
  if (query.until) conditions.push(lte(auditEvents.createdAt, query.until));
  if (query.actor_id) conditions.push(eq(auditEvents.actorId, query.actor_id));
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  if (query.resource_type) conditions.push(eq(auditEvents.resourceType, query.resource_type));
  if (query.resource_id) conditions.push(eq(auditEvents.resourceId, query.resource_id));
  if (before) conditions.push(lt(auditEvents.id, before));
  const rows = await ctx.db
    .select({ event: EVENT_AS_JSON })
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1);
  return page(
    rows.map((row) => eventFromJson(row.event)),
    query.limit,
    presentAuditEvent,
  );
}
