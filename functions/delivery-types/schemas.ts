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
    .openapi({
      minLength: 1,
      maxLength: 50,
      pattern: SLUG.source,
      example: "field-work",
      description: "Kebab-case: lower-case letters and digits joined by single hyphens, at most 50 characters.",
    });

export const DELIVERY_TYPE_EXAMPLE = {
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
    id: typeIdOut(ID_PREFIX.delivery_type).openapi({ description: "The delivery type's id (`dt_...`)." }),
    object: z.literal("delivery_type").openapi({ description: "Always `delivery_type`." }),
    slug: z.string().max(50).openapi({ description: "What programs and opportunities send as `delivery_type`." }),
    name: z.string().max(100).openapi({ description: "Its display name." }),
    description: z.string().max(500).openapi({ description: "Empty when there is none." }),
    created_at: timestampOut().openapi({ description: "When it was added to the catalog." }),
    updated_at: timestampOut().openapi({ description: "When it last changed." }),
  })
  .openapi("DeliveryType", { example: DELIVERY_TYPE_EXAMPLE });

export const DeliveryTypeIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.delivery_type).openapi({
    param: { name: "id", in: "path" },
    description: "The delivery type's id (`dt_...`).",
  }),
});

export const deliveryTypeName = () =>
  displayText({ min: 1, max: 100 }).openapi({ description: "Its display name, 1-100 characters, one line." });
export const deliveryTypeDescription = () =>
  displayText({ max: 500, multiline: true }).openapi({ description: "What it covers, up to 500 characters." });

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
