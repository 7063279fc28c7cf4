import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { memberships, roles } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { notFound, validationError } from "../platform/errors";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { assertMayChangeMember, assertMayGrantPermissions } from "../platform/parity";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { MemberIdParams, MemberSchema, memberById, presentMember } from "./schemas";

const UpdateMemberBody = z.strictObject({ role_id: typeIdSchema(ID_PREFIX.role) }).openapi("UpdateMember");

export const route = defineRoute({
  method: "patch",
  path: "/v1/members/{id}",
  operationId: "updateMember",
  tags: ["Members"],
  summary: "Change a member's role",
  description:
    "Parity rules apply: the owner's role moves only by ownership transfer; global access is granted or changed only by people who have it.",
  access: { scope: "create", permission: "members:write" },
  request: {
    params: MemberIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateMemberBody } } },
  },
  responses: { 200: { description: "The member.", content: { "application/json": { schema: MemberSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { role_id: roleId } = c.req.valid("json");
  const { ctx } = await tenancy(c).load(memberships, id, { what: "member" });
  await ctx.db.transaction(async (tx) => {
    const before = await memberById(tx, id, { lock: true });
    // FOR SHARE: the role cannot gain global access between this check and the commit.
    const [nextRole] = await tx
      .select()
      .from(roles)
      .where(and(eq(roles.id, roleId), ctx.scope(roles.organisationId)))
      .for("share");
    if (!nextRole) throw validationError({ role_id: ["is not a role of this organisation"] });
    assertMayChangeMember(ctx.caller, before.role, nextRole);
    assertMayGrantPermissions(ctx.caller, nextRole.permissions);
    if (nextRole.id === before.role.id) return;
    const [updated] = await tx.update(memberships).set({ roleId }).where(eq(memberships.id, id)).returning();
    if (!updated) throw notFound("member");
    await recordAudit(tx, ctx, {
      action: "member.role_changed",
      resource: { type: "member", id, name: before.user.email ?? before.user.name },
      changes: diff(presentMember(before), presentMember({ ...before, membership: updated, role: nextRole })),
    });
  });
  return c.json(presentMember(await memberById(ctx.db, id)), 200);
};
