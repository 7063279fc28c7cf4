import type { RouteHandler } from "@hono/zod-openapi";
import { serviceAccounts } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { readAccessList } from "../programs/grants";
import { presentServiceAccountAccess, ServiceAccountAccessListSchema, ServiceAccountIdParams } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/service-accounts/{id}/access",
  operationId: "getServiceAccountAccess",
  tags: ["Service accounts"],
  summary: "Get a service account's access list",
  description:
    "The programs the service account may reach (service accounts never have global access): those programs, the managed opportunities under them and their units. A caller without global access sees only the part of the list they can reach themselves.",
  access: {},
  request: { params: ServiceAccountIdParams },
  responses: {
    200: {
      description: "The service account's access list.",
      content: { "application/json": { schema: ServiceAccountAccessListSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { row, ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  const list = await readAccessList(ctx.db, ctx.caller, { kind: "service_account", id }, row.roleId);
  return c.json(presentServiceAccountAccess(id, ctx.organisationId, list), 200);
};
