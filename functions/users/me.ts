import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { presentUser, UserSchema } from "./schemas";
import { readSelf, selfContext } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/users/me",
  operationId: "getMe",
  tags: ["Users"],
  summary: "Me, with my volunteer profile",
  description:
    "You as the API knows you (your email and phone come from your identity provider's token) and your volunteer " +
    "profile. Before your first `PATCH /v1/users/me` the profile is the empty one (`skills: {}`, " +
    "`discoverable: false`, `updated_at: null`). Your profile is yours alone: no other person and no organisation " +
    "reads it through any route. People only: a service account is 403.",
  access: { untenanted: true },
  errors: [403],
  responses: { 200: { description: "You.", content: { "application/json": { schema: UserSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = selfContext(c, "A service account has no profile; this is for people.");
  return c.json(presentUser(await readSelf(ctx.db, ctx.principal)), 200);
};
