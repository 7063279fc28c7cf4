import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, primaryId } from "./columns";

export type AuditChanges = Record<string, { old: unknown; new: unknown }>;

/** Who can act: a person, a service account, a signed webhook, or the system itself (the cron). */
export const ACTOR_TYPES = ["user", "service_account", "webhook", "system"] as const;

/** Every action the audit trail records: `<resource>.<what happened>`. The list filter documents it as its enum. */
export const AUDIT_ACTIONS = [
  "organisation.created",
  "organisation.updated",
  "organisation.deleted",
  "organisation.ownership_transferred",
  "member.added",
  "member.role_changed",
  "member.removed",
  "member.left",
  "role.created",
  "role.updated",
  "role.deleted",
  "service_account.created",
  "service_account.updated",
  "service_account.deleted",
  "service_account_credential.created",
  "service_account_credential.revoked",
  "invitation.created",
  "invitation.resent",
  "invitation.cancelled",
  "invitation.accepted",
  "invitation.declined",
  "invitation.expired",
  "delivery_type.created",
  "delivery_type.updated",
  "delivery_type.deleted",
  "program.created",
  "program.updated",
  "program.deleted",
  "program_application.invited",
  "program_application.reinvited",
  "program_application.applied",
  "program_application.declined",
  "program_application.accepted",
  "program_application.rejected",
  "opportunity.created",
  "opportunity.updated",
  "opportunity.status_changed",
  "opportunity.deleted",
  "payment_unit.created",
  "payment_unit.updated",
  "payment_unit.deleted",
  "deliver_unit.created",
  "deliver_unit.updated",
  "deliver_unit.deleted",
  "member.access_replaced",
  "service_account.access_replaced",
  "skill.created",
  "skill.updated",
  "skill.retired",
  "profile.updated",
  "opportunity_interest.expressed",
  "export.created",
  "export.requested",
  "calendar_feed.created",
  "calendar_feed.deleted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The audit trail. No foreign keys on purpose: events outlive the rows (and organisations) they describe,
 * and the actor's name and email are copied at write time.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id").notNull(),
    actorType: text("actor_type", { enum: ACTOR_TYPES }).notNull(),
    actorId: uuid("actor_id"),
    actorName: text("actor_name"),
    actorEmail: text("actor_email"),
    action: text("action").$type<AuditAction>().notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: uuid("resource_id").notNull(),
    resourceName: text("resource_name"),
    changes: jsonb("changes").$type<AuditChanges>().notNull().default({}),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (t) => [
    // ids are UUIDv7, so ordering by id is ordering by time: these serve the feed, a timeline and a trail.
    index("audit_events_org_feed_idx").on(t.organisationId, t.id.desc()),
    index("audit_events_resource_timeline_idx").on(t.organisationId, t.resourceType, t.resourceId, t.id.desc()),
    index("audit_events_actor_trail_idx").on(t.organisationId, t.actorId, t.id.desc()),
    // The few events that say a count of the past differs from now (the analytics dashboard reads only these).
    index("audit_events_state_changes_idx")
      .on(t.organisationId, t.id)
      .where(
        sql`action in ('member.removed', 'member.left', 'program.deleted', 'opportunity.deleted', 'opportunity.status_changed')`,
      ),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
