import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { memberships } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { MemberIdParams, MemberSchema, memberById, presentMember } from "./schemas";
import { changeMemberRole } from "./service";

const UpdateMemberBody = z
  .strictObject({
    role_id: typeIdSchema(ID_PREFIX.role).openapi({
      description:
        "The member's new role (`role_...`), built-in or custom, of this organisation (else 400); never `owner`.",
    }),
  })
  .openapi("UpdateMember", { example: { role_id: "role_01h455vb4pex5vsknk084sn02q" } });

export const route = defineRoute({
  method: "patch",
  path: "/v1/members/{id}",
  operationId: "updateMember",
  tags: ["Members"],
  summary: "Change a member's role",
  description:
    "Needs `members:write` and token scope `create`. Parity rules apply: the owner's role moves only by ownership transfer (403); global access is granted or changed only by people who have it (403); nobody gives a role with permissions they do not hold themselves, unless they have global access (403). The same role again changes nothing.",
  access: { scope: "create", permission: "members:write" },
  request: {
    params: MemberIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateMemberBody } } },
  },
  responses: { 200: { description: "The member.", content: { "application/json": { schema: MemberSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(memberships, id, { what: "member" });
  await changeMemberRole(ctx, id, c.req.valid("json").role_id);
  // Read back whole (the user's current name and email), as GET shows it.
  return c.json(presentMember(await memberById(ctx.db, id)), 200);
};
