import type { RouteHandler } from "@hono/zod-openapi";
import { exportJobs } from "../../schema";
import { notFound } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { ExportIdParams, ExportJobSchema, presentExportJob } from "./job-schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/{id}",
  operationId: "getExportJob",
  tags: ["Exports"],
  summary: "Get an export job",
  description:
    "Where the job stands: `pending`, `running`, `ready` (with `rows`, `bytes` and a signed `url`, fresh on every " +
    "read) or `failed` (with `error`). Only the person or service account that asked for it sees it; anyone else " +
    "gets 404.",
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { params: ExportIdParams },
  responses: { 200: { description: "The job.", content: { "application/json": { schema: ExportJobSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { row: job, ctx } = await tenancy(c).load(exportJobs, c.req.valid("param").id, { what: "export" });
  const own = ctx.caller.userId
    ? job.userId === ctx.caller.userId
    : job.serviceAccountId === ctx.caller.serviceAccountId;
  if (!own) throw notFound("export");
  return c.json(await presentExportJob(c.env, new URL(c.req.url).origin, job), 200);
};
