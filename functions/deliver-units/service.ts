import { and, eq, ne } from "drizzle-orm";
import { type DeliverUnit, deliverUnits, paymentUnits } from "../../schema";
import { lockOpportunity } from "../payment-units/rules";
import { recordChange } from "../platform/audit";
import type { Queryable } from "../platform/db";
import { conflict, notFound, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import type { OrgContext } from "../platform/tenancy";
import { presentDeliverUnit } from "./schemas";

export interface NewDeliverUnit {
  name: string;
  slug: string;
  payment_unit_id?: string | null | undefined;
  optional: boolean;
}

export type DeliverUnitChanges = Partial<NewDeliverUnit>;

const resourceOf = (unit: DeliverUnit) => ({ type: "deliver_unit", id: unit.id, name: unit.name });

/** A deliver unit is paid through a payment unit of its own opportunity (400 on `payment_unit_id` otherwise). */
async function assertPaymentUnitOf(tx: Queryable, opportunityId: string, paymentUnitId: string): Promise<void> {
  const [unit] = await tx
    .select({ id: paymentUnits.id })
    .from(paymentUnits)
    .where(and(eq(paymentUnits.id, paymentUnitId), eq(paymentUnits.opportunityId, opportunityId)))
    .for("share");
  if (!unit) throw validationError({ payment_unit_id: ["is not a payment unit of this opportunity"] });
}

const slugTaken = (slug: string, existingId: string) =>
  conflict(`A deliver unit with the slug "${slug}" already exists in this opportunity.`, {
    existing_id: toTypeId(ID_PREFIX.deliver_unit, existingId),
  });

async function unitWithSlug(tx: Queryable, opportunityId: string, slug: string, except?: string) {
  const [found] = await tx
    .select({ id: deliverUnits.id })
    .from(deliverUnits)
    .where(
      and(
        eq(deliverUnits.opportunityId, opportunityId),
        eq(deliverUnits.slug, slug),
        ...(except ? [ne(deliverUnits.id, except)] : []),
      ),
    )
    .limit(1);
  return found;
}

/** A deliver unit of an opportunity the caller manages; its slug is unique in the opportunity (409 with the id). */
export async function createDeliverUnit(
  ctx: OrgContext,
  opportunityId: string,
  input: NewDeliverUnit,
): Promise<DeliverUnit> {
  return ctx.db.transaction(async (tx) => {
    // Serialises the opportunity's unit writes: the slug check and the payment unit's existence hold at commit.
    const opportunity = await lockOpportunity(tx, opportunityId, "opportunity");
    const paymentUnitId = input.payment_unit_id ?? null;
    if (paymentUnitId) await assertPaymentUnitOf(tx, opportunity.id, paymentUnitId);
    const [created] = await tx
      .insert(deliverUnits)
      .values({
        opportunityId: opportunity.id,
        paymentUnitId,
        name: input.name,
        slug: input.slug,
        optional: input.optional,
      })
      .onConflictDoNothing({ target: [deliverUnits.opportunityId, deliverUnits.slug] })
      .returning();
    if (!created) {
      const existing = await unitWithSlug(tx, opportunity.id, input.slug);
      throw existing
        ? slugTaken(input.slug, existing.id)
        : conflict("A concurrent request changed the same data; retry.");
    }
    await recordChange(tx, ctx, {
      action: "deliver_unit.created",
      resource: resourceOf(created),
      before: null,
      after: presentDeliverUnit(created),
    });
    return created;
  });
}

/** Changes a deliver unit; a PATCH that changes nothing writes nothing. */
export async function updateDeliverUnit(
  ctx: OrgContext,
  opportunityId: string,
  id: string,
  changes: DeliverUnitChanges,
): Promise<DeliverUnit> {
  return ctx.db.transaction(async (tx) => {
    const opportunity = await lockOpportunity(tx, opportunityId, "deliver unit");
    const [before] = await tx
      .select()
      .from(deliverUnits)
      .where(and(eq(deliverUnits.id, id), eq(deliverUnits.opportunityId, opportunity.id)))
      .for("update");
    if (!before) throw notFound("deliver unit");
    const next = {
      name: changes.name ?? before.name,
      slug: changes.slug ?? before.slug,
      paymentUnitId: changes.payment_unit_id === undefined ? before.paymentUnitId : changes.payment_unit_id,
      optional: changes.optional ?? before.optional,
    };
    if (next.paymentUnitId && next.paymentUnitId !== before.paymentUnitId) {
      await assertPaymentUnitOf(tx, opportunity.id, next.paymentUnitId);
    }
    if (next.slug !== before.slug) {
      const existing = await unitWithSlug(tx, opportunity.id, next.slug, id);
      if (existing) throw slugTaken(next.slug, existing.id);
    }
    const changed = await recordChange(tx, ctx, {
      action: "deliver_unit.updated",
      resource: { type: "deliver_unit", id, name: next.name },
      before: presentDeliverUnit(before),
      after: presentDeliverUnit({ ...before, ...next }),
    });
    if (!changed) return before;
    const [after] = await tx.update(deliverUnits).set(next).where(eq(deliverUnits.id, id)).returning();
    if (!after) throw notFound("deliver unit");
    return after;
  });
}

export async function deleteDeliverUnit(ctx: OrgContext, opportunityId: string, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const opportunity = await lockOpportunity(tx, opportunityId, "deliver unit");
    const [unit] = await tx
      .delete(deliverUnits)
      .where(and(eq(deliverUnits.id, id), eq(deliverUnits.opportunityId, opportunity.id)))
      .returning();
    if (!unit) throw notFound("deliver unit");
    await recordChange(tx, ctx, {
      action: "deliver_unit.deleted",
      resource: resourceOf(unit),
      before: presentDeliverUnit(unit),
      after: null,
    });
  });
}
