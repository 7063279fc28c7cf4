import type { RouteHandler } from "@hono/zod-openapi";
import { platformAdminContext } from "../platform/platform-admins";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { DeliveryTypeIdParams } from "./schemas";
import { deleteDeliveryType } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/delivery-types/{id}",
  operationId: "deleteDeliveryType",
  tags: ["Platform administration"],
  summary: "Remove a delivery type nothing uses",
  description:
    "Platform administrators only. A delivery type a program or an opportunity uses is 409, naming one of " +
    "each (`program_id`, `opportunity_id`). Audited as `delivery_type.deleted` in the platform's trail.",
  access: { scope: "create", platformAdmin: true },
  errors: [404, 409],
  request: { params: DeliveryTypeIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await platformAdminContext(c);
  await deleteDeliveryType(ctx, c.req.valid("param").id);
  return c.body(null, 204);
};
