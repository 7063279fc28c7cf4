import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachProgram } from "./reach";
import { ProgramIdParams } from "./schemas";
import { deleteProgram } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/programs/{id}",
  operationId: "deleteProgram",
  tags: ["Programs"],
  summary: "Delete a program",
  description:
    "Refused with 409 while it has opportunities (`opportunity_id` names one) or an accepted application " +
    "(`application_id`). Its other applications (invited, applied, declined, rejected) and access grants go with it.",
  access: { scope: "create", permission: "programs:write" },
  errors: [409],
  request: { params: ProgramIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { program, ctx } = await reachProgram(c, c.req.valid("param").id);
  await deleteProgram(ctx, program.id);
  return c.body(null, 204);
};
