import { eq } from "drizzle-orm";
import { type DeliveryType, deliveryTypes, opportunities, programs } from "../../schema";
import { type AuditScope, PLATFORM_ORGANISATION_ID, recordChange } from "../platform/audit";
import type { Queryable } from "../platform/db";
import { conflict, notFound, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import type { PersonContext } from "../platform/people";
import { presentDeliveryType } from "./schemas";

/** The delivery type a program or opportunity names by slug: 400 on `field` when there is none. */
export async function deliveryTypeBySlug(db: Queryable, slug: string, field = "delivery_type"): Promise<DeliveryType> {
  const [found] = await db.select().from(deliveryTypes).where(eq(deliveryTypes.slug, slug)).limit(1);
  if (!found) throw validationError({ [field]: [`is not a known delivery type (see GET /v1/delivery-types)`] });
  return found;
}

export interface NewDeliveryType {
  slug: string;
  name: string;
  description: string;
}

export type DeliveryTypeChanges = Partial<NewDeliveryType>;

/**
 * Delivery types are a global catalog: their events go to the platform's trail (PLATFORM_ORGANISATION_ID),
 * with the platform administrator who curated them as the actor.
 */
const platformScope = (ctx: PersonContext): AuditScope => ({
  actor: ctx.actor,
  meta: ctx.meta,
  organisationId: PLATFORM_ORGANISATION_ID,
});
const resourceOf = (row: DeliveryType) => ({ type: "delivery_type", id: row.id, name: row.slug });

async function slugTaken(tx: Queryable, slug: string): Promise<never> {
  const [existing] = await tx
    .select({ id: deliveryTypes.id })
    .from(deliveryTypes)
    .where(eq(deliveryTypes.slug, slug))
    .limit(1);
  throw conflict(`A delivery type with the slug "${slug}" already exists.`, {
    ...(existing ? { existing_id: toTypeId(ID_PREFIX.delivery_type, existing.id) } : {}),
  });
}

/** A new delivery type; its slug is unique (409 with the existing one's id). */
export async function createDeliveryType(ctx: PersonContext, input: NewDeliveryType): Promise<DeliveryType> {
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx.insert(deliveryTypes).values(input).onConflictDoNothing().returning();
    if (!created) return slugTaken(tx, input.slug);
    await recordChange(tx, platformScope(ctx), {
      action: "delivery_type.created",
      resource: resourceOf(created),
      before: null,
      after: presentDeliveryType(created),
    });
    return created;
  });
}

/** Renames or redescribes a delivery type; a new slug must be free (409). A no-op writes nothing. */
export async function updateDeliveryType(
  ctx: PersonContext,
  id: string,
  input: DeliveryTypeChanges,
): Promise<DeliveryType> {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(deliveryTypes).where(eq(deliveryTypes.id, id)).for("update");
    if (!before) throw notFound("delivery type");
    const next = {
      slug: input.slug ?? before.slug,
      name: input.name ?? before.name,
      description: input.description ?? before.description,
    };
    const changed = await recordChange(tx, platformScope(ctx), {
      action: "delivery_type.updated",
      resource: { ...resourceOf(before), name: next.slug },
      before: presentDeliveryType(before),
      after: presentDeliveryType({ ...before, ...next }),
    });
    if (!changed) return before;
    // The unique index decides a race for the same slug; the check first gives the caller the existing id.
    if (next.slug !== before.slug) {
      const [holder] = await tx
        .select({ id: deliveryTypes.id })
        .from(deliveryTypes)
        .where(eq(deliveryTypes.slug, next.slug))
        .limit(1);
      if (holder) await slugTaken(tx, next.slug);
    }
    const [after] = await tx.update(deliveryTypes).set(next).where(eq(deliveryTypes.id, id)).returning();
    if (!after) throw notFound("delivery type");
    return after;
  });
}

/** Deletes a delivery type nothing uses: 409 naming a program or opportunity that does (the FK restricts too). */
export async function deleteDeliveryType(ctx: PersonContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    // Locked first: a program or opportunity being created with it (its foreign key share-locks the row) is
    // either committed before the checks below, or waits and then fails its foreign key check.
    const [row] = await tx.select().from(deliveryTypes).where(eq(deliveryTypes.id, id)).for("update");
    if (!row) throw notFound("delivery type");
    const [program] = await tx
      .select({ id: programs.id, name: programs.name })
      .from(programs)
      .where(eq(programs.deliveryTypeId, id))
      .limit(1);
    const [opportunity] = await tx
      .select({ id: opportunities.id, name: opportunities.name })
      .from(opportunities)
      .where(eq(opportunities.deliveryTypeId, id))
      .limit(1);
    if (program || opportunity) {
      const users = [
        program ? `program "${program.name}" (${toTypeId(ID_PREFIX.program, program.id)})` : null,
        opportunity ? `opportunity "${opportunity.name}" (${toTypeId(ID_PREFIX.opportunity, opportunity.id)})` : null,
      ].filter(Boolean);
      throw conflict(`The delivery type "${row.slug}" is in use, by ${users.join(" and ")}; it cannot be deleted.`, {
        ...(program ? { program_id: toTypeId(ID_PREFIX.program, program.id) } : {}),
        ...(opportunity ? { opportunity_id: toTypeId(ID_PREFIX.opportunity, opportunity.id) } : {}),
      });
    }
    await tx.delete(deliveryTypes).where(eq(deliveryTypes.id, id));
    await recordChange(tx, platformScope(ctx), {
      action: "delivery_type.deleted",
      resource: resourceOf(row),
      before: presentDeliveryType(row),
      after: null,
    });
  });
}
