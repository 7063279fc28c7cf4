import { type AuditAction, type AuditChanges, auditEvents } from "../../schema";
import type { Actor } from "./actor";
import type { Queryable } from "./db";
import { isSecretField, REDACTED } from "./secrets";
import type { RequestMeta } from "./tenancy";

/** Who acts, where from, and in which organisation: what every audit event copies. */
export interface AuditScope {
  actor: Actor;
  meta: RequestMeta | null;
  organisationId: string;
}

/** An API representation (what `present…()` returns), or null before creation and after deletion. */
type Shape = Record<string, unknown> | null;

export interface Change {
  action: AuditAction;
  resource: { type: string; id: string; name?: string | null };
  before: Shape;
  after: Shape;
  /** Defaults to the scope's organisation (an organisation being created names itself). */
  organisationId?: string;
}

const IGNORED = new Set(["object", "updated_at", "created_at"]);

/** `{field: {old, new}}` for the fields that differ between two representations, secrets redacted. */
export function changesBetween(before: Shape, after: Shape): AuditChanges {
  const changes: AuditChanges = {};
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const field of fields) {
    if (IGNORED.has(field)) continue;
    const oldValue = before?.[field] ?? null;
    const newValue = after?.[field] ?? null;
    if (JSON.stringify(oldValue) === JSON.stringify(newValue)) continue;
    changes[field] = isSecretField(field)
      ? { old: oldValue == null ? null : REDACTED, new: newValue == null ? null : REDACTED }
      : { old: oldValue, new: newValue };
  }
  return changes;
}

/**
 * Records one change, in the transaction that made it. The change set is computed here from the two
 * representations; a change that changes nothing writes nothing and returns false.
 */
export async function recordChange(tx: Queryable, scope: AuditScope, change: Change): Promise<boolean> {
  const changes = changesBetween(change.before, change.after);
  if (change.before !== null && change.after !== null && Object.keys(changes).length === 0) return false;
  const { actor, meta } = scope;
  await tx.insert(auditEvents).values({
    organisationId: change.organisationId ?? scope.organisationId,
    actorType: actor.type,
    actorId: actor.id,
    actorName: actor.name,
    actorEmail: actor.email,
    action: change.action,
    resourceType: change.resource.type,
    resourceId: change.resource.id,
    resourceName: change.resource.name ?? null,
    changes,
    ipAddress: meta?.ipAddress ?? null,
    userAgent: meta?.userAgent ?? null,
    requestId: meta?.requestId ?? null,
  });
  return true;
}

// --- Transitional: the writer of the old call sites, removed once every resource calls recordChange. ---
export type AuditActor = { type: Actor["type"]; id: string | null; name: string | null; email: string | null };
export const diff = changesBetween;
export const isEmpty = (changes: AuditChanges): boolean => Object.keys(changes).length === 0;
export function actorOf(ctx: { actor: Actor }): Actor {
  return ctx.actor;
}
export async function recordAudit(
  tx: Queryable,
  ctx: AuditScope,
  input: { action: AuditAction; resource: Change["resource"]; changes: AuditChanges; organisationId?: string },
): Promise<void> {
  await writeAuditEvent(tx, ctx.actor, ctx.meta, {
    ...input,
    organisationId: input.organisationId ?? ctx.organisationId,
  });
}
export async function writeAuditEvent(
  tx: Queryable,
  actor:
    | Actor
    | {
        type: "user" | "service_account" | "webhook" | "system";
        id: string | null;
        name: string | null;
        email: string | null;
      },
  meta: RequestMeta | null,
  input: { action: AuditAction; resource: Change["resource"]; changes?: AuditChanges; organisationId: string },
): Promise<void> {
  const changes: AuditChanges = {};
  for (const [field, change] of Object.entries(input.changes ?? {})) {
    changes[field] =
      isSecretField(field) || /secret|password|token|hash|code$/i.test(field)
        ? { old: change.old == null ? null : REDACTED, new: change.new == null ? null : REDACTED }
        : change;
  }
  await tx.insert(auditEvents).values({
    organisationId: input.organisationId,
    actorType: actor.type,
    actorId: actor.id,
    actorName: actor.name,
    actorEmail: actor.email,
    action: input.action,
    resourceType: input.resource.type,
    resourceId: input.resource.id,
    resourceName: input.resource.name ?? null,
    changes,
    ipAddress: meta?.ipAddress ?? null,
    userAgent: meta?.userAgent ?? null,
    requestId: meta?.requestId ?? null,
  });
}
