// The audit trail keeps each organisation's events for its plan's audit_retention_days: the cron deletes what is
// older, and nothing younger, whatever the plan.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runCron } from "../../functions/background";
import { PLANS } from "../../functions/platform/plans";
import { auditEvents } from "../../schema";
import { createTenant, type Tenant, testEnv, withDb } from "../harness";

const DAY = 86_400_000;

/** A UUIDv7 of that moment, as the application makes them. */
function uuidAt(time: number): string {
  const hex = `${time.toString(16).padStart(12, "0")}7${crypto.randomUUID().replace(/-/g, "").slice(13)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

async function eventAged(tenant: Tenant, days: number): Promise<string> {
  const time = Date.now() - days * DAY;
  const id = uuidAt(time);
  await withDb((db) =>
    db.insert(auditEvents).values({
      id,
      organisationId: tenant.uuid,
      actorType: "system",
      actorName: "retention test",
      action: "organisation.updated",
      resourceType: "organisation",
      resourceId: tenant.uuid,
      createdAt: new Date(time),
    }),
  );
  return id;
}

const kept = (id: string) =>
  withDb(async (db) => (await db.select().from(auditEvents).where(eq(auditEvents.id, id))).length === 1);

describe("audit retention by plan", () => {
  it("the cron deletes events past the plan's retention and keeps the younger ones", async () => {
    const free = await createTenant("retention-free", { plan: "free" });
    const pro = await createTenant("retention-pro", { plan: "pro" });
    const freeDays = PLANS.free.audit_retention_days;
    const proDays = PLANS.pro.audit_retention_days;
    const freeOld = await eventAged(free, freeDays + 1);
    const freeYoung = await eventAged(free, freeDays - 1);
    const proMiddle = await eventAged(pro, freeDays + 1);
    const proOld = await eventAged(pro, proDays + 1);
    await runCron({ ...testEnv, OUTBOX_QUEUE: undefined });
    expect(await kept(freeOld), `a free organisation's event of ${freeDays + 1} days`).toBe(false);
    expect(await kept(freeYoung), `a free organisation's event of ${freeDays - 1} days`).toBe(true);
    expect(await kept(proMiddle), `a pro organisation's event of ${freeDays + 1} days`).toBe(true);
    expect(await kept(proOld), `a pro organisation's event of ${proDays + 1} days`).toBe(false);
  });
});
