// Quotas: each one refuses the insert that would break it (403 quota_exceeded with quota, limit and usage), counts
// inside that insert's transaction so concurrent inserts are exact, keeps what a downgrade leaves over the limit,
// and moves at once when a platform administrator overrides it.
import { describe, expect, it } from "vitest";
import { runExportJob } from "../../functions/exports/jobs";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { PLANS } from "../../functions/platform/plans";
import { HELD_EXPORT_QUEUE } from "../access-matrix/fixtures/exports";
import {
  auditTrail,
  call,
  createTenant,
  deliveryType,
  insertOpportunity,
  makeProgramManager,
  platformAdminToken,
  type Reply,
  type Tenant,
  testEnv,
  uniqueSuffix,
  withDb,
} from "../harness";

const invite = (tenant: Tenant, email = `invitee-${uniqueSuffix()}@example.test`) =>
  call("POST", "/v1/invitations", {
    token: tenant.people.owner.token,
    body: { organisation_id: tenant.id, email, role_id: tenant.roleIds.member },
  });

const planOf = async (tenant: Tenant) => {
  const reply = await call("GET", `/v1/organisations/${tenant.id}/plan`, { token: tenant.people.viewer.token });
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
};

const administer = async (tenant: Tenant, body: Record<string, unknown>) => {
  const reply = await call("PATCH", `/v1/platform/organisations/${tenant.id}`, {
    token: await platformAdminToken(),
    body,
  });
  expect(reply.status, reply.text).toBe(200);
  return reply;
};

