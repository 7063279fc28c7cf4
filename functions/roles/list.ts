import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, gt, type SQL } from "drizzle-orm";
import { roles } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { presentRole, ROLE_EXAMPLE, RoleSchema } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/roles",
  operationId: "listRoles",
  tags: ["Roles"],
  summary: "List an organisation's roles, built-in and custom",
  description:
    "Any member or service account of the organisation. The five built-in roles (owner, admin, manager, member, " +
    "viewer) and the organisation's custom ones, ordered by id, paged with `limit` and `cursor`.",
  access: {},
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation)
        .optional()
        .openapi({ description: "Required for people; a service account's token implies it." }),
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Roles.",
      content: {
        "application/json": {
          schema: listSchema(RoleSchema, "RoleList"),
          example: { object: "list", data: [ROLE_EXAMPLE], has_more: false, next_cursor: null },
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const ctx = await tenancy(c).enter(query.organisation_id);
  const conditions: SQL[] = [ctx.scope(roles.organisationId)];
  if (after) conditions.push(gt(roles.id, after));
  const rows = await ctx.db
    .select()
    .from(roles)
    .where(and(...conditions))
    .orderBy(asc(roles.id))
    .limit(query.limit + 1);
  return c.json(page(rows, query.limit, presentRole), 200);
};
