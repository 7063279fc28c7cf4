import type { RouteHandler } from "@hono/zod-openapi";
import { roles } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { presentRole, RoleIdParams, RoleSchema } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/roles/{id}",
  operationId: "getRole",
  tags: ["Roles"],
  summary: "Get a role",
  description:
    "Any member or service account of the organisation: a built-in or custom role with its permissions. A role " +
    "of another organisation is a 404.",
  access: {},
  request: { params: RoleIdParams },
  responses: { 200: { description: "The role.", content: { "application/json": { schema: RoleSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { row } = await tenancy(c).load(roles, c.req.valid("param").id, { what: "role" });
  return c.json(presentRole(row), 200);
};
