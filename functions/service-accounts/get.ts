import type { RouteHandler } from "@hono/zod-openapi";
import { serviceAccounts } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { presentServiceAccount, ServiceAccountIdParams, ServiceAccountSchema, serviceAccountById } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/service-accounts/{id}",
  operationId: "getServiceAccount",
  tags: ["Service accounts"],
  summary: "Get a service account",
  description:
    "Any member or service account of the organisation: its name, description and role (credentials are " +
    "listed under /credentials). One of another organisation is a 404.",
  access: {},
  request: { params: ServiceAccountIdParams },
  responses: {
    200: { description: "The service account.", content: { "application/json": { schema: ServiceAccountSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  return c.json(presentServiceAccount(await serviceAccountById(ctx.db, id)), 200);
};
