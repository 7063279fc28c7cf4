import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { memberships } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { permissionDenied } from "../platform/errors";
import { assertMayChangeMember } from "../platform/parity";
import { OWNER_ROLE_KEY } from "../platform/permissions";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { MemberIdParams, memberById, presentMember } from "./schemas";

export const route = defineRoute({
  method: "delete",
  path: "/v1/members/{id}",
  operationId: "deleteMember",
  tags: ["Members"],
  summary: "Remove a member, or leave the organisation",
  description: "Any member may remove themselves, except the owner, who transfers ownership first.",
  access: { scope: "create", permission: "members:write" },
  request: { params: MemberIdParams },
  responses: { 204: { description: "Removed." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(memberships, id, {
    what: "member",
    exempt: (row, caller) => row.id === caller.membershipId,
  });
  await ctx.db.transaction(async (tx) => {
    const before = await memberById(tx, id, { lock: true });
    const leaving = before.membership.id === ctx.caller.membershipId;
    if (leaving && before.role.key === OWNER_ROLE_KEY) {
      throw permissionDenied("The owner cannot leave; transfer ownership first.");
    }
    if (!leaving) assertMayChangeMember(ctx.caller, before.role);
    await tx.delete(memberships).where(eq(memberships.id, id));
    await recordAudit(tx, ctx, {
      action: leaving ? "member.left" : "member.removed",
      resource: { type: "member", id, name: before.user.email ?? before.user.name },
      changes: diff(presentMember(before), null),
    });
  });
  return c.body(null, 204);
};
