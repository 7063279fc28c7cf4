import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { invitations, roles } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { conflict, notFound } from "../platform/errors";
import { supersedePending } from "../platform/outbox";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { effectiveStatus, InvitationIdParams, InvitationSchema, presentInvitation } from "./schemas";
import { assertMayInviteTo } from "./service";

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations/{id}:cancel",
  operationId: "cancelInvitation",
  tags: ["Invitations"],
  summary: "Cancel a pending invitation",
  description:
    "Its code stops working at once; an undelivered message is dropped. Not pending: 409. As for :resend, only " +
    "someone who may invite to its role may cancel it (a global-access role takes global access): else 403.",
  access: { scope: "create", permission: "invitations:write" },
  request: { params: InvitationIdParams },
  responses: { 200: { description: "The invitation.", content: { "application/json": { schema: InvitationSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(invitations, id, { what: "invitation" });
  const presented = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ invitation: invitations, role: roles })
      .from(invitations)
      .leftJoin(roles, eq(roles.id, invitations.roleId))
      .where(eq(invitations.id, id))
      .for("update", { of: invitations });
    if (!row) throw notFound("invitation");
    const status = effectiveStatus(row.invitation);
    if (status !== "pending") throw conflict(`The invitation is ${status}; only pending invitations can be cancelled.`);
    // A pending invitation whose role was deleted since is anyone's to clean up.
    if (row.role) assertMayInviteTo({ kind: "caller", caller: ctx.caller }, row.role);
    const [after] = await tx
      .update(invitations)
      .set({ status: "cancelled", cancelledAt: new Date() })
      .where(eq(invitations.id, id))
      .returning();
    if (!after) throw notFound("invitation");
    await supersedePending(tx, id);
    const before = presentInvitation(row.invitation, row.role);
    const result = presentInvitation(after, row.role);
    await recordAudit(tx, ctx, {
      action: "invitation.cancelled",
      resource: { type: "invitation", id, name: after.email ?? after.phone },
      changes: diff(before, result),
    });
    return result;
  });
  return c.json(presented, 200);
};
