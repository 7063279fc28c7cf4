import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachDeliverUnitOpportunity } from "./reach";
import { DeliverUnitIdParams } from "./schemas";
import { deleteDeliverUnit } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/deliver-units/{id}",
  operationId: "deleteDeliverUnit",
  tags: ["Deliver units"],
  summary: "Delete a deliver unit",
  description: "Either side that manages the opportunity may delete its deliver units; the deletion is audited.",
  access: { scope: "create", permission: "opportunities:write" },
  request: { params: DeliverUnitIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx, opportunity } = await reachDeliverUnitOpportunity(c, id);
  await deleteDeliverUnit(ctx, opportunity.id, id);
  return c.body(null, 204);
};
