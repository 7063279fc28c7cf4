// Export jobs (POST /v1/exports, GET /v1/exports/{id}, its signed :download): queued as the caller, run by the
// queue consumer as the caller stands then, written to the bucket in parts, downloadable through a short-lived
// link by nobody but the link's holder, re-queued when lost and deleted after a week by the cron.

import { parse } from "csv-parse/sync";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { exportHousekeeping, MAX_EXPORT_ATTEMPTS, runExportJob } from "../../functions/exports/jobs";
import { signLinkToken } from "../../functions/platform/auth";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { auditEvents, exportJobs, memberships, organisations } from "../../schema";
import { HELD_EXPORT_QUEUE } from "../access-matrix/fixtures/exports";
import { addPerson, call, createTenant, insertProgram, type Tenant, testEnv, withDb } from "../harness";

let tenant: Tenant;
let other: Tenant;

const uuidOf = (id: string) => parseTypeId(ID_PREFIX.export, id) as string;

/** Queues a job; with `held`, the message stays with the test, which runs the job itself. */
const requestJob = (body: Record<string, unknown>, options: { token?: string; held?: boolean } = {}) =>
  call("POST", "/v1/exports", {
    token: options.token ?? tenant.people.owner.token,
    body: { organisation_id: tenant.id, ...body },
    ...(options.held === false ? {} : { env: HELD_EXPORT_QUEUE as never }),
  });

const getJob = (id: string, token = tenant.people.owner.token) => call("GET", `/v1/exports/${id}`, { token });

const run = (id: string, env: Record<string, unknown> = {}) =>
  withDb((db) => runExportJob({ ...testEnv, ...env } as never, db, uuidOf(id)));

const download = async (url: string) => {
  const link = new URL(url);
  return call("GET", link.pathname + link.search, {});
};

const jobRow = (id: string) =>
  withDb(
    async (db) =>
      (
        await db
          .select()
          .from(exportJobs)
          .where(eq(exportJobs.id, uuidOf(id)))
      )[0]!,
  );

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant("export-jobs"), createTenant("export-jobs-other")]);
  for (const name of ["Alpha, with a comma", 'Beta "quoted"', "=Gamma"]) await insertProgram(tenant, { name });
});

