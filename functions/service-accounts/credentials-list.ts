import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { serviceAccountCredentials, serviceAccounts } from "../../schema";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { CREDENTIAL_EXAMPLE, CredentialSchema, presentCredential, ServiceAccountIdParams } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/service-accounts/{id}/credentials",
  operationId: "listServiceAccountCredentials",
  tags: ["Service accounts"],
  summary: "List a service account's credentials (never their secrets)",
  description:
    "Needs `service_accounts:write`. Each credential's name, scopes, expiry, last use and the last characters " +
    "of its secret; the secret itself is shown only when issued. Ordered by id (oldest first).",
  access: { permission: "service_accounts:write" },
  request: { params: ServiceAccountIdParams, query: z.object(paginationQuery) },
  responses: {
    200: {
      description: "Credentials, oldest first.",
      content: {
        "application/json": {
          schema: listSchema(CredentialSchema, "ServiceAccountCredentialList"),
          example: { object: "list", data: [CREDENTIAL_EXAMPLE], has_more: false, next_cursor: null },
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const after = decodeCursor(cursor);
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  const conditions: SQL[] = [
    ctx.scope(serviceAccountCredentials.organisationId),
    eq(serviceAccountCredentials.serviceAccountId, id),
  ];
  if (after) conditions.push(gt(serviceAccountCredentials.id, after));
  const rows = await ctx.db
    .select()
    .from(serviceAccountCredentials)
    .where(and(...conditions))
    .orderBy(asc(serviceAccountCredentials.id))
    .limit(limit + 1);
  return c.json(page(rows, limit, presentCredential), 200);
};
