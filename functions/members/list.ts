import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { memberships } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { MemberSchema, presentMember, selectMembers } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/members",
  operationId: "listMembers",
  tags: ["Members"],
  summary: "List an organisation's members",
  access: {},
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation)
        .optional()
        .openapi({ description: "Required for people; a service account's token implies it." }),
      role_id: typeIdSchema(ID_PREFIX.role).optional(),
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Members, oldest first.",
      content: { "application/json": { schema: listSchema(MemberSchema, "MemberList") } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const ctx = await tenancy(c).enter(query.organisation_id);
  const conditions: SQL[] = [ctx.scope(memberships.organisationId)];
  if (query.role_id) conditions.push(eq(memberships.roleId, query.role_id));
  if (after) conditions.push(gt(memberships.id, after));
  const rows = await selectMembers(ctx.db)
    .where(and(...conditions))
    .orderBy(asc(memberships.id))
    .limit(query.limit + 1);
  return c.json(
    page(
      rows.map((row) => ({ ...row, id: row.membership.id })),
      query.limit,
      presentMember,
    ),
    200,
  );
};
