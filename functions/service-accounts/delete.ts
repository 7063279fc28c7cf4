import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { serviceAccounts } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { presentServiceAccount, ServiceAccountIdParams, serviceAccountById } from "./schemas";

export const route = defineRoute({
  method: "delete",
  path: "/v1/service-accounts/{id}",
  operationId: "deleteServiceAccount",
  tags: ["Service accounts"],
  summary: "Delete a service account and revoke its credentials",
  access: { scope: "create", permission: "service_accounts:write" },
  request: { params: ServiceAccountIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  await ctx.db.transaction(async (tx) => {
    const before = await serviceAccountById(tx, id, { lock: true });
    await tx.delete(serviceAccounts).where(eq(serviceAccounts.id, id));
    await recordAudit(tx, ctx, {
      action: "service_account.deleted",
      resource: { type: "service_account", id, name: before.account.name },
      changes: diff(presentServiceAccount(before), null),
    });
  });
  return c.body(null, 204);
};
