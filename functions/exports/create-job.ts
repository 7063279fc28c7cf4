import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute, fieldErrors } from "../platform/router";
import { CreateExportJobBody, ExportJobSchema, PENDING_EXPORT_JOB_EXAMPLE, presentExportJob } from "./job-schemas";
import { EXPORT_RETENTION_DAYS, requestExportJob } from "./jobs";
import { EXPORT_SOURCES } from "./sources";

export const route = defineRoute({
  method: "post",
  path: "/v1/exports",
  operationId: "createExportJob",
  tags: ["Exports"],
  summary: "Export a large list as a job",
  description:
    "Queues an export of a list (the same rows, filters and rules as its streamed `GET /v1/exports/{resource}`) " +
    "and answers at once with the job, `pending`. A consumer writes the file in parts to storage, as the caller " +
    "stands when it runs; `GET /v1/exports/{id}` then says `ready` and gives a signed download link. The plan's " +
    "`export_jobs` quota bounds how many of the organisation's jobs are queued or running at once. Only the " +
    `caller sees the job. Jobs and files are deleted after ${EXPORT_RETENTION_DAYS} days. The request is audited ` +
    "(`export.requested`), and the file when written (`export.created`, with its rows).",
  access: { scope: "export", permission: "exports:read", feature: "export", quotas: ["export_jobs"] },
  errors: [503],
  request: { body: { required: true, content: { "application/json": { schema: CreateExportJobBody } } } },
  responses: {
    202: {
      description: "Queued.",
      headers: {
        Location: { description: "The job: `/v1/exports/{id}`.", schema: { type: "string", maxLength: 200 } },
      },
      content: { "application/json": { schema: ExportJobSchema, example: PENDING_EXPORT_JOB_EXAMPLE } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, resource, format, filters } = c.req.valid("json");
  const source = EXPORT_SOURCES[resource];
  // The list's query parameters, as a query would carry them.
  const given: Record<string, string> = Object.fromEntries(
    Object.entries(filters).map(([name, value]) => [name, String(value)]),
  );
  const takesOrganisation = "organisation_id" in source.filters.shape;
  if ("organisation_id" in given) {
    throw validationError({ "filters.organisation_id": ["goes beside the filters, as organisation_id"] });
  }
  if (organisation_id && !takesOrganisation) {
    throw validationError({ organisation_id: [`is not taken by ${resource} exports: filters.opportunity_id decides`] });
  }
  // Validated into a uuid; the filters keep what a query would say.
  const query = organisation_id
    ? { ...given, organisation_id: toTypeId(ID_PREFIX.organisation, organisation_id) }
    : given;
  const checked = z.object({ filters: source.filters.strict() }).safeParse({ filters: query });
  if (!checked.success) throw validationError(fieldErrors(checked.error));
  const job = await requestExportJob(c, { resource, format, filters: query });
  const body = await presentExportJob(c.env, new URL(c.req.url).origin, job);
  return c.json(body, 202, { Location: `/v1/exports/${body.id}` });
};
