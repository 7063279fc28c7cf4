import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { platformAdminContext } from "../platform/platform-admins";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import {
  DeliveryTypeSchema,
  deliveryTypeDescription,
  deliveryTypeName,
  deliveryTypeSlug,
  presentDeliveryType,
} from "./schemas";
import { createDeliveryType } from "./service";

const CreateDeliveryTypeBody = z
  .strictObject({
    slug: deliveryTypeSlug(),
    name: deliveryTypeName(),
    description: deliveryTypeDescription().default(""),
  })
  .openapi("CreateDeliveryType", {
    example: { slug: "remote-volunteering", name: "Remote volunteering", description: "Work done online." },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/delivery-types",
  operationId: "createDeliveryType",
  tags: ["Platform administration"],
  summary: "Add a delivery type to the catalog",
  description:
    "Platform administrators only. The slug is kebab-case (at most 50 characters) and unique: a slug already " +
    "taken is 409 with the `existing_id`. Recorded in the platform's audit trail as `delivery_type.created`.",
  access: { scope: "create", platformAdmin: true },
  request: { body: { required: true, content: { "application/json": { schema: CreateDeliveryTypeBody } } } },
  responses: {
    201: { description: "The delivery type.", content: { "application/json": { schema: DeliveryTypeSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await platformAdminContext(c);
  return c.json(presentDeliveryType(await createDeliveryType(ctx, c.req.valid("json"))), 201);
};
