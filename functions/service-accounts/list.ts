import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, gt, type SQL } from "drizzle-orm";
import { serviceAccounts } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { presentServiceAccount, SERVICE_ACCOUNT_EXAMPLE, ServiceAccountSchema, selectServiceAccounts } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/service-accounts",
  operationId: "listServiceAccounts",
  tags: ["Service accounts"],
  summary: "List an organisation's service accounts",
  description:
    "Any member or service account of the organisation, ordered by id (oldest first), paged with `limit` and " +
    "`cursor`.",
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
      description: "Service accounts, oldest first.",
      content: {
        "application/json": {
          schema: listSchema(ServiceAccountSchema, "ServiceAccountList"),
          example: { object: "list", data: [SERVICE_ACCOUNT_EXAMPLE], has_more: false, next_cursor: null },
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const ctx = await tenancy(c).enter(query.organisation_id);
  const conditions: SQL[] = [ctx.scope(serviceAccounts.organisationId)];
  if (after) conditions.push(gt(serviceAccounts.id, after));
  const rows = await selectServiceAccounts(ctx.db)
    .where(and(...conditions))
    .orderBy(asc(serviceAccounts.id))
    .limit(query.limit + 1);
  return c.json(
    page(
      rows.map((row) => ({ ...row, id: row.account.id })),
      query.limit,
      presentServiceAccount,
    ),
    200,
  );
};
