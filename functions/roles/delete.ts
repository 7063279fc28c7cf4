import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq, gt, sql } from "drizzle-orm";
import { invitations, memberships, roles, serviceAccounts } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { conflict, permissionDenied } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
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
    // Locked first: an invitation being made with this role (which share-locks it) finishes before the check.
    await tx.select({ id: roles.id }).from(roles).where(eq(roles.id, id)).for("update");
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
    const [invitation] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.roleId, id), eq(invitations.status, "pending"), gt(invitations.expiresAt, sql`now()`)))
      .limit(1);
    if (member || account || invitation) {
      throw conflict(
        "The role is in use; move its members and service accounts to another role, and cancel its pending " +
          "invitations, first.",
        {
          ...(member ? { member_id: toTypeId(ID_PREFIX.membership, member.id) } : {}),
          ...(account ? { service_account_id: toTypeId(ID_PREFIX.service_account, account.id) } : {}),
          ...(invitation ? { invitation_id: toTypeId(ID_PREFIX.invitation, invitation.id) } : {}),
        },
      );
    }
    // Memberships and service accounts keep it by foreign key (RESTRICT); past invitations lose it (SET NULL).
    await tx.delete(roles).where(eq(roles.id, id));
    await recordAudit(tx, ctx, {
      action: "role.deleted",
      resource: { type: "role", id, name: row.name },
      changes: diff(presentRole(row), null),
    });
  });
  return c.body(null, 204);
};
