// A database handle for assertions, and what the suites read through it: audit events and row counts.

import { and, asc, count, eq } from "drizzle-orm";
import { createDatabase, type Database } from "../../functions/platform/db";
import {
  type AuditAction,
  auditEvents,
  calendarFeeds,
  deliverUnits,
  exportJobs,
  invitations,
  memberships,
  opportunities,
  opportunityWorkers,
  organisations,
  paymentUnits,
  programApplications,
  programGrants,
  programs,
  roles,
  serviceAccountCredentials,
  serviceAccounts,
} from "../../schema";
import { testEnv } from "./env";

/** A database handle for seeding what the API cannot (yet) do and for asserting what it wrote. */
export async function withDb<T>(use: (db: Database) => Promise<T>): Promise<T> {
  const { db, pool } = createDatabase(testEnv);
  try {
    return await use(db);
  } finally {
    await pool.end();
  }
}

export async function auditCount(organisationUuid: string, action?: AuditAction): Promise<number> {
  return withDb(async (db) => {
    const conditions = [eq(auditEvents.organisationId, organisationUuid)];
    if (action) conditions.push(eq(auditEvents.action, action));
    const [row] = await db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(...conditions));
    return row?.n ?? 0;
  });
}

/** Audit events of an organisation, oldest first. */
export async function auditTrail(organisationUuid: string) {
  return withDb((db) =>
    db.select().from(auditEvents).where(eq(auditEvents.organisationId, organisationUuid)).orderBy(asc(auditEvents.id)),
  );
}

/** Row counts of everything a tenant owns, to show that a refused request changed nothing. */
export async function snapshot(organisationUuid: string): Promise<Record<string, number>> {
  return withDb(async (db) => {
    const tables = {
      memberships,
      roles,
      serviceAccounts,
      serviceAccountCredentials,
      invitations,
      auditEvents,
      programs,
      programApplications,
      programGrants,
      opportunities,
      exportJobs,
      calendarFeeds,
    } as const;
    const counts: Record<string, number> = {};
    for (const [name, table] of Object.entries(tables)) {
      const [row] = await db.select({ n: count() }).from(table).where(eq(table.organisationId, organisationUuid));
      counts[name] = row?.n ?? 0;
    }
    // Units and workers hang under an opportunity of the tenant.
    for (const [name, table] of Object.entries({ paymentUnits, deliverUnits, opportunityWorkers } as const)) {
      const [row] = await db
        .select({ n: count() })
        .from(table)
        .innerJoin(opportunities, eq(opportunities.id, table.opportunityId))
        .where(eq(opportunities.organisationId, organisationUuid));
      counts[name] = row?.n ?? 0;
    }
    const [organisation] = await db
      .select({ name: organisations.name, updated: organisations.updatedAt })
      .from(organisations)
      .where(eq(organisations.id, organisationUuid));
    counts.organisation = organisation ? 1 : 0;
    counts.organisationUpdatedAt = organisation?.updated.getTime() ?? 0;
    return counts;
  });
}

/** The audit events one request wrote, found by its `X-Request-Id`, oldest first (whatever their organisation). */
export async function auditEventsOf(reply: { headers: Headers }) {
  const requestId = reply.headers.get("x-request-id");
  if (!requestId) throw new Error("the reply has no X-Request-Id");
  return withDb((db) =>
    db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).orderBy(asc(auditEvents.id)),
  );
}
