import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { presentUser, UpdateMeBody, UserSchema } from "./schemas";
import { selfContext, updateProfile } from "./service";

export const route = defineRoute({
  method: "patch",
  path: "/v1/users/me",
  operationId: "updateMe",
  tags: ["Users"],
  summary: "Set my name and volunteer profile",
  description:
    "Fields left out stay as they are; the first PATCH that sets anything creates your profile. `skills` replaces " +
    "the whole matrix: an unknown skill, or a retired one you do not already hold, is 400 on `skills.<skill_id>`; " +
    "a level outside 1–5 is 400 on that skill. `availability` is validated like an opportunity's meeting times " +
    "(an IANA time zone; overlapping slots are 400 on `availability.slots.<n>`). `name` is your name everywhere " +
    "(a token's `name` claim no longer replaces it). Audited as `profile.updated` (the platform's trail: a " +
    "profile belongs to no organisation; email and phone are not recorded). A PATCH that changes nothing writes " +
    "nothing. People only: a service account is 403.",
  access: { scope: "create", untenanted: true },
  request: { body: { required: true, content: { "application/json": { schema: UpdateMeBody } } } },
  responses: { 200: { description: "You.", content: { "application/json": { schema: UserSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = selfContext(c, "A service account has no profile; this is for people.");
  return c.json(presentUser(await updateProfile(ctx, c.req.valid("json"))), 200);
};
