import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachProgram } from "./reach";
import { ProgramIdParams, ProgramSchema, presentProgram } from "./schemas";
import { viewOf } from "./views";

export const route = defineRoute({
  method: "get",
  path: "/v1/programs/{id}",
  operationId: "getProgram",
  tags: ["Programs"],
  summary: "Get a program",
  description:
    "Readable by its organisation's members (within their access list, unless their role has global access) " +
    "and by members of an organisation with an application to it; anyone else gets 404.",
  access: {},
  request: { params: ProgramIdParams },
  responses: { 200: { description: "The program.", content: { "application/json": { schema: ProgramSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { program, ctx } = await reachProgram(c, c.req.valid("param").id);
  return c.json(presentProgram(await viewOf(ctx.db, program)), 200);
};
