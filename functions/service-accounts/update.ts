import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { serviceAccounts } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { presentServiceAccount, ServiceAccountIdParams, ServiceAccountSchema } from "./schemas";
import { updateServiceAccount } from "./service";

const UpdateServiceAccountBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 }).optional(),
    description: displayText({ max: 500, multiline: true }).optional(),
    role_id: typeIdSchema(ID_PREFIX.role).optional(),
  })
  .openapi("UpdateServiceAccount");

export const route = defineRoute({
  method: "patch",
  path: "/v1/service-accounts/{id}",
  operationId: "updateServiceAccount",
  tags: ["Service accounts"],
  summary: "Rename a service account or change its role",
  access: { scope: "create", permission: "service_accounts:write" },
  request: {
    params: ServiceAccountIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateServiceAccountBody } } },
  },
  responses: {
    200: { description: "The service account.", content: { "application/json": { schema: ServiceAccountSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  return c.json(presentServiceAccount(await updateServiceAccount(ctx, id, c.req.valid("json"))), 200);
};
