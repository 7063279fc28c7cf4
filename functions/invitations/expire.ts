import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { invitations, outboxMessages } from "../../schema";
import { writeAuditEvent } from "../platform/audit";
import type { Database } from "../platform/db";

const BATCH = 500;

/** The cron's share of invitations: pending ones past their expiry become expired, each with its audit event. */
export async function expireInvitations(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await tx
      .update(invitations)
      .set({ status: "expired", expiredAt: sql`now()` })
      .where(
        inArray(
          invitations.id,
          tx
            .select({ id: invitations.id })
            .from(invitations)
            .where(and(eq(invitations.status, "pending"), lte(invitations.expiresAt, sql`now()`)))
            .limit(BATCH)
            .for("update", { skipLocked: true }),
        ),
      )
      .returning();
    if (expired.length === 0) return 0;
    await tx
      .update(outboxMessages)
      .set({ status: "superseded" })
      .where(
        and(
          inArray(
            outboxMessages.invitationId,
            expired.map((invitation) => invitation.id),
          ),
          eq(outboxMessages.status, "pending"),
        ),
      );
    for (const invitation of expired) {
      await writeAuditEvent(tx, { type: "system", id: null, name: "expiry", email: null }, null, {
        organisationId: invitation.organisationId,
        action: "invitation.expired",
        resource: { type: "invitation", id: invitation.id, name: invitation.email ?? invitation.phone },
        changes: { status: { old: "pending", new: "expired" } },
      });
    }
    return expired.length;
  });
}
