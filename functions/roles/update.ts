import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { roles } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { GrantablePermission, presentRole, RoleIdParams, RoleSchema } from "./schemas";
import { updateRole } from "./service";

const UpdateRoleBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 }).optional(),
    description: displayText({ max: 500, multiline: true }).optional(),
    permissions: z.array(GrantablePermission).max(50).optional(),
    global_access: z.boolean().optional(),
  })
  .openapi("UpdateRole");

export const route = defineRoute({
  method: "patch",
  path: "/v1/roles/{id}",
  operationId: "updateRole",
  tags: ["Roles"],
  summary: "Change a custom role",
  description:
    "Built-in roles are read-only. A role held by service accounts cannot gain global access; only people with " +
    "global access change a global-access role.",
  access: { scope: "create", permission: "roles:write", feature: "custom_roles" },
  errors: [409],
  request: {
    params: RoleIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateRoleBody } } },
  },
  responses: { 200: { description: "The role.", content: { "application/json": { schema: RoleSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(roles, id, { what: "role" });
  return c.json(presentRole(await updateRole(ctx, id, c.req.valid("json"))), 200);
};
