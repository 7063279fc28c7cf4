import { and, asc, eq, ne } from "drizzle-orm";
import { deliverUnits, type PaymentUnit, paymentUnits } from "../../schema";
import { recordChange } from "../platform/audit";
import { conflict, notFound } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import type { OrgContext } from "../platform/tenancy";
import {
  assertParent,
  checkAmounts,
  checkCaps,
  checkDates,
  childrenOf,
  lockOpportunity,
  NAMED_IDS,
  Problems,
} from "./rules";
import { presentPaymentUnit } from "./schemas";

export interface NewPaymentUnit {
  name: string;
  description: string;
  amount: string;
  org_amount: string;
  max_total: number;
  max_daily: number;
  parent_payment_unit_id?: string | null | undefined;
  start_date?: string | null | undefined;
  end_date?: string | null | undefined;
}

export type PaymentUnitChanges = Partial<NewPaymentUnit>;

/** A payment unit with the currency its amounts are in (the opportunity's). */
export interface PricedUnit {
  unit: PaymentUnit;
  currency: string | null;
}

const resourceOf = (unit: PaymentUnit) => ({ type: "payment_unit", id: unit.id, name: unit.name });

/** A payment unit of an opportunity the caller manages (`ctx` is the side it was reached from). */
export async function createPaymentUnit(
  ctx: OrgContext,
  opportunityId: string,
  input: NewPaymentUnit,
): Promise<PricedUnit> {
  return ctx.db.transaction(async (tx) => {
    const opportunity = await lockOpportunity(tx, opportunityId, "opportunity");
    const problems = new Problems();
    checkAmounts(problems, opportunity, input);
    checkCaps(problems, input.max_total, input.max_daily);
    checkDates(problems, opportunity, input.start_date ?? null, input.end_date ?? null);
    problems.throwIfAny();
    const parentId = input.parent_payment_unit_id ?? null;
    if (parentId) await assertParent(tx, opportunity.id, parentId, null);
    const [created] = await tx
      .insert(paymentUnits)
      .values({
        opportunityId: opportunity.id,
        parentPaymentUnitId: parentId,
        name: input.name,
        description: input.description,
        amount: input.amount,
        orgAmount: input.org_amount,
        maxTotal: input.max_total,
        maxDaily: input.max_daily,
        startDate: input.start_date ?? null,
        endDate: input.end_date ?? null,
      })
      .returning();
    if (!created) throw new Error("insert returned nothing");
    await recordChange(tx, ctx, {
      action: "payment_unit.created",
      resource: resourceOf(created),
      before: null,
      after: presentPaymentUnit(created, opportunity.currency),
    });
    return { unit: created, currency: opportunity.currency };
  });
}

/**
 * Changes a payment unit. The rules of creation hold for the result (caps and dates checked on the merged
 * values when either side of them changes); a PATCH that changes nothing writes nothing.
 */
export async function updatePaymentUnit(
  ctx: OrgContext,
  opportunityId: string,
  id: string,
  changes: PaymentUnitChanges,
): Promise<PricedUnit> {
  return ctx.db.transaction(async (tx) => {
    const opportunity = await lockOpportunity(tx, opportunityId, "payment unit");
    const [before] = await tx
      .select()
      .from(paymentUnits)
      .where(and(eq(paymentUnits.id, id), eq(paymentUnits.opportunityId, opportunity.id)))
      .for("update");
    if (!before) throw notFound("payment unit");
    const next = {
      name: changes.name ?? before.name,
      description: changes.description ?? before.description,
      amount: changes.amount ?? before.amount,
      orgAmount: changes.org_amount ?? before.orgAmount,
      maxTotal: changes.max_total ?? before.maxTotal,
      maxDaily: changes.max_daily ?? before.maxDaily,
      parentPaymentUnitId:
        changes.parent_payment_unit_id === undefined ? before.parentPaymentUnitId : changes.parent_payment_unit_id,
      startDate: changes.start_date === undefined ? before.startDate : changes.start_date,
      endDate: changes.end_date === undefined ? before.endDate : changes.end_date,
    };
    const problems = new Problems();
    checkAmounts(problems, opportunity, changes);
    if (changes.max_total !== undefined || changes.max_daily !== undefined) {
      checkCaps(problems, next.maxTotal, next.maxDaily);
    }
    if (changes.start_date !== undefined || changes.end_date !== undefined) {
      checkDates(problems, opportunity, next.startDate, next.endDate);
    }
    problems.throwIfAny();
    if (next.parentPaymentUnitId && next.parentPaymentUnitId !== before.parentPaymentUnitId) {
      await assertParent(tx, opportunity.id, next.parentPaymentUnitId, id);
    }
    const changed = await recordChange(tx, ctx, {
      action: "payment_unit.updated",
      resource: { type: "payment_unit", id, name: next.name },
      before: presentPaymentUnit(before, opportunity.currency),
      after: presentPaymentUnit({ ...before, ...next }, opportunity.currency),
    });
    if (!changed) return { unit: before, currency: opportunity.currency };
    const [after] = await tx.update(paymentUnits).set(next).where(eq(paymentUnits.id, id)).returning();
    if (!after) throw notFound("payment unit");
    return { unit: after, currency: opportunity.currency };
  });
}

/**
 * Deletes a payment unit nothing uses: deliver units and child payment units keep it (409 naming them). The
 * last payment unit of an open managed opportunity stays (opening needed one; 409).
 */
export async function deletePaymentUnit(ctx: OrgContext, opportunityId: string, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const opportunity = await lockOpportunity(tx, opportunityId, "payment unit");
    const [unit] = await tx
      .select()
      .from(paymentUnits)
      .where(and(eq(paymentUnits.id, id), eq(paymentUnits.opportunityId, opportunity.id)))
      .for("update");
    if (!unit) throw notFound("payment unit");
    const children = await childrenOf(tx, id);
    const users = await tx
      .select({ id: deliverUnits.id })
      .from(deliverUnits)
      .where(eq(deliverUnits.paymentUnitId, id))
      .orderBy(asc(deliverUnits.id))
      .limit(NAMED_IDS);
    if (children.length > 0 || users.length > 0) {
      throw conflict("The payment unit is in use: move or delete its deliver units and child payment units first.", {
        deliver_unit_ids: users.map((row) => toTypeId(ID_PREFIX.deliver_unit, row.id)),
        child_payment_unit_ids: children,
      });
    }
    if (opportunity.programId && opportunity.status === "open") {
      const [other] = await tx
        .select({ id: paymentUnits.id })
        .from(paymentUnits)
        .where(and(eq(paymentUnits.opportunityId, opportunity.id), ne(paymentUnits.id, id)))
        .limit(1);
      if (!other) {
        throw conflict(
          "This is the last payment unit of an open managed opportunity; put the opportunity on hold first.",
          { opportunity_id: toTypeId(ID_PREFIX.opportunity, opportunity.id) },
        );
      }
    }
    await tx.delete(paymentUnits).where(eq(paymentUnits.id, id));
    await recordChange(tx, ctx, {
      action: "payment_unit.deleted",
      resource: resourceOf(unit),
      before: presentPaymentUnit(unit, opportunity.currency),
      after: null,
    });
  });
}
