import { and, eq, lte, type SQL, sql } from "drizzle-orm";
import { invitations } from "../../schema";
import { systemActor } from "../platform/actor";
import { recordChange } from "../platform/audit";
import type { Database, Queryable } from "../platform/db";
import { supersedePending } from "../platform/outbox";

const BATCH = 500;
const EXPIRY = systemActor("expiry");

/**
 * Pending invitations past their expiry become expired, each with its audit event by the system, and their
 * unsent messages are dropped. The cron runs it for everyone; a create runs it for its invitee first, so an
 * overdue invitation never blocks a fresh one.
 */
export async function expireOverdue(tx: Queryable, among?: SQL): Promise<number> {
  const overdue = tx
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.status, "pending"), lte(invitations.expiresAt, sql`now()`), among))
    .limit(BATCH)
    .for("update", { skipLocked: true });
  const expired = await tx
    .update(invitations)
    .set({ status: "expired", expiredAt: sql`now()` })
    .where(sql`${invitations.id} in ${overdue}`)
    .returning();
  if (expired.length === 0) return 0;
  await supersedePending(
    tx,
    expired.map((invitation) => invitation.id),
  );
  for (const invitation of expired) {
    await recordChange(
      tx,
      { actor: EXPIRY, meta: null, organisationId: invitation.organisationId },
      {
        action: "invitation.expired",
        resource: { type: "invitation", id: invitation.id, name: invitation.email ?? invitation.phone },
        before: { status: "pending" },
        after: { status: "expired" },
      },
    );
  }
  return expired.length;
}

/** The cron's share of invitations. */
export function expireInvitations(db: Database): Promise<number> {
  return db.transaction((tx) => expireOverdue(tx));
}
