import { and, asc, eq } from "drizzle-orm";
import { type Opportunity, opportunities, paymentUnits } from "../../schema";
import type { Queryable } from "../platform/db";
import { ApiError, conflict, type FieldErrors, notFound, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { assertFitsCurrency } from "../platform/money";

/** What the unit rules read of an opportunity. */
export type LockedOpportunity = Pick<Opportunity, "id" | "programId" | "status" | "currency" | "startDate" | "endDate">;

/** How many ids a refusal names at most. */
export const NAMED_IDS = 20;

/**
 * Locks the opportunity's row for the rest of the transaction: every write to an opportunity's payment and
 * deliver units takes this lock first, so they run one after another and each check (a parent's own parent,
 * a unit's children, a slug, the dates and currency) sees what the previous one committed. `what` names the
 * 404 when it went meanwhile.
 */
export async function lockOpportunity(tx: Queryable, opportunityId: string, what: string): Promise<LockedOpportunity> {
  const [opportunity] = await tx
    .select({
      id: opportunities.id,
      programId: opportunities.programId,
      status: opportunities.status,
      currency: opportunities.currency,
      startDate: opportunities.startDate,
      endDate: opportunities.endDate,
    })
    .from(opportunities)
    .where(eq(opportunities.id, opportunityId))
    .for("no key update");
  if (!opportunity) throw notFound(what);
  return opportunity;
}

/** Collects the field problems of several checks, so one 400 names every field at fault. */
export class Problems {
  private readonly fields: FieldErrors = {};

  add(field: string, problem: string): void {
    const list = this.fields[field] ?? [];
    list.push(problem);
    this.fields[field] = list;
  }

  /** Runs a check that throws a validation error, keeping its fields. */
  collect(check: () => void): void {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "validation_error") throw error;
      const fields = (error.extra.fields ?? {}) as FieldErrors;
      for (const [field, problems] of Object.entries(fields)) for (const problem of problems) this.add(field, problem);
    }
  }

  throwIfAny(): void {
    if (Object.keys(this.fields).length > 0) throw validationError(this.fields);
  }
}

/** Amounts are in the opportunity's currency, with at most its minor units; without a currency there are none. */
export function checkAmounts(
  problems: Problems,
  opportunity: LockedOpportunity,
  amounts: { amount?: string | undefined; org_amount?: string | undefined },
): void {
  if (amounts.amount === undefined && amounts.org_amount === undefined) return;
  const currency = opportunity.currency;
  if (!currency) {
    throw conflict("The opportunity has no currency yet; set its currency before giving it payment units.", {
      opportunity_id: toTypeId(ID_PREFIX.opportunity, opportunity.id),
    });
  }
  for (const field of ["amount", "org_amount"] as const) {
    const value = amounts[field];
    if (value !== undefined) problems.collect(() => assertFitsCurrency(field, value, currency));
  }
}

/** At most `max_daily` a day, and a day's cap within the total. */
export function checkCaps(problems: Problems, maxTotal: number, maxDaily: number): void {
  if (maxDaily > maxTotal) problems.add("max_daily", `must be at most max_total (${maxTotal})`);
}

/** A unit's dates lie within the opportunity's (which may have no end), and end on or after they start. */
export function checkDates(
  problems: Problems,
  opportunity: LockedOpportunity,
  start: string | null,
  end: string | null,
) {
  const first = opportunity.startDate;
  const last = opportunity.endDate;
  for (const [field, date] of [
    ["start_date", start],
    ["end_date", end],
  ] as const) {
    if (date === null) continue;
    // YYYY-MM-DD strings compare as the dates they are.
    if (date < first) problems.add(field, `must be on or after the opportunity's start date (${first})`);
    if (last !== null && date > last) problems.add(field, `must be on or before the opportunity's end date (${last})`);
  }
  if (start !== null && end !== null && end < start)
    problems.add("end_date", `must be on or after start_date (${start})`);
}

/**
 * A parent belongs to the same opportunity and has no parent itself; a unit with children cannot get one
 * (payment units nest one level only). 400 on `parent_payment_unit_id`.
 */
export async function assertParent(
  tx: Queryable,
  opportunityId: string,
  parentId: string,
  unitId: string | null,
): Promise<void> {
  const field = "parent_payment_unit_id";
  if (parentId === unitId) throw validationError({ [field]: ["cannot be the payment unit itself"] });
  const [parent] = await tx
    .select({ id: paymentUnits.id, parentId: paymentUnits.parentPaymentUnitId })
    .from(paymentUnits)
    .where(and(eq(paymentUnits.id, parentId), eq(paymentUnits.opportunityId, opportunityId)))
    .for("share");
  if (!parent) throw validationError({ [field]: ["is not a payment unit of this opportunity"] });
  if (parent.parentId) {
    const grandparent = toTypeId(ID_PREFIX.payment_unit, parent.parentId);
    throw validationError({ [field]: [`is itself under ${grandparent}; payment units nest one level only`] });
  }
  if (unitId === null) return;
  const children = await childrenOf(tx, unitId);
  if (children.length > 0) {
    throw validationError({
      [field]: [`cannot be set: this payment unit is the parent of ${children.join(", ")} (one level only)`],
    });
  }
}

/** The child payment units of a unit (their TypeIDs, the first few). */
export async function childrenOf(tx: Queryable, unitId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: paymentUnits.id })
    .from(paymentUnits)
    .where(eq(paymentUnits.parentPaymentUnitId, unitId))
    .orderBy(asc(paymentUnits.id))
    .limit(NAMED_IDS);
  return rows.map((row) => toTypeId(ID_PREFIX.payment_unit, row.id));
}
