import type { RouteHandler } from "@hono/zod-openapi";
import { dispatch } from "../platform/outbox";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachApplication } from "./reach";
import { ApplicationIdParams, ProgramApplicationSchema, presentApplication } from "./schemas";
import { moveApplication, TRANSITIONS } from "./service";

export const route = defineRoute({
  method: "post",
  path: "/v1/program-applications/{id}:decline",
  operationId: "declineProgramApplication",
  tags: ["Program applications"],
  summary: "Decline an invitation to a program",
  description:
    "By the invited organisation (`programs:write` in it), from `invited`; it can be invited again later. Any other status is 409 naming it (`status`). Audited in the acting organisation's trail.",
  access: { scope: "create", permission: "programs:write" },
  request: { params: ApplicationIdParams },
  responses: {
    200: {
      description: "The application.",
      content: { "application/json": { schema: ProgramApplicationSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { view, ctx } = await reachApplication(c, c.req.valid("param").id, TRANSITIONS.decline.side);
  const written = await moveApplication(ctx, view, "decline");
  await dispatch(c.env, written.outboxIds);
  return c.json(presentApplication(written.view), 200);
};
