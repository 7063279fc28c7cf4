import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { platformAdminContext } from "../platform/platform-admins";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import {
  DeliveryTypeIdParams,
  DeliveryTypeSchema,
  deliveryTypeDescription,
  deliveryTypeName,
  deliveryTypeSlug,
  presentDeliveryType,
} from "./schemas";
import { updateDeliveryType } from "./service";

const UpdateDeliveryTypeBody = z
  .strictObject({
    slug: deliveryTypeSlug().optional(),
    name: deliveryTypeName().optional(),
    description: deliveryTypeDescription().optional(),
  })
  .openapi("UpdateDeliveryType", { example: { name: "Field work", description: "Work done on site." } });

export const route = defineRoute({
  method: "patch",
  path: "/v1/delivery-types/{id}",
  operationId: "updateDeliveryType",
  tags: ["Platform administration"],
  summary: "Change a delivery type",
  description:
    "Platform administrators only. A new slug must be free (409 with the `existing_id`); programs and " +
    "opportunities keep their delivery type (they refer to it by id) and show its new slug. A PATCH that " +
    "changes nothing writes nothing. Audited as `delivery_type.updated` in the platform's trail.",
  access: { scope: "create", platformAdmin: true },
  errors: [404, 409],
  request: {
    params: DeliveryTypeIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateDeliveryTypeBody } } },
  },
  responses: {
    200: { description: "The delivery type.", content: { "application/json": { schema: DeliveryTypeSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await platformAdminContext(c);
  const row = await updateDeliveryType(ctx, c.req.valid("param").id, c.req.valid("json"));
  return c.json(presentDeliveryType(row), 200);
};
