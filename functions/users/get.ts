import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { presentUser, UserIdParams, UserSchema } from "./schemas";
import { readSelf, selfContext } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/users/{id}",
  operationId: "getUser",
  tags: ["Users"],
  summary: "A user by id: yourself only",
  description:
    "Answers `GET /v1/users/me` when `id` is yours; any other id is 404 (never 403), so nobody learns whether " +
    "another person exists or reads their profile. People only: a service account is 403.",
  access: { untenanted: true },
  errors: [403, 404],
  request: { params: UserIdParams },
  responses: { 200: { description: "You.", content: { "application/json": { schema: UserSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = selfContext(c, "A service account has no profile; this is for people.");
  return c.json(presentUser(await readSelf(ctx.db, ctx.principal, c.req.valid("param").id)), 200);
};
