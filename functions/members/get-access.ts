import type { RouteHandler } from "@hono/zod-openapi";
import { memberships } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { readAccessList } from "../programs/grants";
import { MemberAccessListSchema, MemberIdParams, presentMemberAccess } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/members/{id}/access",
  operationId: "getMemberAccess",
  tags: ["Members"],
  summary: "Get a member's access list",
  description:
    "The programs a member without global access may reach: those programs, the managed opportunities under them and their units. Standalone opportunities are visible to every member whatever the list. A caller without global access sees only the part of the list they can reach themselves.",
  access: {},
  request: { params: MemberIdParams },
  responses: {
    200: {
      description: "The member's access list.",
      content: { "application/json": { schema: MemberAccessListSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { row, ctx } = await tenancy(c).load(memberships, id, { what: "member" });
  const list = await readAccessList(ctx.db, ctx.caller, { kind: "member", id }, row.roleId);
  return c.json(presentMemberAccess(id, ctx.organisationId, list), 200);
};
