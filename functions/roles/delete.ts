import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { memberships, roles, serviceAccounts } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { conflict, permissionDenied } from "../platform/errors";
import { assertMayGrantGlobalAccess } from "../platform/parity";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { presentRole, RoleIdParams } from "./schemas";

export const route = defineRoute({
  method: "delete",
  path: "/v1/roles/{id}",
  operationId: "deleteRole",
  tags: ["Roles"],
  summary: "Delete a custom role that nobody holds",
  access: { scope: "create", permission: "roles:write" },
  errors: [409],
  request: { params: RoleIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { row, ctx } = await tenancy(c).load(roles, id, { what: "role" });
  if (row.builtIn) throw permissionDenied("Built-in roles cannot be deleted.");
  if (row.globalAccess) assertMayGrantGlobalAccess(ctx.caller);
  await ctx.db.transaction(async (tx) => {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(eq(memberships.roleId, id))
      .limit(1);
    const [account] = await tx
      .select({ id: serviceAccounts.id })
      .from(serviceAccounts)
      .where(eq(serviceAccounts.roleId, id))
      .limit(1);
    if (member || account)
      throw conflict("The role is in use; move its members and service accounts to another role first.");
    // The foreign keys (ON DELETE RESTRICT) also stop a holder added after the check above.
    await tx.delete(roles).where(eq(roles.id, id));
    await recordAudit(tx, ctx, {
      action: "role.deleted",
      resource: { type: "role", id, name: row.name },
      changes: diff(presentRole(row), null),
    });
  });
  return c.body(null, 204);
};
