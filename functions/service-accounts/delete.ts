import type { RouteHandler } from "@hono/zod-openapi";
import { serviceAccounts } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { ServiceAccountIdParams } from "./schemas";
import { deleteServiceAccount } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/service-accounts/{id}",
  operationId: "deleteServiceAccount",
  tags: ["Service accounts"],
  summary: "Delete a service account and revoke its credentials",
  description:
    "Needs `service_accounts:write` and token scope `create`. Its credentials, access list, calendar feeds and " +
    "export jobs go with it; its tokens are refused (401) from the next request. Invitations it sent stay, " +
    "still naming it as their inviter.",
  access: { scope: "create", permission: "service_accounts:write" },
  request: { params: ServiceAccountIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  await deleteServiceAccount(ctx, id);
  return c.body(null, 204);
};
