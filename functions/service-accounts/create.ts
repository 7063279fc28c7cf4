import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { presentServiceAccount, ServiceAccountSchema } from "./schemas";
import { createServiceAccount } from "./service";

const CreateServiceAccountBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation).optional(),
    name: displayText({ min: 1, max: 100 }),
    description: displayText({ max: 500, multiline: true }).default(""),
    role_id: typeIdSchema(ID_PREFIX.role),
  })
  .openapi("CreateServiceAccount");

export const route = defineRoute({
  method: "post",
  path: "/v1/service-accounts",
  operationId: "createServiceAccount",
  tags: ["Service accounts"],
  summary: "Create a service account",
  description: "Its role must be of the same organisation and must not have global access.",
  access: { scope: "create", permission: "service_accounts:write", quotas: ["service_accounts"] },
  request: { body: { required: true, content: { "application/json": { schema: CreateServiceAccountBody } } } },
  responses: {
    201: { description: "The service account.", content: { "application/json": { schema: ServiceAccountSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...input } = c.req.valid("json");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(presentServiceAccount(await createServiceAccount(ctx, input)), 201);
};
