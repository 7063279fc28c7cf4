import { eq } from "drizzle-orm";
import { type DeliveryType, deliveryTypes } from "../../schema";
import type { Queryable } from "../platform/db";
import { validationError } from "../platform/errors";

/** The delivery type a program or opportunity names by slug: 400 on `field` when there is none. */
export async function deliveryTypeBySlug(db: Queryable, slug: string, field = "delivery_type"): Promise<DeliveryType> {
  const [found] = await db.select().from(deliveryTypes).where(eq(deliveryTypes.slug, slug)).limit(1);
  if (!found) throw validationError({ [field]: [`is not a known delivery type (see GET /v1/delivery-types)`] });
  return found;
}
