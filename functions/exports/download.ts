import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { exportJobs, organisations } from "../../schema";
import { MEMBER_EXAMPLE } from "../members/schemas";
import { ApiError, notFound } from "../platform/errors";
import { requireAllowedAddress } from "../platform/ip-allowlist";
import { effectivePlan } from "../platform/plans";
import { type AppEnv, clientAddress } from "../platform/request";
import { defineRoute } from "../platform/router";
import { exportContent, MAX_EXPORT_BYTES } from "./format";
import { ExportIdParams, linkOpens } from "./job-schemas";
import { EXPORT_SOURCES } from "./sources";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/{id}:download",
  operationId: "downloadExport",
  tags: ["Exports"],
  summary: "Download an export's file",
  description:
    "The file of a ready export job, streamed from storage. The link (`url` of `GET /v1/exports/{id}`) is its own " +
    "authorisation, so a browser or `curl` can fetch it without a token; it works for 15 minutes. A link that " +
    "is forged, expired or for another export is 403; so is one followed from an address the organisation's IP " +
    "allowlist does not admit (`ip_not_allowed`); an export deleted since is 404.",
  access: { public: true },
  errors: [404, 503],
  refusals: ["permission_denied", "ip_not_allowed"],
  request: {
    params: ExportIdParams,
    query: z.object({
      signature: z.string().min(1).max(2000).openapi({ description: "The signature the job's `url` carries." }),
    }),
  },
  responses: {
    200: {
      description: "The file.",
      headers: {
        "Content-Disposition": {
          description: "`attachment` and the file's name.",
          schema: { type: "string", maxLength: 200 },
        },
        "Content-Length": {
          description: "The file's size.",
          schema: { type: "integer", format: "int64", minimum: 0, maximum: MAX_EXPORT_BYTES },
        },
      },
      content: exportContent(EXPORT_SOURCES.members.item, MEMBER_EXAMPLE),
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id: exportId } = c.req.valid("param");
  if (!(await linkOpens(c.env, exportId, c.req.valid("query").signature)))
    throw new ApiError("permission_denied", "This download link is not valid (forged, expired or for another export).");
  const [job] = await c
    .get("db")
    .select({ objectKey: exportJobs.objectKey, organisation: organisations })
    .from(exportJobs)
    .innerJoin(organisations, eq(organisations.id, exportJobs.organisationId))
    .where(and(eq(exportJobs.id, exportId), eq(exportJobs.status, "ready")))
    .limit(1);
  // The link is a bearer of the organisation's data: its IP allowlist holds for whoever follows it.
  if (job) requireAllowedAddress(clientAddress(c), job.organisation.allowedIps, effectivePlan(job.organisation));
  const bucket = c.env.EXPORT_FILES;
  if (!bucket) throw new ApiError("service_unavailable", "Export files are not set up on this deployment.");
  const file = job?.objectKey ? await bucket.get(job.objectKey) : null;
  if (!file) throw notFound("export");
  const headers = new Headers({ "Cache-Control": "private, no-store", "Content-Length": String(file.size) });
  file.writeHttpMetadata(headers);
  headers.set("ETag", file.httpEtag);
  return new Response(file.body, { status: 200, headers }) as never;
};
