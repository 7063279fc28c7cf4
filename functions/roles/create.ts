import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { roles } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { conflict } from "../platform/errors";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { assertMayGrantGlobalAccess, assertMayGrantPermissions } from "../platform/parity";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { GrantablePermission, presentRole, RoleSchema } from "./schemas";

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
  access: { scope: "create", permission: "roles:write" },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreateRoleBody } } } },
  responses: { 201: { description: "The role.", content: { "application/json": { schema: RoleSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  const ctx = await tenancy(c).enter(input.organisation_id);
  if (input.global_access) assertMayGrantGlobalAccess(ctx.caller);
  assertMayGrantPermissions(ctx.caller, input.permissions);
  const role = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(roles)
      .values({
        organisationId: ctx.caller.organisationId,
        name: input.name,
        description: input.description,
        permissions: [...new Set(input.permissions)],
        globalAccess: input.global_access,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw conflict(`A role named "${input.name}" already exists.`);
    await recordAudit(tx, ctx, {
      action: "role.created",
      resource: { type: "role", id: created.id, name: created.name },
      changes: diff(null, presentRole(created)),
    });
    return created;
  });
  return c.json(presentRole(role), 201);
};
