import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { invitations, opportunities, opportunityWorkers, users } from "../../schema";
import { invitationStatusIs } from "../invitations/rules";
import type { Principal } from "../platform/auth";
import type { Queryable } from "../platform/db";
import { notFound } from "../platform/errors";
import type { WorkerStatus } from "./schemas";

const STORED_STATUS = {
  invited: "pending",
  accepted: "accepted",
  declined: "declined",
  expired: "expired",
  cancelled: "cancelled",
} as const;

/** Who was invited to the opportunity and who accepted, one entry per invitation, oldest first (one query). */
export function listWorkers(
  db: Queryable,
  opportunityId: string,
  query: { status?: WorkerStatus; after?: string; limit: number },
) {
  const conditions: SQL[] = [eq(invitations.opportunityId, opportunityId)];
  if (query.status) conditions.push(invitationStatusIs(STORED_STATUS[query.status]));
  if (query.after) conditions.push(gt(invitations.id, query.after));
  return db
    .select({ invitation: invitations, name: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.acceptedByUserId))
    .where(and(...conditions))
    .orderBy(asc(invitations.id))
    .limit(query.limit + 1);
}

/** One entry of the roster: what accepting an invitation to an opportunity answers. */
export async function workerEntry(db: Queryable, invitationId: string) {
  const [row] = await db
    .select({ invitation: invitations, name: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.acceptedByUserId))
    .where(eq(invitations.id, invitationId));
  if (!row?.invitation.opportunityId) throw notFound("invitation");
  return row;
}

/** The opportunities the calling person has access to, in the order they joined (one query, no tenant). */
export function myOpportunities(
  db: Queryable,
  principal: Extract<Principal, { kind: "user" }>,
  query: { after?: string; limit: number },
) {
  const conditions: SQL[] = [eq(users.issuer, principal.issuer), eq(users.subject, principal.subject)];
  if (query.after) conditions.push(gt(opportunityWorkers.id, query.after));
  return db
    .select({ id: opportunityWorkers.id, joinedAt: opportunityWorkers.joinedAt, opportunity: opportunities })
    .from(opportunityWorkers)
    .innerJoin(users, eq(users.id, opportunityWorkers.userId))
    .innerJoin(opportunities, eq(opportunities.id, opportunityWorkers.opportunityId))
    .where(and(...conditions))
    .orderBy(asc(opportunityWorkers.id))
    .limit(query.limit + 1);
}
