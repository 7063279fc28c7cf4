import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { roles, serviceAccounts } from "../../schema";
import { diff, isEmpty, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { notFound, permissionDenied } from "../platform/errors";
import { assertMayGrantGlobalAccess, assertMayGrantPermissions } from "../platform/parity";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { GrantablePermission, presentRole, RoleIdParams, RoleSchema } from "./schemas";

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
  access: { scope: "create", permission: "roles:write" },
  errors: [409],
  request: {
    params: RoleIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateRoleBody } } },
  },
  responses: { 200: { description: "The role.", content: { "application/json": { schema: RoleSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const input = c.req.valid("json");
  const { ctx } = await tenancy(c).load(roles, id, { what: "role" });
  const updated = await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(roles).where(eq(roles.id, id)).for("update");
    if (!before) throw notFound("role");
    if (before.builtIn) throw permissionDenied("Built-in roles are read-only; create a custom role instead.");
    const globalAccess = input.global_access ?? before.globalAccess;
    if (before.globalAccess || globalAccess) assertMayGrantGlobalAccess(ctx.caller);
    if (input.permissions) {
      assertMayGrantPermissions(
        ctx.caller,
        input.permissions.filter((p) => !before.permissions.includes(p)),
      );
    }
    if (globalAccess && !before.globalAccess) {
      const [heldByServiceAccount] = await tx
        .select({ id: serviceAccounts.id })
        .from(serviceAccounts)
        .where(eq(serviceAccounts.roleId, id))
        .limit(1);
      if (heldByServiceAccount) {
        throw permissionDenied("Service accounts hold this role, so it cannot gain global access.");
      }
    }
    const next = {
      name: input.name ?? before.name,
      description: input.description ?? before.description,
      permissions: input.permissions ? [...new Set(input.permissions)] : before.permissions,
      globalAccess,
    };
    const changes = diff(presentRole(before), presentRole({ ...before, ...next }));
    if (isEmpty(changes)) return before;
    const [after] = await tx.update(roles).set(next).where(eq(roles.id, id)).returning();
    if (!after) throw notFound("role");
    await recordAudit(tx, ctx, {
      action: "role.updated",
      resource: { type: "role", id, name: after.name },
      changes,
    });
    return after;
  });
  return c.json(presentRole(updated), 200);
};
