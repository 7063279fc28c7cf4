import { and, eq, exists, ne, sql } from "drizzle-orm";
import {
  deliveryTypes,
  type OpportunityStatus,
  opportunities,
  type Program,
  paymentUnits,
  programApplications,
  programs,
} from "../../schema";
import type { Queryable } from "../platform/db";
import { conflict, notFound, permissionDenied, validationError } from "../platform/errors";
import { formatMoney } from "../platform/money";
import type { OrgContext } from "../platform/tenancy";
import { programGranted } from "../programs/reach";

/** A program locked for the length of a transaction, with its delivery type's slug. */
export interface LockedProgram {
  program: Program;
  deliveryType: string;
}

/**
 * The program a new managed opportunity goes under, locked `FOR UPDATE`: that row lock is the program's budget
 * lock (program PATCH takes it too), so the sum of its opportunities' budgets cannot change until commit. The
 * delivering organisation must own it or have an application to it (else 404, within the caller's access list),
 * and the application must be accepted (else 403).
 */
export async function lockProgramToDeliver(tx: Queryable, ctx: OrgContext, programId: string): Promise<LockedProgram> {
  const application = tx
    .select({ status: programApplications.status })
    .from(programApplications)
    .where(
      and(eq(programApplications.programId, programs.id), eq(programApplications.organisationId, ctx.organisationId)),
    );
  const [found] = await tx
    .select({
      program: programs,
      deliveryType: deliveryTypes.slug,
      applicationStatus: sql<string | null>`(${application})`,
    })
    .from(programs)
    .innerJoin(deliveryTypes, eq(deliveryTypes.id, programs.deliveryTypeId))
    .where(
      and(
        eq(programs.id, programId),
        programGranted(ctx.caller, programs.id),
        sql`(${programs.organisationId} = ${ctx.organisationId} or ${exists(application)})`,
      ),
    )
    .for("update", { of: programs });
  if (!found) throw notFound("program");
  const owner = found.program.organisationId === ctx.organisationId;
  if (!owner) {
    // Read again now that the program row is locked: an application move (which share-locks the program) that
    // committed while this waited is invisible to the statement that waited, but not to this one.
    const [current] = await tx
      .select({ status: programApplications.status })
      .from(programApplications)
      .where(
        and(eq(programApplications.programId, programId), eq(programApplications.organisationId, ctx.organisationId)),
      )
      .limit(1);
    const status = current?.status ?? found.applicationStatus;
    if (status !== "accepted") {
      throw permissionDenied(
        `Your organisation delivers under this program once its application is accepted (it is ${status}).`,
      );
    }
  }
  return { program: found.program, deliveryType: found.deliveryType };
}

/** The program of an existing managed opportunity, locked `FOR UPDATE` (the budget lock), before the opportunity. */
export async function lockProgram(tx: Queryable, programId: string): Promise<LockedProgram> {
  const [found] = await tx
    .select({ program: programs, deliveryType: deliveryTypes.slug })
    .from(programs)
    .innerJoin(deliveryTypes, eq(deliveryTypes.id, programs.deliveryTypeId))
    .where(eq(programs.id, programId))
    .for("update", { of: programs });
  if (!found) throw notFound("program");
  return found;
}

interface Inherited {
  currency?: string | null;
  country?: string | null;
  delivery_type?: string | null;
}

/** A managed opportunity takes currency, country and delivery type from its program: a different value is a 400. */
export function assertInherits(input: Inherited, locked: LockedProgram): void {
  const { program } = locked;
  const problems: Record<string, string[]> = {};
  const expected = { currency: program.currency, country: program.country, delivery_type: locked.deliveryType };
  for (const [field, value] of Object.entries(expected) as [keyof Inherited, string][]) {
    const given = input[field];
    if (given !== undefined && given !== value) {
      problems[field] = [`must be the program's ${field.replace("_", " ")} (${value}), or left out`];
    }
  }
  if (Object.keys(problems).length > 0) throw validationError(problems);
}

