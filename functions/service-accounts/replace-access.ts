import type { RouteHandler } from "@hono/zod-openapi";
import { serviceAccounts } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { ReplaceAccessListBody } from "../programs/grants";
import { presentServiceAccountAccess, ServiceAccountAccessListSchema, ServiceAccountIdParams } from "./schemas";
import { replaceServiceAccountAccess } from "./service";

export const route = defineRoute({
  method: "put",
  path: "/v1/service-accounts/{id}/access",
  operationId: "replaceServiceAccountAccess",
  tags: ["Service accounts"],
  summary: "Replace a service account's access list",
  description:
    "Declarative, like a member's: the body is the whole list, reconciled atomically and audited once as `service_account.access_replaced` with what was added and removed; the same list again writes nothing. Each program must be one the organisation runs or delivers under (an accepted application), else 400 on `programs`. A caller without global access (every service account) grants only programs they can reach themselves (403 naming the others) and replaces only that part of the list.",
  access: { scope: "create", permission: "service_accounts:write" },
  request: {
    params: ServiceAccountIdParams,
    body: { required: true, content: { "application/json": { schema: ReplaceAccessListBody } } },
  },
  errors: [409],
  responses: {
    200: {
      description: "The service account's access list as it now is.",
      content: { "application/json": { schema: ServiceAccountAccessListSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  const list = await replaceServiceAccountAccess(ctx, id, c.req.valid("json").programs);
  return c.json(presentServiceAccountAccess(id, ctx.organisationId, list), 200);
};