function expectQuotaExceeded(reply: Reply, quota: string, limit: number, usage: number) {
  expect(reply.status, reply.text).toBe(403);
  expect(reply.body.error).toMatchObject({ code: "quota_exceeded", quota, limit, usage, plan: expect.any(String) });
  expect(reply.body.error.upgrade_url).toMatch(/^https:\/\//);
  expect(reply.body.error.message).toContain(`allows ${limit}`);
}

/** A free tenant (its five people fill the free plan's five member seats) with a quota override. */
const freeTenant = (label: string, quotas: Record<string, number> = {}) =>
  createTenant(label, { plan: "free", planOverrides: { quotas } });

describe("members: people plus pending invitations", () => {
  it("on free, five people fill the plan: an invitation is refused with the quota, its limit and usage", async () => {
    const tenant = await freeTenant("seats-full");
    const plan = await planOf(tenant);
    expect(plan.quotas.members).toEqual({ limit: PLANS.free.quotas.members, usage: 5 });
    const refused = await invite(tenant);
    expectQuotaExceeded(refused, "members", 5, 5);
    expect((await planOf(tenant)).quotas.members.usage).toBe(5);
  });

  it("a pending invitation takes a seat; cancelling it gives the seat back", async () => {
    const tenant = await freeTenant("seats-pending", { members: 6 });
    const first = await invite(tenant);
    expect(first.status, first.text).toBe(201);
    expect((await planOf(tenant)).quotas.members).toEqual({ limit: 6, usage: 6 });
    expectQuotaExceeded(await invite(tenant), "members", 6, 6);
    const cancelled = await call("POST", `/v1/invitations/${first.body.id}:cancel`, {
      token: tenant.people.owner.token,
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect((await planOf(tenant)).quotas.members.usage).toBe(5);
    expect((await invite(tenant)).status).toBe(201);
  });

  it("with one seat left, 10 parallel invitations give exactly one 201 and nine quota_exceeded", async () => {
    for (let round = 0; round < 3; round++) {
      const tenant = await freeTenant(`seat-race-${round}`, { members: 6 });
      const replies = await Promise.all(Array.from({ length: 10 }, () => invite(tenant)));
      const created = replies.filter((reply) => reply.status === 201);
      expect(created, replies.map((reply) => reply.status).join(",")).toHaveLength(1);
      for (const reply of replies.filter((candidate) => candidate.status !== 201)) {
        expectQuotaExceeded(reply, "members", 6, 6);
      }
      expect((await planOf(tenant)).quotas.members.usage).toBe(6);
      const trail = await auditTrail(tenant.uuid);
      expect(trail.filter((event) => event.action === "invitation.created")).toHaveLength(1);
    }
  });

  it("bulk invitations report the quota on each refused row, and create up to the limit", async () => {
    const tenant = await freeTenant("seats-bulk", { members: 7 });
    const reply = await call("POST", "/v1/invitations:bulk", {
      token: tenant.people.owner.token,
      body: {
        organisation_id: tenant.id,
        invitations: Array.from({ length: 4 }, () => ({
          email: `bulk-${uniqueSuffix()}@example.test`,
          role_id: tenant.roleIds.member,
        })),
      },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ created: 2, failed: 2 });
    expect(reply.body.results.map((row: { status: string }) => row.status)).toEqual([
      "created",
      "created",
      "error",
      "error",
    ]);
    expect(reply.body.results[2].error).toMatchObject({ code: "quota_exceeded", quota: "members", limit: 7, usage: 7 });
  });

  it("a downgrade keeps every member and pending invitation, and refuses new ones", async () => {
    const tenant = await createTenant("downgrade");
    for (let i = 0; i < 2; i++) expect((await invite(tenant)).status).toBe(201);
    await administer(tenant, { plan: "free", overrides: null });
    const plan = await planOf(tenant);
    expect(plan.plan).toBe("free");
    expect(plan.quotas.members).toEqual({ limit: 5, usage: 7 });
    const members = await call("GET", `/v1/members?organisation_id=${tenant.id}`, { token: tenant.people.owner.token });
    expect(members.body.data).toHaveLength(5);
    expectQuotaExceeded(await invite(tenant), "members", 5, 7);
  });

  it("a platform override lifts the quota at once, and clearing it restores the plan's", async () => {
    const tenant = await freeTenant("override");
    expect((await invite(tenant)).status).toBe(403);
    const lifted = await administer(tenant, { overrides: { quotas: { members: 6 } } });
    expect(lifted.body.plan_overrides).toEqual({ quotas: { members: 6 } });
    expect((await invite(tenant)).status).toBe(201);
    expectQuotaExceeded(await invite(tenant), "members", 6, 6);
    await administer(tenant, { overrides: { quotas: { members: "unlimited" } } });
    expect((await planOf(tenant)).quotas.members).toEqual({ limit: null, usage: 6 });
    expect((await invite(tenant)).status).toBe(201);
    await administer(tenant, { overrides: { quotas: { members: null } } });
    expect((await planOf(tenant)).quotas.members).toEqual({ limit: 5, usage: 7 });
    const trail = await auditTrail(tenant.uuid);
    const changes = trail.filter((event) => event.action === "organisation.updated");
    expect(changes.map((event) => Object.keys(event.changes))).toEqual([
      ["plan_overrides"],
      ["plan_overrides"],
      ["plan_overrides"],
    ]);
  });
});

describe("the other quotas", () => {
  it("service accounts: the free plan's one is the tenant's own", async () => {
    const tenant = await freeTenant("accounts");
    const refused = await call("POST", "/v1/service-accounts", {
      token: tenant.people.owner.token,
      body: { organisation_id: tenant.id, name: "second", role_id: tenant.roleIds.manager },
    });
    expectQuotaExceeded(refused, "service_accounts", 1, 1);
  });

  it("custom roles: counted without the built-in ones", async () => {
    const tenant = await createTenant("roles-quota", { plan: "pro", planOverrides: { quotas: { custom_roles: 1 } } });
    const create = () =>
      call("POST", "/v1/roles", {
        token: tenant.people.owner.token,
        body: { organisation_id: tenant.id, name: `role ${uniqueSuffix()}`, permissions: [] },
      });
    expect((await create()).status).toBe(201);
    expectQuotaExceeded(await create(), "custom_roles", 1, 1);
    expect((await planOf(tenant)).quotas.custom_roles).toEqual({ limit: 1, usage: 1 });
  });

  it("programs: one on free", async () => {
    const tenant = await freeTenant("programs-quota");
    await makeProgramManager(tenant);
    const type = await deliveryType("quota-delivery");
    const create = () =>
      call("POST", "/v1/programs", {
        token: tenant.people.owner.token,
        body: {
          organisation_id: tenant.id,
          name: `program ${uniqueSuffix()}`,
          delivery_type: type.slug,
          currency: "EUR",
          country: "DE",
          budget: "100.00",
          start_date: "2026-01-01",
          end_date: "2027-12-31",
        },
      });
    expect((await create()).status).toBe(201);
    expectQuotaExceeded(await create(), "programs", 1, 1);
  });

  it("open opportunities: opening one counts, drafts do not; parallel openings past the limit lose", async () => {
    const tenant = await freeTenant("open-quota", { open_opportunities: 2 });
    await insertOpportunity(tenant, { status: "open" });
    const drafts = await Promise.all(Array.from({ length: 5 }, () => insertOpportunity(tenant, { status: "draft" })));
    expect((await planOf(tenant)).quotas.open_opportunities).toEqual({ limit: 2, usage: 1 });
    const replies = await Promise.all(
      drafts.map((draft) =>
        call("PATCH", `/v1/opportunities/${draft.id}`, {
          token: tenant.people.owner.token,
          body: { status: "open" },
        }),
      ),
    );
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    for (const reply of replies.filter((candidate) => candidate.status !== 200)) {
      expectQuotaExceeded(reply, "open_opportunities", 2, 2);
    }
    expect((await planOf(tenant)).quotas.open_opportunities.usage).toBe(2);
  });

  it("invitations per day: every invitation created in the last 24 hours, whatever became of it", async () => {
    const tenant = await freeTenant("daily", { members: 100, invitations_per_day: 2 });
    const first = await invite(tenant);
    expect(first.status).toBe(201);
    await call("POST", `/v1/invitations/${first.body.id}:cancel`, { token: tenant.people.owner.token });
    expect((await invite(tenant)).status).toBe(201);
    expectQuotaExceeded(await invite(tenant), "invitations_per_day", 2, 2);
  });

  it("export jobs: queued or running ones count, a finished one gives its turn back; parallel requests past the limit lose", async () => {
    const tenant = await createTenant("export-jobs-quota", {
      plan: "pro",
      planOverrides: { quotas: { export_jobs: 2 } },
    });
    // Held: the messages stay with the test, so the jobs stay queued until it runs one.
    const request = () =>
      call("POST", "/v1/exports", {
        token: tenant.people.owner.token,
        body: { organisation_id: tenant.id, resource: "members", format: "csv" },
        env: HELD_EXPORT_QUEUE as never,
      });
    const replies = await Promise.all(Array.from({ length: 10 }, request));
    const queued = replies.filter((reply) => reply.status === 202);
    expect(queued).toHaveLength(2);
    for (const reply of replies.filter((candidate) => candidate.status !== 202)) {
      expectQuotaExceeded(reply, "export_jobs", 2, 2);
    }
    expect((await planOf(tenant)).quotas.export_jobs).toEqual({ limit: 2, usage: 2 });
    const finished = parseTypeId(ID_PREFIX.export, queued[0]!.body.id) as string;
    expect(await withDb((db) => runExportJob(testEnv as never, db, finished))).toBe("done");
    expect((await planOf(tenant)).quotas.export_jobs).toEqual({ limit: 2, usage: 1 });
    expect((await request()).status).toBe(202);
  });
});
