// The global catalogs a fresh database starts with: the delivery types programs and opportunities name.
// Idempotent: a slug already there is left as it is (a platform administrator may have edited it).

import { presentDeliveryType } from "../functions/delivery-types/schemas";
import { systemActor } from "../functions/platform/actor";
import { PLATFORM_ORGANISATION_ID, recordChange } from "../functions/platform/audit";
import type { Database } from "../functions/platform/db";
import { deliveryTypes } from "../schema";

export const SEEDED_DELIVERY_TYPES = [
  {
    slug: "remote-volunteering",
    name: "Remote volunteering",
    description: "Work done online, from anywhere: translation, design, data entry, remote support.",
  },
  {
    slug: "field-work",
    name: "Field work",
    description: "Work done on site: surveys, visits, installations, distributions.",
  },
  { slug: "training", name: "Training", description: "Courses and workshops, given or taken." },
  { slug: "research", name: "Research", description: "Studies, data collection and analysis." },
  { slug: "mentoring", name: "Mentoring", description: "One-to-one guidance over a period of time." },
] as const;

/** Adds the delivery types that are missing, each on the platform's audit trail (by the seed). */
export async function seedDeliveryTypes(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    const added = await tx
      .insert(deliveryTypes)
      .values(SEEDED_DELIVERY_TYPES.map((type) => ({ ...type })))
      .onConflictDoNothing()
      .returning();
    for (const row of added) {
      await recordChange(
        tx,
        { actor: systemActor("seed"), meta: null, organisationId: PLATFORM_ORGANISATION_ID },
        {
          action: "delivery_type.created",
          resource: { type: "delivery_type", id: row.id, name: row.slug },
          before: null,
          after: presentDeliveryType(row),
        },
      );
    }
    return added.map((row) => row.slug);
  });
}
