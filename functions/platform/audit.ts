import { type AuditAction, type AuditChanges, auditEvents } from "../../schema";
import type { Actor } from "./actor";
import type { Queryable } from "./db";
import { isSecretField, REDACTED } from "./secrets";
import type { RequestMeta } from "./tenancy";

/**
 * Where events about what belongs to no organisation (the global catalogs platform administrators curate, such
 * as delivery types) are recorded: the nil UUID, which no organisation can have (ids are UUIDv7).
 */
export const PLATFORM_ORGANISATION_ID = "00000000-0000-0000-0000-000000000000";

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
  return (await recordChanges(tx, scope, [change])) === 1;
}

/** Many changes of one request in one statement (a batch of invitations); returns how many were written. */
export async function recordChanges(tx: Queryable, scope: AuditScope, list: Change[]): Promise<number> {
  const { actor, meta } = scope;
  const rows = list.flatMap((change) => {
    const changes = changesBetween(change.before, change.after);
    if (change.before !== null && change.after !== null && Object.keys(changes).length === 0) return [];
    return [
      {
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
      },
    ];
  });
  if (rows.length > 0) await tx.insert(auditEvents).values(rows);
  return rows.length;
}
