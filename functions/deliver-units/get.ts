import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { deliverUnits } from "../../schema";
import { notFound } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachDeliverUnitOpportunity } from "./reach";
import { DeliverUnitIdParams, DeliverUnitSchema, presentDeliverUnit } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/deliver-units/{id}",
  operationId: "getDeliverUnit",
  tags: ["Deliver units"],
  summary: "Get a deliver unit",
  description: "A deliver unit of an opportunity the caller cannot reach is 404.",
  access: {},
  request: { params: DeliverUnitIdParams },
  responses: {
    200: { description: "The deliver unit.", content: { "application/json": { schema: DeliverUnitSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx, opportunity } = await reachDeliverUnitOpportunity(c, id);
  const [unit] = await ctx.db
    .select()
    .from(deliverUnits)
    .where(and(eq(deliverUnits.id, id), eq(deliverUnits.opportunityId, opportunity.id)));
  if (!unit) throw notFound("deliver unit");
  return c.json(presentDeliverUnit(unit), 200);
};
