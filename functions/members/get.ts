import type { RouteHandler } from "@hono/zod-openapi";
import { memberships } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { MemberIdParams, MemberSchema, memberById, presentMember } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/members/{id}",
  operationId: "getMember",
  tags: ["Members"],
  summary: "Get a member",
  description:
    "Any member or service account of the organisation: the person (id, email, name) and their role. A member " +
    "of another organisation is a 404.",
  access: {},
  request: { params: MemberIdParams },
  responses: { 200: { description: "The member.", content: { "application/json": { schema: MemberSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(memberships, id, { what: "member" });
  return c.json(presentMember(await memberById(ctx.db, id)), 200);
};
