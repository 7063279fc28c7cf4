import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { listSchema, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { MEMBER_EXAMPLE, MemberSchema, memberFilters } from "./schemas";
import { listMembers } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/members",
  operationId: "listMembers",
  tags: ["Members"],
  summary: "List an organisation's members",
  description:
    "Any member or service account of the organisation. People pass `organisation_id`; a service account's " +
    "token implies it. Filter by `role_id`; ordered by id (oldest first), paged with `limit` and `cursor`.",
  access: {},
  request: {
    query: z.object({
      ...memberFilters,
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Members, oldest first.",
      content: {
        "application/json": {
          schema: listSchema(MemberSchema, "MemberList"),
          example: { object: "list", data: [MEMBER_EXAMPLE], has_more: false, next_cursor: null },
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...query } = c.req.valid("query");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(await listMembers(ctx, query), 200);
};
