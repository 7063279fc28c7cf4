import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { asc, gt } from "drizzle-orm";
import { deliveryTypes } from "../../schema";
import { ConditionalHeaders, cachedResponses, isNotModified } from "../platform/caching";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { DELIVERY_TYPE_EXAMPLE, DELIVERY_TYPES_MAX_AGE, DeliveryTypeSchema, presentDeliveryType } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/delivery-types",
  operationId: "listDeliveryTypes",
  tags: ["Reference data"],
  summary: "The delivery types programs and opportunities can name",
  description:
    "The global catalog platform administrators curate, oldest first; a program or opportunity names one by " +
    "its `slug`. A small catalog (`limit=100` fetches it whole), paginated like every list. Public and " +
    "cacheable (`Cache-Control: public, max-age=300`, a strong `ETag` per page; `If-None-Match` → 304).",
  access: { public: true },
  request: { query: z.object(paginationQuery), headers: ConditionalHeaders },
  responses: cachedResponses(
    listSchema(DeliveryTypeSchema, "DeliveryTypeList").openapi("DeliveryTypeList", {
      example: { object: "list", data: [DELIVERY_TYPE_EXAMPLE], has_more: false, next_cursor: null },
    }),
    "Delivery types.",
  ),
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const rows = await c
    .get("db")
    .select()
    .from(deliveryTypes)
    .where(after ? gt(deliveryTypes.id, after) : undefined)
    .orderBy(asc(deliveryTypes.id))
    .limit(query.limit + 1);
  const body = page(rows, query.limit, presentDeliveryType);
  if (await isNotModified(c, body, DELIVERY_TYPES_MAX_AGE)) return c.body(null, 304);
  return c.json(body, 200);
};
