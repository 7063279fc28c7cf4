import { type AuditChanges, auditEvents } from "../../schema";
import type { Queryable } from "./db";
import type { OrgContext, RequestMeta } from "./tenancy";

const SECRET_FIELD = /secret|password|token|hash|code$/i;
const REDACTED = "[redacted]";

export interface AuditActor {
  type: "user" | "service_account" | "webhook" | "system";
  id: string | null;
  name: string | null;
  email: string | null;
}

export interface AuditInput {
  action: string;
  resource: { type: string; id: string; name?: string | null };
  changes?: AuditChanges;
  /** Defaults to the caller's organisation. */
  organisationId?: string;
}

export function actorOf(ctx: OrgContext): AuditActor {
  const { caller } = ctx;
  if (caller.serviceAccountId)
    return { type: "service_account", id: caller.serviceAccountId, name: caller.name, email: null };
  return { type: "user", id: caller.userId, name: caller.name, email: caller.email };
}

/** Writes one audit event; call it with the transaction that made the change. */
export async function recordAudit(tx: Queryable, ctx: OrgContext, input: AuditInput): Promise<void> {
  await writeAuditEvent(tx, actorOf(ctx), ctx.meta, {
    ...input,
    organisationId: input.organisationId ?? ctx.caller.organisationId,
  });
}

export async function writeAuditEvent(
  tx: Queryable,
  actor: AuditActor,
  meta: RequestMeta | null,
  input: AuditInput & { organisationId: string },
): Promise<void> {
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
    changes: redact(input.changes ?? {}),
    ipAddress: meta?.ipAddress ?? null,
    userAgent: meta?.userAgent ?? null,
    requestId: meta?.requestId ?? null,
  });
}

function redact(changes: AuditChanges): AuditChanges {
  const out: AuditChanges = {};
  for (const [field, change] of Object.entries(changes)) {
    out[field] = SECRET_FIELD.test(field)
      ? { old: change.old == null ? null : REDACTED, new: change.new == null ? null : REDACTED }
      : change;
  }
  return out;
}

export const isEmpty = (changes: AuditChanges): boolean => Object.keys(changes).length === 0;

const IGNORED = new Set(["object", "updated_at", "created_at"]);

/** `{field: {old, new}}` for the fields that differ between two API representations. */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): AuditChanges {
  const changes: AuditChanges = {};
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const field of fields) {
    if (IGNORED.has(field)) continue;
    const oldValue = before?.[field] ?? null;
    const newValue = after?.[field] ?? null;
    if (JSON.stringify(oldValue) !== JSON.stringify(newValue)) changes[field] = { old: oldValue, new: newValue };
  }
  return changes;
}
