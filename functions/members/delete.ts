import type { RouteHandler } from "@hono/zod-openapi";
import { memberships } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { MemberIdParams } from "./schemas";
import { removeMember } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/members/{id}",
  operationId: "deleteMember",
  tags: ["Members"],
  summary: "Remove a member, or leave the organisation",
  description:
    "Removing someone else needs `members:write` and token scope `create`; the owner cannot be removed (403), " +
    "and a member whose role has global access is removed only by someone who has it (403). Any member may " +
    "remove themselves, except the owner, who transfers ownership first. Their program grants go with them.",
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
  await removeMember(ctx, id);
  return c.body(null, 204);
};