/** A managed opportunity's dates lie within its program's (400 naming the date). */
export function assertWithinProgram(dates: { start: string; end: string | null }, program: Program): void {
  const problems: Record<string, string[]> = {};
  if (dates.start < program.startDate || dates.start > program.endDate) {
    problems.start_date = [`must be within the program's dates (${program.startDate} to ${program.endDate})`];
  }
  if (dates.end === null) {
    problems.end_date = [`is required under a program (which ends on ${program.endDate})`];
  } else if (dates.end > program.endDate || dates.end < program.startDate) {
    problems.end_date = [`must be within the program's dates (${program.startDate} to ${program.endDate})`];
  }
  if (Object.keys(problems).length > 0) throw validationError(problems);
}

/**
 * The program's budget holds its opportunities' budgets: summed in SQL (exact) over the others, under the
 * program's row lock the caller holds. 400 on `total_budget` naming what is left.
 */
export async function assertBudgetLeft(
  tx: Queryable,
  program: Program,
  amount: string,
  exceptOpportunityId: string | null,
): Promise<void> {
  const others = and(
    eq(opportunities.programId, program.id),
    exceptOpportunityId ? ne(opportunities.id, exceptOpportunityId) : undefined,
  );
  const [row] = await tx
    .select({
      left: sql<string>`(${program.budget}::numeric - coalesce(sum(${opportunities.totalBudget}), 0))::text`,
      fits: sql<boolean>`${program.budget}::numeric - coalesce(sum(${opportunities.totalBudget}), 0) >= ${amount}::numeric`,
    })
    .from(opportunities)
    .where(others);
  if (!row?.fits) {
    const left = formatMoney(row?.left ?? "0", program.currency);
    throw validationError({
      total_budget: [
        `is more than the program has left: ${left} ${program.currency} of ${formatMoney(program.budget, program.currency)}`,
      ],
    });
  }
}

/** The moves of the status machine: draft → open ↔ on_hold → closed | filled. */
const MOVES: Record<OpportunityStatus, readonly OpportunityStatus[]> = {
  draft: ["open"],
  open: ["on_hold", "closed", "filled"],
  on_hold: ["open", "closed", "filled"],
  closed: [],
  filled: [],
};

export const FINAL_STATUSES: readonly OpportunityStatus[] = ["closed", "filled"];

/** 409 naming both statuses when the machine has no such move. */
export function assertMove(from: OpportunityStatus, to: OpportunityStatus): void {
  if (!MOVES[from].includes(to)) {
    const allowed = MOVES[from].length > 0 ? ` (from ${from}: ${MOVES[from].join(", ")})` : ` (${from} is final)`;
    throw conflict(`An opportunity cannot move from ${from} to ${to}${allowed}.`, {
      current_status: from,
      requested_status: to,
    });
  }
}

/**
 * What opening needs: an opportunity that has not ended, and for a managed one a payment unit. The unit found
 * is share-locked, so it cannot be deleted before this transaction commits.
 */
export async function assertMayOpen(
  tx: Queryable,
  opportunity: { id: string; programId: string | null; endDate: string | null; status: OpportunityStatus },
  ended: boolean,
): Promise<void> {
  if (ended) {
    throw conflict(`The opportunity ended on ${opportunity.endDate}; move its end date to open it.`, {
      current_status: opportunity.status,
      requested_status: "open",
    });
  }
  if (!opportunity.programId) return;
  const [unit] = await tx
    .select({ id: paymentUnits.id })
    .from(paymentUnits)
    .where(eq(paymentUnits.opportunityId, opportunity.id))
    .limit(1)
    .for("share");
  if (!unit) {
    throw conflict("A managed opportunity opens once it has a payment unit; add one (POST /v1/payment-units).", {
      current_status: opportunity.status,
      requested_status: "open",
    });
  }
}
