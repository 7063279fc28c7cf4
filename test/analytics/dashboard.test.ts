// The analytics dashboard on hand-built data, a week in March 2026 whose numbers can be counted by hand: headline
// metrics at until against since (past values corrected by the audit trail), the invitation funnel, opportunities
// by status, and a daily series with its empty days filled; plus the period's bounds and the gates.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { auditEvents, invitations, memberships, programs } from "../../schema";
import { addPerson, call, createTenant, insertOpportunity, insertProgram, type Tenant, withDb } from "../harness";

const SINCE = "2026-03-01T00:00:00.000Z";
const UNTIL = "2026-03-08T00:00:00.000Z";
const at = (day: string, time = "10:00") => new Date(`2026-${day}T${time}:00.000Z`);

/** A UUIDv7 whose time is `when`: the id of a row made then (what the audit trail's corrections read). */
function uuidMadeAt(when: Date): string {
  const hex = when.getTime().toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${crypto.randomUUID().slice(-12)}`;
}

let tenant: Tenant;
let dashboard: any;

async function invitation(values: Partial<typeof invitations.$inferInsert>) {
  await withDb((db) =>
    db.insert(invitations).values({
      organisationId: tenant.uuid,
      email: `${crypto.randomUUID()}@example.test`,
      roleId: parseTypeId(ID_PREFIX.role, tenant.roleIds.member)!,
      inviterType: "user",
      inviterName: "Hand",
      codeHash: crypto.randomUUID(),
      delivery: "email",
      deliveryStatus: "sent",
      expiresInDays: 60,
      expiresAt: at("04-30"),
      ...values,
    }),
  );
}

async function event(
  values: Partial<typeof auditEvents.$inferInsert> & Pick<typeof auditEvents.$inferInsert, "action">,
) {
  await withDb((db) =>
    db.insert(auditEvents).values({
      organisationId: tenant.uuid,
      actorType: "system",
      resourceType: values.action.split(".")[0]!,
      resourceId: crypto.randomUUID(),
      ...values,
    }),
  );
}

beforeAll(async () => {
  tenant = await createTenant("analytics");
  // Invitations: five made in the week, one the week before.
  await invitation({ createdAt: at("03-01"), status: "accepted", acceptedAt: at("03-01", "12:00") });
  await invitation({ createdAt: at("03-02"), status: "accepted", acceptedAt: at("03-03", "16:00") });
  await invitation({ createdAt: at("03-02", "11:00"), status: "declined", declinedAt: at("03-04") });
  await invitation({
    createdAt: at("03-05"),
    status: "expired",
    deliveryStatus: "failed",
    expiresAt: at("03-06"),
    expiredAt: at("03-06"),
  });
  await invitation({ createdAt: at("03-05", "11:00"), deliveryStatus: "not_sent" });
  await invitation({ createdAt: at("02-25"), status: "accepted", acceptedAt: at("02-26") });
  // Members: one joined on 3 March; one who was there on 1 March left on 6 March.
  const joined = await addPerson(tenant, "member", "joined");
  await withDb((db) =>
    db
      .update(memberships)
      .set({ createdAt: at("03-03") })
      .where(eq(memberships.id, parseTypeId(ID_PREFIX.membership, joined.memberId)!)),
  );
  await event({
    action: "member.removed",
    resourceType: "member",
    resourceId: uuidMadeAt(at("02-20")),
    createdAt: at("03-06"),
  });
  // Opportunities: one opened on 4 March (draft before); one open all week, closed on 10 March.
  const opened = await insertOpportunity(tenant, { status: "open", createdAt: at("02-01") });
  await event({
    action: "opportunity.status_changed",
    resourceId: opened.uuid,
    changes: { status: { old: "draft", new: "open" } },
    createdAt: at("03-04"),
  });
  const closed = await insertOpportunity(tenant, { status: "closed", createdAt: at("02-01") });
  await event({
    action: "opportunity.status_changed",
    resourceId: closed.uuid,
    changes: { status: { old: "open", new: "closed" } },
    createdAt: at("03-10"),
  });
  // Programs: one since February; one that existed on 1 March was deleted on 5 March.
  const kept = await insertProgram(tenant);
  await withDb((db) =>
    db
      .update(programs)
      .set({ createdAt: at("02-15") })
      .where(eq(programs.id, kept.uuid)),
  );
  await event({ action: "program.deleted", resourceId: uuidMadeAt(at("02-10")), createdAt: at("03-05") });

  const reply = await call(
    "GET",
    `/v1/analytics/dashboard?organisation_id=${tenant.id}&since=${SINCE}&until=${UNTIL}&interval=day`,
    { token: tenant.people.owner.token },
  );
  expect(reply.status, reply.text).toBe(200);
  dashboard = reply.body;
});

describe("the dashboard of a week counted by hand", () => {
  it("headline metrics: at until against since, accepted in the week against the week before", () => {
    const byKey = Object.fromEntries(dashboard.metrics.map((metric: any) => [metric.key, metric]));
    expect(byKey.members).toMatchObject({ value: 1, previous: 1, change: 0, trend: "flat" });
    expect(byKey.pending_invitations).toMatchObject({ value: 1, previous: 0, change: 1, trend: "up" });
    expect(byKey.invitations_accepted).toMatchObject({ value: 2, previous: 1, change: 1, trend: "up" });
    expect(byKey.open_opportunities).toMatchObject({ value: 2, previous: 1, change: 1, trend: "up" });
    expect(byKey.programs).toMatchObject({ value: 1, previous: 2, change: -1, trend: "down" });
    expect(byKey.members.label).toBe("Members");
    expect(dashboard.previous_period).toEqual({ since: "2026-02-22T00:00:00.000Z", until: SINCE });
  });

  it("the funnel of the invitations made in the week: acceptance rate and median hours to accept", () => {
    expect(dashboard.funnel).toEqual({
      created: 5,
      delivered: 3,
      accepted: 2,
      declined: 1,
      expired: 1,
      cancelled: 0,
      pending: 1,
      acceptance_rate: 0.4,
      // 2 hours and 30 hours.
      median_hours_to_accept: 16,
    });
  });

  it("opportunities by status, now", () => {
    expect(dashboard.opportunities_by_status).toEqual({ draft: 0, open: 1, on_hold: 0, closed: 1, filled: 0 });
  });

  it("a daily series of seven buckets, the empty days filled with zeros", () => {
    expect(dashboard.series.map((bucket: any) => bucket.start)).toEqual(
      ["01", "02", "03", "04", "05", "06", "07"].map((day) => `2026-03-${day}T00:00:00.000Z`),
    );
    expect(dashboard.series.map((bucket: any) => bucket.invitations_created)).toEqual([1, 2, 0, 0, 2, 0, 0]);
    expect(dashboard.series.map((bucket: any) => bucket.invitations_accepted)).toEqual([1, 0, 1, 0, 0, 0, 0]);
    expect(dashboard.series.map((bucket: any) => bucket.members_joined)).toEqual([0, 0, 1, 0, 0, 0, 0]);
  });

  it("weekly buckets start on Monday (2 March 2026), the first one before since", async () => {
    const reply = await call(
      "GET",
      `/v1/analytics/dashboard?organisation_id=${tenant.id}&since=${SINCE}&until=${UNTIL}&interval=week`,
      { token: tenant.people.owner.token },
    );
    expect(reply.body.series.map((bucket: any) => [bucket.start, bucket.invitations_created])).toEqual([
      ["2026-02-23T00:00:00.000Z", 1],
      ["2026-03-02T00:00:00.000Z", 4],
    ]);
  });
});

describe("the period and the gates", () => {
  const dashboardFor = (query: string, token = tenant.people.owner.token) =>
    call("GET", `/v1/analytics/dashboard?organisation_id=${tenant.id}${query}`, { token });

  it("defaults to the last 30 days by day", async () => {
    const reply = await dashboardFor("");
    expect(reply.status).toBe(200);
    expect(new Date(reply.body.until).getTime() - new Date(reply.body.since).getTime()).toBe(30 * 86_400_000);
    expect(reply.body.series).toHaveLength(31);
  });

  it("since after until, or a range over 366 days, is a 400 naming since", async () => {
    for (const query of [`&since=${UNTIL}&until=${SINCE}`, `&since=2025-01-01T00:00:00Z&until=${UNTIL}`]) {
      const reply = await dashboardFor(query);
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.error.fields)).toEqual(["since"]);
    }
    expect((await dashboardFor("&interval=hour")).status).toBe(400);
  });

  it("needs analytics:read (a viewer is refused) and a plan with analytics (free is refused)", async () => {
    const viewer = await dashboardFor("", tenant.people.viewer.token);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.code).toBe("permission_denied");
    const free = await createTenant("analytics-free", { plan: "free" });
    const refused = await call("GET", `/v1/analytics/dashboard?organisation_id=${free.id}`, {
      token: free.people.owner.token,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "feature_not_in_plan", feature: "analytics" });
  });
});
