import type { Context } from "hono";
import { newUuid } from "../../schema/columns";
import { recordChange } from "../platform/audit";
import { createDatabase, type Database } from "../platform/db";
import type { ApiError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import type { OrgContext } from "../platform/tenancy";
import { EXPORT_BATCH, type ExportFormat, encoderFor, MAX_EXPORT_BYTES, MAX_EXPORT_ROWS, MEDIA_TYPES } from "./format";
import type { ExportSource, NextPage } from "./sources";

/** One export being written: which list, as which file, read through which page function. */
export interface ExportRun {
  id: string;
  source: ExportSource;
  format: ExportFormat;
  /** The list filters as the request gave them (the audit event and nothing else). */
  filters: Record<string, unknown>;
  nextPage: NextPage;
}

/** Where an export's bytes go: the response (streamed) or the exports bucket (a job). */
export interface ExportSink {
  /** The first batch is read: the file will be written. */
  begin(): void;
  write(chunk: Uint8Array): Promise<void>;
  /** Inside the snapshot's transaction, after the last chunk, before the audit event: make the file whole. */
  finish(tx: Database, totals: { rows: number; bytes: number }): Promise<void>;
}

/** `members-org_…-2026-12-02-1a2b3c4d.csv`: the resource, organisation, day and export. */
export const exportFileName = (ctx: OrgContext, run: Pick<ExportRun, "id" | "source" | "format">) =>
  `${run.source.resource}-${toTypeId(ID_PREFIX.organisation, ctx.organisationId)}-${new Date().toISOString().slice(0, 10)}-${toTypeId(ID_PREFIX.export, run.id).slice(-8)}.${run.format}`;

/**
 * Writes a list as a file, batch by batch through its own page function, so the Worker holds one batch at a
 * time however long the list is. All batches read one snapshot (a repeatable-read transaction on `db`, a
 * connection of the export's own). When the last batch is written, the same transaction lets the sink finish the
 * file and records the export (`export.created`, with the rows written). An export broken off (a client gone, a
 * bound passed, an outage) is recorded on its own with `complete: false`, then the error is thrown.
 */
export async function writeExport(
  db: Database,
  ctx: OrgContext,
  run: ExportRun,
  sink: ExportSink,
): Promise<{ rows: number; bytes: number }> {
  const encoder = encoderFor(run.format, run.source.item);
  const text = new TextEncoder();
  let rows = 0;
  let bytes = 0;
  let begun = false;
  let complete = false;
  const scope = { actor: ctx.actor, meta: ctx.meta, organisationId: ctx.organisationId };
  const exportEvent = () => ({
    action: "export.created" as const,
    resource: { type: "export", id: run.id, name: `${run.source.resource}.${run.format}` },
    before: null,
    after: { resource: run.source.resource, format: run.format, filters: run.filters, rows, complete },
  });
  try {
    await db.transaction(
      async (tx) => {
        const snapshot = tx as unknown as Database;
        const write = async (part: string) => {
          const chunk = text.encode(part);
          if (bytes + chunk.byteLength > MAX_EXPORT_BYTES) throw new Error(`export: past ${MAX_EXPORT_BYTES} bytes`);
          bytes += chunk.byteLength;
          if (chunk.byteLength > 0) await sink.write(chunk);
        };
        let page = await run.nextPage(snapshot, undefined, EXPORT_BATCH);
        begun = true;
        sink.begin();
        await write(encoder.start());
        for (;;) {
          if (rows + page.data.length > MAX_EXPORT_ROWS) throw new Error(`export: past ${MAX_EXPORT_ROWS} rows`);
          await write(encoder.batch(page.data, rows === 0));
          rows += page.data.length;
          if (!page.next_cursor) break;
          page = await run.nextPage(snapshot, page.next_cursor, EXPORT_BATCH);
        }
        await write(encoder.end(rows));
        await sink.finish(snapshot, { rows, bytes });
        complete = true;
        await recordChange(snapshot, scope, exportEvent());
      },
      { isolationLevel: "repeatable read" },
    );
  } catch (error) {
    // The snapshot's transaction rolled back: a broken-off export is recorded on its own.
    complete = false;
    if (begun) {
      await recordChange(db, scope, exportEvent()).catch((failure) =>
        console.error("export: the audit event was not written:", failure),
      );
    }
    throw error;
  }
  return { rows, bytes };
}

/**
 * Streams a list as the response. The first batch is read before the answer starts, so a database that is down
 * is a 503, not a truncated 200; the stream ends only after the export is recorded. Held by `waitUntil`, so an
 * export the client abandons still gets its audit event and closes its connection.
 */
export async function streamExport(
  c: Context<AppEnv>,
  source: ExportSource,
  format: ExportFormat,
  filters: Record<string, unknown>,
): Promise<Response> {
  const { ctx, nextPage } = await source.open(c, filters);
  const run: ExportRun = { id: newUuid(), source, format, filters: recordedFilters(filters), nextPage };
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const { db, pool } = createDatabase(c.env);
  let firstBatch: (outcome: ApiError | Error | null) => void = () => {};
  const started = new Promise<ApiError | Error | null>((resolve) => {
    firstBatch = resolve;
  });
  const sink: ExportSink = {
    begin: () => firstBatch(null),
    write: (chunk) => writer.write(chunk),
    finish: async () => {},
  };
  const produce = async () => {
    try {
      await writeExport(db, ctx, run, sink);
    } catch (error) {
      firstBatch(error as Error);
      await writer.abort(error).catch(() => {});
      return;
    } finally {
      await pool.end().catch(() => {});
    }
    await writer.close().catch(() => {});
  };

  const done = produce();
  try {
    c.executionCtx.waitUntil(done);
  } catch {
    // app.request() without an execution context (scripts): the stream runs on its own.
  }
  const failure = await started;
  if (failure) throw failure;
  return new Response(readable, {
    status: 200,
    headers: {
      "Content-Type": MEDIA_TYPES[format],
      "Content-Disposition": `attachment; filename="${exportFileName(ctx, run)}"`,
      "X-Export-Id": toTypeId(ID_PREFIX.export, run.id),
      "Cache-Control": "no-store",
    },
  });
}

/** The filters an export records: what was given, without the organisation (the event's own). */
export function recordedFilters(filters: Record<string, unknown>): Record<string, unknown> {
  const { organisation_id: _organisation, ...rest } = filters;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
}