describe("a job through the queue", () => {
  it("is 202 pending, becomes ready with rows and bytes, and its link downloads the same rows as the streamed export", async () => {
    const queued = await requestJob({ resource: "programs", format: "csv" }, { held: false });
    expect(queued.status, queued.text).toBe(202);
    expect(queued.headers.get("location")).toBe(`/v1/exports/${queued.body.id}`);
    expect(queued.body).toMatchObject({
      object: "export",
      id: expect.stringMatching(/^exp_/),
      organisation_id: tenant.id,
      resource: "programs",
      format: "csv",
      filters: { organisation_id: tenant.id },
      url: null,
      rows: null,
    });
    expect(["pending", "running", "ready"]).toContain(queued.body.status);
    const ready = await vi.waitFor(
      async () => {
        const job = await getJob(queued.body.id);
        if (job.body.status !== "ready") throw new Error(`still ${job.body.status}`);
        return job;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(ready.body).toMatchObject({ rows: 3, error: null, attempts: 1 });
    expect(ready.body.file_name).toMatch(new RegExp(`^programs-${tenant.id}-\\d{4}-\\d{2}-\\d{2}-[0-9a-z]{8}\\.csv$`));
    expect(Date.parse(ready.body.expires_at) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(Date.parse(ready.body.deleted_at) - Date.parse(ready.body.created_at)).toBe(7 * 86_400_000);

    const file = await download(ready.body.url);
    expect(file.status, file.text).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="${ready.body.file_name}"`);
    expect(Number(file.headers.get("content-length"))).toBe(ready.body.bytes);
    expect(new TextEncoder().encode(file.text).byteLength).toBe(ready.body.bytes);
    const streamed = await call("GET", `/v1/exports/programs?organisation_id=${tenant.id}`, {
      token: tenant.people.owner.token,
    });
    const rowsOf = (text: string) =>
      (parse(text, { columns: true }) as Record<string, string>[]).map(({ id, name }) => ({ id, name }));
    expect(rowsOf(file.text)).toEqual(rowsOf(streamed.text));
    expect(rowsOf(file.text).map((row) => row.name)).toContain("'=Gamma");

    const events = await withDb((db) =>
      db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.resourceId, uuidOf(queued.body.id))),
    );
    expect(events.map((event) => event.action).sort()).toEqual(["export.created", "export.requested"]);
    const created = events.find((event) => event.action === "export.created")!;
    expect(created).toMatchObject({ actorId: expect.any(String), requestId: queued.headers.get("x-request-id") });
    expect(created.changes).toMatchObject({ rows: { new: 3 }, complete: { new: true }, resource: { new: "programs" } });
  });

  it("a service account's job is its own, and runs with its credential", async () => {
    const queued = await requestJob(
      { organisation_id: undefined, resource: "members", format: "ndjson" },
      { token: tenant.serviceAccount.token },
    );
    expect(queued.status, queued.text).toBe(202);
    expect(await run(queued.body.id)).toBe("done");
    const ready = await getJob(queued.body.id, tenant.serviceAccount.token);
    expect(ready.body.status, ready.text).toBe("ready");
    const lines = (await download(ready.body.url)).text.trim().split("\n");
    expect(lines.length).toBe(ready.body.rows);
    expect((await getJob(queued.body.id)).status, "the owner does not see the account's job").toBe(404);
  });
});

describe("the request", () => {
  it("validates the filters by the list's own parameters: unknown names, bad values, the organisation inside", async () => {
    const unknown = await requestJob({ resource: "audit-events", filters: { nope: "x" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual({ "filters.nope": ["is not a known field"] });
    const bad = await requestJob({ resource: "invitations", filters: { status: "lost" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(["filters.status"]);
    const inside = await requestJob({ resource: "members", filters: { organisation_id: tenant.id } });
    expect(inside.status).toBe(400);
    expect(Object.keys(inside.body.error.fields)).toEqual(["filters.organisation_id"]);
    const units = await requestJob({ resource: "payment-units", filters: {} });
    expect(units.status).toBe(400);
    expect(Object.keys(units.body.error.fields)).toEqual(["organisation_id"]);
    const noOpportunity = await requestJob({ resource: "payment-units", organisation_id: undefined });
    expect(noOpportunity.status).toBe(400);
    expect(Object.keys(noOpportunity.body.error.fields)).toEqual(["filters.opportunity_id"]);
    const numbers = await requestJob({ resource: "opportunities", filters: { max_hours: 10, status: "open" } });
    expect(numbers.status, numbers.text).toBe(202);
    expect(numbers.body.filters).toMatchObject({ max_hours: "10", status: "open" });
  });

  it("refuses now what the list refuses: audit events without audit:read, another organisation", async () => {
    const manager = await requestJob({ resource: "audit-events" }, { token: tenant.people.manager.token });
    expect(manager.status).toBe(403);
    const stranger = await requestJob({ resource: "members" }, { token: other.people.owner.token });
    expect(stranger.status).toBe(404);
    const jobs = await withDb((db) => db.select().from(exportJobs).where(eq(exportJobs.organisationId, other.uuid)));
    expect(jobs).toEqual([]);
  });

  it("only the one who asked sees the job: another admin gets 404", async () => {
    const queued = await requestJob({ resource: "members" });
    expect((await getJob(queued.body.id)).status).toBe(200);
    expect((await getJob(queued.body.id, tenant.people.admin.token)).status).toBe(404);
    expect((await getJob(queued.body.id, other.people.owner.token)).status).toBe(404);
  });
});

describe("the run, as the caller stands then", () => {
  it("fails for good when the member was removed since, or the plan lost the export feature", async () => {
    const leaver = await addPerson(tenant, "admin", "leaver");
    const queued = await requestJob({ resource: "members" }, { token: leaver.token });
    expect(queued.status, queued.text).toBe(202);
    await withDb((db) =>
      db.delete(memberships).where(eq(memberships.id, parseTypeId(ID_PREFIX.membership, leaver.memberId)!)),
    );
    expect(await run(queued.body.id)).toBe("done");
    const row = await jobRow(queued.body.id);
    expect(row).toMatchObject({ status: "failed", errorCode: "not_found", objectKey: null });

    const downgraded = await createTenant("export-jobs-downgraded");
    const job = await call("POST", "/v1/exports", {
      token: downgraded.people.owner.token,
      body: { organisation_id: downgraded.id, resource: "programs" },
      env: HELD_EXPORT_QUEUE as never,
    });
    expect(job.status).toBe(202);
    await withDb((db) =>
      db.update(organisations).set({ plan: "free", planOverrides: {} }).where(eq(organisations.id, downgraded.uuid)),
    );
    await withDb((db) => runExportJob(testEnv as never, db, uuidOf(job.body.id)));
    expect(await jobRow(job.body.id)).toMatchObject({ status: "failed", errorCode: "feature_not_in_plan" });
  });

  it("a bucket that fails is tried again, then failed after the last try; a job runs once however often it is queued", async () => {
    const queued = await requestJob({ resource: "programs" });
    const broken = {
      EXPORT_FILES: {
        put: async () => {
          throw new Error("bucket down");
        },
      },
    };
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    for (let attempt = 1; attempt < MAX_EXPORT_ATTEMPTS; attempt++) {
      expect(await run(queued.body.id, broken)).toBe("retry");
      expect(await jobRow(queued.body.id)).toMatchObject({
        status: "pending",
        attempts: attempt,
        errorCode: "internal_error",
      });
    }
    expect(await run(queued.body.id, broken)).toBe("done");
    errors.mockRestore();
    expect(await jobRow(queued.body.id)).toMatchObject({ status: "failed", attempts: MAX_EXPORT_ATTEMPTS });
    expect((await getJob(queued.body.id)).body.error).toMatchObject({ code: "internal_error" });

    const once = await requestJob({ resource: "programs" });
    expect(await Promise.all([run(once.body.id), run(once.body.id), run(once.body.id)])).toEqual([
      "done",
      "done",
      "done",
    ]);
    expect(await jobRow(once.body.id)).toMatchObject({ status: "ready", attempts: 1 });
  });
});

describe("the download link", () => {
  it("works only as signed, for its own export, while the export exists", async () => {
    const [first, second] = [await requestJob({ resource: "members" }), await requestJob({ resource: "programs" })];
    await run(first.body.id);
    await run(second.body.id);
    const url = new URL((await getJob(first.body.id)).body.url);
    const otherUrl = new URL((await getJob(second.body.id)).body.url);
    expect((await download(url.href)).status).toBe(200);
    const token = url.searchParams.get("signature")!;
    const tampered = await call("GET", `${url.pathname}?signature=${token.slice(0, -3)}AAA`, {});
    expect(tampered.status).toBe(403);
    const swapped = await call("GET", `${url.pathname}?signature=${otherUrl.searchParams.get("signature")}`, {});
    expect(swapped.status).toBe(403);
    const bearer = await call("GET", `${url.pathname}?signature=${tenant.people.owner.token}`, {});
    expect(bearer.status, "a bearer token is no download link").toBe(403);
    const lapsed = await signLinkToken(testEnv as never, {
      purpose: "export-downloads",
      subject: first.body.id,
      lifetimeSeconds: -60,
    });
    expect((await call("GET", `${url.pathname}?signature=${lapsed.token}`, {})).status, "an expired link").toBe(403);
    const fresh = await signLinkToken(testEnv as never, {
      purpose: "export-downloads",
      subject: first.body.id,
      lifetimeSeconds: 60,
    });
    expect((await call("GET", `${url.pathname}?signature=${fresh.token}`, {})).status, "the same, in time").toBe(200);

    await withDb((db) =>
      db
        .update(exportJobs)
        .set({ createdAt: sql`now() - interval '8 days'` })
        .where(eq(exportJobs.id, uuidOf(first.body.id))),
    );
    const row = await jobRow(first.body.id);
    const done = await withDb((db) => exportHousekeeping(testEnv as never, db));
    expect(done.forgotten).toBeGreaterThanOrEqual(1);
    expect(await testEnv.EXPORT_FILES!.head(row.objectKey!)).toBeNull();
    expect((await download(url.href)).status).toBe(404);
    expect((await getJob(first.body.id)).status).toBe(404);
  });
});

describe("the cron", () => {
  it("sends again a job the queue lost, and fails one that ran out of tries", async () => {
    const lost = await requestJob({ resource: "members" });
    const stalled = await requestJob({ resource: "members" });
    await withDb(async (db) => {
      await db.execute(
        sql`update export_jobs set updated_at = now() - interval '5 minutes' where id = ${uuidOf(lost.body.id)}`,
      );
      await db.execute(
        sql`update export_jobs set status = 'running', attempts = ${MAX_EXPORT_ATTEMPTS}, updated_at = now() - interval '1 hour' where id = ${uuidOf(stalled.body.id)}`,
      );
    });
    const sent: unknown[] = [];
    const queue = { send: async () => {}, sendBatch: async (messages: unknown[]) => void sent.push(...messages) };
    await withDb((db) => exportHousekeeping({ ...testEnv, EXPORTS_QUEUE: queue } as never, db));
    expect(sent).toContainEqual({ body: { exportId: uuidOf(lost.body.id) } });
    expect(sent).not.toContainEqual({ body: { exportId: uuidOf(stalled.body.id) } });
    expect(await jobRow(lost.body.id)).toMatchObject({ status: "pending" });
    expect(await jobRow(stalled.body.id)).toMatchObject({ status: "failed" });
  });
});
