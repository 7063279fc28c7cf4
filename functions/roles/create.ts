import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { GrantablePermission, presentRole, RoleSchema } from "./schemas";
import { createRole } from "./service";

const CreateRoleBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation).optional(),
    name: displayText({ min: 1, max: 100 }),
    description: displayText({ max: 500, multiline: true }).default(""),
    permissions: z.array(GrantablePermission).max(50).default([]),
    global_access: z.boolean().default(false),
  })
  .openapi("CreateRole");

export const route = defineRoute({
  method: "post",
  path: "/v1/roles",
  operationId: "createRole",
  tags: ["Roles"],
  summary: "Create a custom role",
  access: { scope: "create", permission: "roles:write", feature: "custom_roles", quotas: ["custom_roles"] },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreateRoleBody } } } },
  responses: { 201: { description: "The role.", content: { "application/json": { schema: RoleSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...input } = c.req.valid("json");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(presentRole(await createRole(ctx, input)), 201);
};
