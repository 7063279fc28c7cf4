import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachApplication } from "./reach";
import { ApplicationIdParams, ProgramApplicationSchema, presentApplication } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/program-applications/{id}",
  operationId: "getProgramApplication",
  tags: ["Program applications"],
  summary: "Get a program application",
  description:
    "Readable by the invited organisation and by the program's (within the caller's access list); 404 for " +
    "anyone else.",
  access: {},
  request: { params: ApplicationIdParams },
  responses: {
    200: {
      description: "The application.",
      content: { "application/json": { schema: ProgramApplicationSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { view } = await reachApplication(c, c.req.valid("param").id);
  return c.json(presentApplication(view), 200);
};
