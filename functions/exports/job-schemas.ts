import { z } from "@hono/zod-openapi";
import { EXPORT_JOB_STATUSES, type ExportJob } from "../../schema";
import { signLinkToken, verifyLinkToken } from "../platform/auth";
import type { Env } from "../platform/env";
import { ID_PREFIX, parseTypeId, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { EXPORT_FORMATS, EXPORT_RESOURCES, exportFormat, MAX_EXPORT_BYTES, MAX_EXPORT_ROWS } from "./format";
import { EXPORT_RETENTION_DAYS } from "./jobs";

/** How long a download link works. */
export const DOWNLOAD_LINK_SECONDS = 15 * 60;
const DOWNLOAD_PURPOSE = "export-downloads";

export const ExportIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.export).openapi({ param: { name: "id", in: "path" }, description: "The export's id." }),
});

export const CreateExportJobBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation)
      .optional()
      .openapi({ description: "Required for people; a service account's token implies it (not for `payment-units`)." }),
    resource: z.enum(EXPORT_RESOURCES).openapi({ description: "The list to export." }),
    format: exportFormat,
    filters: z
      .record(z.string().max(60), z.union([z.string().max(500), z.number(), z.boolean()]))
      .default({})
      .openapi({
        description:
          "The list's filters, by the names of its streamed export's query parameters (`GET /v1/exports/{resource}`), " +
          'e.g. `{"action": "member.added"}` for audit events or `{"opportunity_id": "opp_…"}` for payment units ' +
          "(required there). A name the list does not take is a 400.",
      }),
  })
  .openapi("CreateExportJob", {
    example: {
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      resource: "audit-events",
      format: "csv",
      filters: {},
    },
  });

export const ExportJobSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.export).openapi({ description: "The export's id (`exp_...`)." }),
    object: z.literal("export").openapi({ description: "Always `export`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation whose list it is." }),
    resource: z.enum(EXPORT_RESOURCES).openapi({ description: "The list exported." }),
    format: z.enum(EXPORT_FORMATS).openapi({ description: "The file's format: `csv`, `json` or `ndjson`." }),
    filters: z.record(z.string(), z.string().max(500)).openapi({ description: "The filters, as given." }),
    status: z.enum(EXPORT_JOB_STATUSES).openapi({
      description: "`pending` (queued), `running`, `ready` (`url` downloads the file) or `failed` (`error` says why).",
    }),
    rows: z
      .number()
      .int()
      .min(0)
      .max(MAX_EXPORT_ROWS)
      .nullable()
      .openapi({ format: "int32", description: "Rows in the file, once ready." }),
    bytes: z
      .number()
      .int()
      .min(0)
      .max(MAX_EXPORT_BYTES)
      .nullable()
      .openapi({ format: "int32", description: "The file's size, once ready." }),
    file_name: z.string().max(200).nullable().openapi({
      description: "The file's name (`<resource>-<organisation>-<day>-<export>.<format>`) once ready; else null.",
    }),
    url: z
      .url()
      .max(2000)
      .nullable()
      .openapi({
        description: `Once ready: a signed link to the file, good for ${DOWNLOAD_LINK_SECONDS / 60} minutes (no token needed; get the export again for a fresh one).`,
      }),
    expires_at: timestampOut().nullable().openapi({ description: "When `url` stops working." }),
    error: z
      .object({
        code: z.string().max(40).openapi({ description: "A code of the error catalogue, e.g. `permission_denied`." }),
        message: z.string().max(500).openapi({ description: "A sentence saying what went wrong." }),
      })
      .nullable()
      .openapi({
        description: "Why the last try failed; null while no try has failed, and once it is ready.",
      }),
    attempts: z.number().int().min(0).max(10).openapi({ format: "int32", description: "Runs so far (at most 3)." }),
    created_at: timestampOut().openapi({ description: "When it was asked for." }),
    started_at: timestampOut()
      .nullable()
      .openapi({ description: "When the latest run started; null while still queued." }),
    finished_at: timestampOut()
      .nullable()
      .openapi({ description: "When it became `ready` or `failed`; null until then." }),
    deleted_at: timestampOut().openapi({
      description: `When the job and its file are deleted: ${EXPORT_RETENTION_DAYS} days after it was asked for.`,
    }),
  })
  .openapi("ExportJob", {
    example: {
      id: "exp_01h455vb4pex5vsknk084sn02q",
      object: "export",
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      resource: "audit-events",
      format: "csv",
      filters: { action: "member.added" },
      status: "ready",
      rows: 1842,
      bytes: 412377,
      file_name: "audit-events-org_01h455vb4pex5vsknk084sn02q-2026-01-15-084sn02q.csv",
      url: "https://api.muster.dev/v1/exports/exp_01h455vb4pex5vsknk084sn02q:download?signature=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJleHAifQ.c2ln",
      expires_at: "2026-01-15T14:45:00.000Z",
      error: null,
      attempts: 1,
      created_at: "2026-01-15T14:29:40.000Z",
      started_at: "2026-01-15T14:29:41.000Z",
      finished_at: "2026-01-15T14:29:47.000Z",
      deleted_at: "2026-01-22T14:29:40.000Z",
    },
  });

/** A job as POST /v1/exports answers it: queued. */
export const PENDING_EXPORT_JOB_EXAMPLE = {
  id: "exp_01h455vb4pex5vsknk084sn02q",
  object: "export",
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  resource: "audit-events",
  format: "csv",
  filters: { action: "member.added" },
  status: "pending",
  rows: null,
  bytes: null,
  file_name: null,
  url: null,
  expires_at: null,
  error: null,
  attempts: 0,
  created_at: "2026-01-15T14:29:40.000Z",
  started_at: null,
  finished_at: null,
  deleted_at: "2026-01-22T14:29:40.000Z",
};

/** A job as its owner sees it; a ready one with a fresh download link at `origin`. */
export async function presentExportJob(
  env: Env,
  origin: string,
  job: ExportJob,
): Promise<z.infer<typeof ExportJobSchema>> {
  const id = toTypeId(ID_PREFIX.export, job.id);
  const link =
    job.status === "ready"
      ? await signLinkToken(env, { purpose: DOWNLOAD_PURPOSE, subject: id, lifetimeSeconds: DOWNLOAD_LINK_SECONDS })
      : null;
  return {
    id,
    object: "export",
    organisation_id: toTypeId(ID_PREFIX.organisation, job.organisationId),
    resource: job.resource as z.infer<typeof ExportJobSchema>["resource"],
    format: job.format as z.infer<typeof ExportJobSchema>["format"],
    filters: job.filters as Record<string, string>,
    status: job.status,
    rows: job.rows,
    bytes: job.bytes,
    file_name: job.fileName,
    url: link ? `${origin}/v1/exports/${id}:download?signature=${link.token}` : null,
    expires_at: link ? link.expiresAt.toISOString() : null,
    error: job.errorCode && job.status !== "ready" ? { code: job.errorCode, message: job.errorMessage ?? "" } : null,
    attempts: job.attempts,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
    deleted_at: new Date(job.createdAt.getTime() + EXPORT_RETENTION_DAYS * 86_400_000).toISOString(),
  };
}

/** Whether a download link is good for the export `exportId` (a uuid): not forged, not expired, not another's. */
export async function linkOpens(env: Env, exportId: string, signature: string): Promise<boolean> {
  const subject = await verifyLinkToken(env, signature, DOWNLOAD_PURPOSE);
  return subject !== null && parseTypeId(ID_PREFIX.export, subject) === exportId;
}
