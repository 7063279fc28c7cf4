import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import { type ExportJob, exportJobs } from "../../schema";
import { recordChange } from "../platform/audit";
import type { Database } from "../platform/db";
import type { Env, ExportQueueMessage } from "../platform/env";
import { ApiError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { onBehalfOf, type StoredPrincipal, storePrincipal } from "../platform/on-behalf";
import type { AccessRule } from "../platform/permissions";
import { enforceQuotas } from "../platform/plans";
import { type AppEnv, principalOf, type RequestMeta, requestMeta } from "../platform/request";
import { BucketFileWriter, bucketSink } from "./files";
import { type ExportFormat, type ExportResource, MEDIA_TYPES } from "./format";
import { EXPORT_SOURCES } from "./sources";
import { exportFileName, recordedFilters, writeExport } from "./stream";

/** Jobs and their files are deleted this long after they were asked for. */
export const EXPORT_RETENTION_DAYS = 7;
/** A job is tried this many times (an outage, a bucket that failed) before it is failed for good. */
export const MAX_EXPORT_ATTEMPTS = 3;
/** A queue consumer runs at most 15 minutes: a job running longer than this lost its consumer. */
const STALLED_MINUTES = 20;
/** A job pending this long never reached the queue (or the queue lost it): it is sent again. */
const UNQUEUED_MINUTES = 2;

/** What a job's run is let in by: the same rule as the streamed exports. */
export const EXPORT_RULE: AccessRule = { scope: "export", permission: "exports:read", feature: "export" };

function bindings(env: Env): { queue: NonNullable<Env["EXPORTS_QUEUE"]>; bucket: R2Bucket } {
  const { EXPORTS_QUEUE: queue, EXPORT_FILES: bucket } = env;
  if (!queue || !bucket) {
    throw new ApiError(
      "service_unavailable",
      "Export jobs are not set up on this deployment (it has no EXPORTS_QUEUE or EXPORT_FILES binding).",
    );
  }
  return { queue, bucket };
}

/**
 * Queues an export of `source` as the caller. The caller is let in now, by the list's own rule, so a refusal is
 * the answer to this request; the run lets them in again, as they stand then. `filters` are the list's query
 * parameters (validated by the handler), kept as given.
 */
export async function requestExportJob(
  c: Context<AppEnv>,
  request: { resource: ExportResource; format: ExportFormat; filters: Record<string, string> },
): Promise<ExportJob> {
  const { queue } = bindings(c.env);
  const source = EXPORT_SOURCES[request.resource];
  const { ctx } = await source.open(c, source.filters.parse(request.filters));
  const meta: RequestMeta = requestMeta(c);
  const job = await ctx.db.transaction(async (tx) => {
    // Each unfinished job holds a consumer's turn: an organisation queues only so many at once.
    await enforceQuotas(tx, ctx, { export_jobs: 1 });
    const [row] = await tx
      .insert(exportJobs)
      .values({
        organisationId: ctx.organisationId,
        userId: ctx.caller.userId,
        serviceAccountId: ctx.caller.serviceAccountId,
        principal: storePrincipal(principalOf(c)),
        requestMeta: meta,
        resource: request.resource,
        format: request.format,
        filters: request.filters,
      })
      .returning();
    if (!row) throw new Error("export job insert returned nothing");
    await recordChange(tx, ctx, {
      action: "export.requested",
      resource: { type: "export", id: row.id, name: `${request.resource}.${request.format}` },
      before: null,
      after: { resource: request.resource, format: request.format, filters: recordedFilters(request.filters) },
    });
    return row;
  });
  // After the commit, so the consumer finds the row; a send that fails is retried by the cron.
  await queue.send({ exportId: job.id }).catch((error) => console.warn("export: not queued yet:", error));
  return job;
}

/** The caller's own job (only they see it: its file holds what their access let them read), or null. */
export async function findOwnJob(
  db: Database,
  caller: { userId: string | null; serviceAccountId: string | null },
  id: string,
) {
  const owner = caller.userId
    ? eq(exportJobs.userId, caller.userId)
    : eq(exportJobs.serviceAccountId, caller.serviceAccountId as string);
  const [job] = await db
    .select()
    .from(exportJobs)
    .where(and(eq(exportJobs.id, id), owner))
    .limit(1);
  return job ?? null;
}

const objectKey = (job: ExportJob) =>
  `exports/${toTypeId(ID_PREFIX.organisation, job.organisationId)}/${toTypeId(ID_PREFIX.export, job.id)}.${job.format}`;

/**
 * Runs one job, as the caller who asked for it, into the bucket: "done" when it is ready, failed for good, or
 * not this consumer's (another took it, or it is finished); "retry" when the queue should bring it back.
 */
export async function runExportJob(env: Env, db: Database, exportId: string): Promise<"done" | "retry"> {
  const { bucket } = bindings(env);
  const [job] = await db
    .update(exportJobs)
    .set({ status: "running", attempts: sql`${exportJobs.attempts} + 1`, startedAt: new Date() })
    .where(and(eq(exportJobs.id, exportId), eq(exportJobs.status, "pending")))
    .returning();
  if (!job) return "done";
  const source = EXPORT_SOURCES[job.resource as ExportResource];
  const format = job.format as ExportFormat;
  const key = objectKey(job);
  let file: BucketFileWriter | undefined;
  try {
    const c = onBehalfOf(env, db, {
      principal: job.principal as StoredPrincipal,
      meta: job.requestMeta as RequestMeta,
      rule: EXPORT_RULE,
    });
    const filters = source.filters.parse(job.filters);
    const { ctx, nextPage } = await source.open(c, filters);
    const fileName = exportFileName(ctx, { id: job.id, source, format });
    file = new BucketFileWriter(bucket, key, {
      httpMetadata: { contentType: MEDIA_TYPES[format], contentDisposition: `attachment; filename="${fileName}"` },
    });
    const run = { id: job.id, source, format, filters: recordedFilters(filters), nextPage };
    await writeExport(
      db,
      ctx,
      run,
      bucketSink(file, async (tx, totals) => {
        await tx
          .update(exportJobs)
          .set({
            status: "ready",
            ...totals,
            objectKey: key,
            fileName,
            finishedAt: new Date(),
            errorCode: null,
            errorMessage: null,
          })
          .where(eq(exportJobs.id, job.id));
      }),
    );
    return "done";
  } catch (error) {
    await file?.abort();
    // A refusal (the caller lost access, the plan its feature) is final; anything else is tried again.
    const refusal = error instanceof ApiError ? error : null;
    const final = refusal !== null || job.attempts >= MAX_EXPORT_ATTEMPTS;
    if (!refusal) console.error(`export ${toTypeId(ID_PREFIX.export, job.id)}: attempt ${job.attempts} failed:`, error);
    await db
      .update(exportJobs)
      .set({
        status: final ? "failed" : "pending",
        errorCode: refusal?.code ?? "internal_error",
        errorMessage: refusal?.message ?? "The export could not be written; it is tried again, up to 3 times.",
        ...(final ? { finishedAt: new Date() } : {}),
      })
      .where(and(eq(exportJobs.id, job.id), eq(exportJobs.status, "running")))
      .catch((failure) => console.error("export: the job's state was not saved:", failure));
    return final ? "done" : "retry";
  }
}

/**
 * The cron's part: jobs (and their files) past the retention are deleted, 100 a run; jobs the queue lost are sent
 * again (pending too long, or running past any consumer's time limit: tried again, or failed after the last try).
 */
export async function exportHousekeeping(env: Env, db: Database): Promise<{ forgotten: number; requeued: number }> {
  if (!env.EXPORTS_QUEUE || !env.EXPORT_FILES) return { forgotten: 0, requeued: 0 };
  const old = await db
    .select({ id: exportJobs.id, objectKey: exportJobs.objectKey })
    .from(exportJobs)
    .where(lt(exportJobs.createdAt, sql`now() - make_interval(days => ${EXPORT_RETENTION_DAYS})`))
    .limit(100);
  const keys = old.flatMap((job) => (job.objectKey ? [job.objectKey] : []));
  if (keys.length > 0) await env.EXPORT_FILES.delete(keys);
  if (old.length > 0)
    await db.delete(exportJobs).where(
      inArray(
        exportJobs.id,
        old.map((job) => job.id),
      ),
    );

  await db
    .update(exportJobs)
    .set({
      status: "failed",
      errorCode: "internal_error",
      errorMessage: `The export did not finish in ${MAX_EXPORT_ATTEMPTS} tries.`,
      finishedAt: new Date(),
    })
    .where(
      and(
        eq(exportJobs.status, "running"),
        lt(exportJobs.updatedAt, sql`now() - make_interval(mins => ${STALLED_MINUTES})`),
        sql`${exportJobs.attempts} >= ${MAX_EXPORT_ATTEMPTS}`,
      ),
    );
  const lost = await db
    .update(exportJobs)
    .set({ status: "pending" })
    .where(
      or(
        and(
          eq(exportJobs.status, "pending"),
          lt(exportJobs.updatedAt, sql`now() - make_interval(mins => ${UNQUEUED_MINUTES})`),
        ),
        and(
          eq(exportJobs.status, "running"),
          lt(exportJobs.updatedAt, sql`now() - make_interval(mins => ${STALLED_MINUTES})`),
        ),
      ),
    )
    .returning({ id: exportJobs.id });
  if (lost.length > 0) await env.EXPORTS_QUEUE.sendBatch(lost.map((job) => ({ body: { exportId: job.id } })));
  return { forgotten: old.length, requeued: lost.length };
}

/** The queue consumer: runs each job; one the queue should bring back comes back later, by then less busy. */
export async function consumeExportJobs(
  batch: MessageBatch<ExportQueueMessage>,
  env: Env,
  db: Database,
): Promise<void> {
  for (const message of batch.messages) {
    const outcome = await runExportJob(env, db, message.body.exportId);
    if (outcome === "retry") message.retry({ delaySeconds: 30 * message.attempts });
    else message.ack();
  }
}
