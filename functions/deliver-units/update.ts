import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { displayText } from "../platform/text";
import { reachDeliverUnitOpportunity } from "./reach";
import { DeliverUnitIdParams, DeliverUnitSchema, deliverUnitSlug, presentDeliverUnit } from "./schemas";
import { updateDeliverUnit } from "./service";

const UpdateDeliverUnitBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 })
      .optional()
      .openapi({ description: "The deliver unit's name: 1 to 100 characters on one line; HTML is stripped." }),
    slug: deliverUnitSlug().optional(),
    payment_unit_id: typeIdSchema(ID_PREFIX.payment_unit)
      .nullable()
      .optional()
      .openapi({ description: "A payment unit of the same opportunity (400 otherwise); `null` detaches it." }),
    optional: z.boolean().optional().openapi({ description: "Whether a worker may leave it out." }),
  })
  .openapi("UpdateDeliverUnit", { example: { name: "Household survey (long form)", optional: true } });

export const route = defineRoute({
  method: "patch",
  path: "/v1/deliver-units/{id}",
  operationId: "updateDeliverUnit",
  tags: ["Deliver units"],
  summary: "Change a deliver unit",
  description:
    "A slug another deliver unit of the opportunity has is 409 with `existing_id`; a payment unit of another " +
    "opportunity is 400 on `payment_unit_id`.",
  access: { scope: "create", permission: "opportunities:write" },
  errors: [409],
  request: {
    params: DeliverUnitIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateDeliverUnitBody } } },
  },
  responses: {
    200: { description: "The deliver unit.", content: { "application/json": { schema: DeliverUnitSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx, opportunity } = await reachDeliverUnitOpportunity(c, id);
  return c.json(presentDeliverUnit(await updateDeliverUnit(ctx, opportunity.id, id, c.req.valid("json"))), 200);
};
