import { sql } from "drizzle-orm";
import { type AuditAction, type AuditChanges, auditEvents, organisations, PLAN_NAMES } from "../../schema";
import type { Actor } from "./actor";
import type { Queryable } from "./db";
import { PLANS } from "./plans";
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

/**
 * The cron: an organisation's events older than its plan keeps them (`audit_retention_days`) are deleted, a
 * bounded batch a run. Ids are UUIDv7, so "older than" is a range of each organisation's feed index. Events of
 * the platform's catalogs and of deleted organisations have no plan and are kept.
 */
export async function forgetEventsPastRetention(db: Queryable, batch = 5000): Promise<number> {
  const days = sql.join(
    PLAN_NAMES.map((name) => sql`when ${name} then ${PLANS[name].audit_retention_days}::int`),
    sql` `,
  );
  const cutoff = sql`now() - make_interval(days => case o.plan ${days} end)`;
  // The smallest UUIDv7 of that millisecond: every id below it was made before.
  const floor = sql`(lpad(to_hex((extract(epoch from ${cutoff}) * 1000)::bigint), 12, '0') || '70008000000000000000')::uuid`;
  const gone = await db.execute(sql`
    delete from ${auditEvents} where ctid in (
      select old.ctid from ${organisations} o
      cross join lateral (
        select e.ctid from ${auditEvents} e
        where e.organisation_id = o.id and e.id < ${floor} and e.created_at < ${cutoff}
        limit ${batch}
      ) old
      limit ${batch}
    )`);
  return gone.rowCount ?? 0;
}
