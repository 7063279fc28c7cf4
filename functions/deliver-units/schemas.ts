import { z } from "@hono/zod-openapi";
import type { DeliverUnit } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A deliver unit's key within its opportunity: kebab-case, at most 50 characters. */
export const deliverUnitSlug = () =>
  z
    .string()
    .max(50, "must be at most 50 characters")
    .regex(SLUG, 'must be kebab-case: lower-case letters and digits in words joined by "-"')
    .openapi({
      description:
        'The deliver unit\'s key, unique within the opportunity (409 with `existing_id` otherwise): kebab-case ("household-survey"), at most 50 characters.',
      example: "household-survey",
      pattern: SLUG.source,
      maxLength: 50,
    });

/** A deliver unit as the API shows it (the example of its schema and of its list). */
const DELIVER_UNIT_EXAMPLE = {
  id: "du_01h455vb4pex5vsknk084sn02q",
  object: "deliver_unit" as const,
  opportunity_id: "opp_01h455vb4pex5vsknk084sn02q",
  payment_unit_id: "pu_01h455vb4pex5vsknk084sn02q",
  name: "Household survey form",
  slug: "household-survey",
  optional: false,
  created_at: "2026-11-05T12:30:00.000Z",
  updated_at: "2026-11-05T12:30:00.000Z",
};

export const DeliverUnitSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.deliver_unit).openapi({ description: "The deliver unit's id." }),
    object: z.literal("deliver_unit").openapi({ description: "Always `deliver_unit`." }),
    opportunity_id: typeIdOut(ID_PREFIX.opportunity).openapi({ description: "The opportunity that asks for it." }),
    payment_unit_id: typeIdOut(ID_PREFIX.payment_unit)
      .nullable()
      .openapi({ description: "The payment unit (of the same opportunity) it is paid through; null: none." }),
    name: z.string().max(100).openapi({ description: "The deliver unit's name (one line)." }),
    slug: z
      .string()
      .max(50)
      .openapi({ pattern: SLUG.source, description: "Its key, unique within the opportunity (kebab-case)." }),
    optional: z.boolean().openapi({ description: "Whether a worker may leave it out (required by default)." }),
    created_at: timestampOut().openapi({ description: "When it was created (ISO 8601, UTC)." }),
    updated_at: timestampOut().openapi({ description: "When it last changed (ISO 8601, UTC)." }),
  })
  .openapi("DeliverUnit", { example: DELIVER_UNIT_EXAMPLE });

export const DELIVER_UNIT_LIST_EXAMPLE = {
  object: "list",
  data: [DELIVER_UNIT_EXAMPLE],
  has_more: false,
  next_cursor: null,
};

export type DeliverUnitView = z.infer<typeof DeliverUnitSchema>;

export function presentDeliverUnit(unit: DeliverUnit): DeliverUnitView {
  return {
    id: toTypeId(ID_PREFIX.deliver_unit, unit.id),
    object: "deliver_unit",
    opportunity_id: toTypeId(ID_PREFIX.opportunity, unit.opportunityId),
    payment_unit_id: unit.paymentUnitId ? toTypeId(ID_PREFIX.payment_unit, unit.paymentUnitId) : null,
    name: unit.name,
    slug: unit.slug,
    optional: unit.optional,
    created_at: unit.createdAt.toISOString(),
    updated_at: unit.updatedAt.toISOString(),
  };
}

export const DeliverUnitIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.deliver_unit).openapi({
    param: { name: "id", in: "path" },
    description: "The deliver unit's id (`du_...`); another prefix is a 400.",
  }),
});
