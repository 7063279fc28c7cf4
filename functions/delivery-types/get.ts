import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { deliveryTypes } from "../../schema";
import { ConditionalHeaders, cachedResponses, isNotModified } from "../platform/caching";
import { notFound } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { DELIVERY_TYPES_MAX_AGE, DeliveryTypeIdParams, DeliveryTypeSchema, presentDeliveryType } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/delivery-types/{id}",
  operationId: "getDeliveryType",
  tags: ["Reference data"],
  summary: "Get a delivery type",
  description:
    "Public and cacheable (`Cache-Control: public, max-age=300`, a strong `ETag`; `If-None-Match` → 304). " +
    "An unknown id is 404.",
  access: { public: true },
  errors: [404],
  request: { params: DeliveryTypeIdParams, headers: ConditionalHeaders },
  responses: cachedResponses(DeliveryTypeSchema, "The delivery type."),
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const [row] = await c
    .get("db")
    .select()
    .from(deliveryTypes)
    .where(eq(deliveryTypes.id, c.req.valid("param").id))
    .limit(1);
  if (!row) throw notFound("delivery type");
  const body = presentDeliveryType(row);
  if (await isNotModified(c, body, DELIVERY_TYPES_MAX_AGE)) return c.body(null, 304);
  return c.json(body, 200);
};
