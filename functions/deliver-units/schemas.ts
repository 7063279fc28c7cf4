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
      description: "Unique within the opportunity; kebab-case.",
      example: "household-survey",
      pattern: SLUG.source,
      maxLength: 50,
    });

export const DeliverUnitSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.deliver_unit),
    object: z.literal("deliver_unit"),
    opportunity_id: typeIdOut(ID_PREFIX.opportunity),
    payment_unit_id: typeIdOut(ID_PREFIX.payment_unit)
      .nullable()
      .openapi({ description: "The payment unit (of the same opportunity) it is paid through, if any." }),
    name: z.string().max(100),
    slug: z.string().max(50).openapi({ pattern: SLUG.source }),
    optional: z.boolean().openapi({ description: "Whether a worker may leave it out (required by default)." }),
    created_at: timestampOut(),
    updated_at: timestampOut(),
  })
  .openapi("DeliverUnit", {
    example: {
      id: "du_01h455vb4pex5vsknk084sn02q",
      object: "deliver_unit",
      opportunity_id: "opp_01h455vb4pex5vsknk084sn02q",
      payment_unit_id: "pu_01h455vb4pex5vsknk084sn02q",
      name: "Household survey form",
      slug: "household-survey",
      optional: false,
      created_at: "2026-01-31T12:00:00.000Z",
      updated_at: "2026-01-31T12:00:00.000Z",
    },
  });

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
  id: typeIdSchema(ID_PREFIX.deliver_unit).openapi({ param: { name: "id", in: "path" } }),
});
