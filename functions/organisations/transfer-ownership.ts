import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { memberships, organisations, roles } from "../../schema";
import { MemberSchema, memberById, presentMember } from "../members/schemas";
import { recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { conflict, notFound, permissionDenied } from "../platform/errors";
import { ID_PREFIX, toTypeId, typeIdSchema } from "../platform/ids";
import { ADMIN_ROLE_KEY, OWNER_ROLE_KEY } from "../platform/permissions";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { OrganisationIdParams } from "./schemas";

const TransferOwnershipBody = z
  .strictObject({ member_id: typeIdSchema(ID_PREFIX.membership) })
  .openapi("TransferOwnership");

export const route = defineRoute({
  method: "post",
  path: "/v1/organisations/{id}:transfer-ownership",
  operationId: "transferOrganisationOwnership",
  tags: ["Organisations"],
  summary: "Make another member the owner; the current owner becomes an admin",
  description: "The only way the owner role moves. Only the owner may call it.",
  access: { scope: "admin", permission: "organisations:transfer" },
  errors: [409],
  request: {
    params: OrganisationIdParams,
    body: { required: true, content: { "application/json": { schema: TransferOwnershipBody } } },
  },
  responses: {
    200: { description: "The new owner.", content: { "application/json": { schema: MemberSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { member_id: targetId } = c.req.valid("json");
  const { ctx } = await tenancy(c).load(organisations, id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  const { caller } = ctx;
  if (!caller.membershipId || caller.roleKey !== OWNER_ROLE_KEY)
    throw permissionDenied("Only the owner can transfer ownership.");
  if (caller.membershipId === targetId) throw conflict("You are already the owner.");
  await ctx.db.transaction(async (tx) => {
    const builtIns = await tx
      .select()
      .from(roles)
      .where(and(ctx.scope(roles.organisationId), eq(roles.builtIn, true)));
    const ownerRole = builtIns.find((role) => role.key === OWNER_ROLE_KEY);
    const adminRole = builtIns.find((role) => role.key === ADMIN_ROLE_KEY);
    if (!ownerRole || !adminRole) throw new Error("built-in roles missing");
    const [target] = await tx
      .update(memberships)
      .set({ roleId: ownerRole.id })
      .where(and(eq(memberships.id, targetId), ctx.scope(memberships.organisationId)))
      .returning();
    if (!target) throw notFound("member");
    const [previous] = await tx
      .update(memberships)
      .set({ roleId: adminRole.id })
      .where(and(eq(memberships.id, caller.membershipId as string), eq(memberships.roleId, ownerRole.id)))
      .returning();
    // Someone else moved ownership first: roll back rather than end with two owners.
    if (!previous) throw conflict("Ownership changed while this request ran; reload and retry.");
    await recordAudit(tx, ctx, {
      action: "organisation.ownership_transferred",
      resource: { type: "organisation", id },
      changes: {
        owner_member_id: {
          old: toTypeId(ID_PREFIX.membership, previous.id),
          new: toTypeId(ID_PREFIX.membership, target.id),
        },
      },
    });
  });
  return c.json(presentMember(await memberById(ctx.db, targetId)), 200);
};
