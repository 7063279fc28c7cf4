import { z } from "@hono/zod-openapi";
import type { DeliveryType } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { displayText } from "../platform/text";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** How programs and opportunities name a delivery type: kebab-case, at most 50 characters. */
export const deliveryTypeSlug = () =>
  z
    .string()
    .max(50, "must be at most 50 characters")
    .regex(SLUG, 'must be kebab-case: lower-case letters and digits joined by single hyphens ("field-work")')
    .openapi({ minLength: 1, maxLength: 50, pattern: SLUG.source, example: "field-work" });

const example = {
  id: "dt_01h455vb4pex5vsknk084sn02q",
  object: "delivery_type",
  slug: "field-work",
  name: "Field work",
  description: "Work done on site: surveys, visits, installations.",
  created_at: "2026-01-31T12:00:00.000Z",
  updated_at: "2026-01-31T12:00:00.000Z",
};

export const DeliveryTypeSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.delivery_type),
    object: z.literal("delivery_type"),
    slug: z.string().max(50).openapi({ description: "What programs and opportunities send as `delivery_type`." }),
    name: z.string().max(100),
    description: z.string().max(500).openapi({ description: "Empty when there is none." }),
    created_at: timestampOut(),
    updated_at: timestampOut(),
  })
  .openapi("DeliveryType", { example });

export const DeliveryTypeIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.delivery_type).openapi({ param: { name: "id", in: "path" } }),
});

export const deliveryTypeName = () => displayText({ min: 1, max: 100 });
export const deliveryTypeDescription = () => displayText({ max: 500, multiline: true });

export function presentDeliveryType(row: DeliveryType) {
  return {
    id: toTypeId(ID_PREFIX.delivery_type, row.id),
    object: "delivery_type" as const,
    slug: row.slug,
    name: row.name,
    description: row.description,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Public catalog responses may be cached this long (the ETag makes revalidation cheap after an edit). */
export const DELIVERY_TYPES_MAX_AGE = 300;
