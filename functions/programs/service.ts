import { and, eq, sql } from "drizzle-orm";
import {
  type NewProgramRow,
  opportunities,
  organisations,
  type Program,
  programApplications,
  programGrants,
  programs,
} from "../../schema";
import { deliveryTypeBySlug } from "../delivery-types/service";
import { recordChange } from "../platform/audit";
import type { Queryable } from "../platform/db";
import { conflict, notFound, permissionDenied, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { assertFitsCurrency, formatMoney } from "../platform/money";
import { enforceQuotas } from "../platform/plans";
import type { OrgContext } from "../platform/tenancy";
import { type ProgramView, presentProgram } from "./schemas";
import { allocatedTo, PROGRAM_ID, viewOf } from "./views";

export interface NewProgram {
  name: string;
  description: string;
  delivery_type: string;
  currency: string;
  country: string;
  budget: string;
  start_date: string;
  end_date: string;
}

export type ProgramChanges = Partial<NewProgram>;

const resourceOf = (program: Program) => ({ type: "program", id: program.id, name: program.name });

/** The program row, locked: the lock that serialises its budget and dates with its opportunities' changes. */
export async function lockProgram(tx: Queryable, id: string): Promise<Program> {
  const [program] = await tx.select().from(programs).where(eq(programs.id, id)).for("update");
  if (!program) throw notFound("program");
  return program;
}

/**
 * Only a program-manager organisation creates programs (403 otherwise), read with its row locked (for no key
 * update) so a platform administrator's change of the flag is serialised with the create. A creator without global
 * access is granted the new program, so they keep seeing what they made.
 */
export async function createProgram(ctx: OrgContext, input: NewProgram): Promise<ProgramView> {
  assertFitsCurrency("budget", input.budget, input.currency);
  return ctx.db.transaction(async (tx) => {
    const [organisation] = await tx
      .select({
        programManager: organisations.programManager,
        plan: organisations.plan,
        planOverrides: organisations.planOverrides,
      })
      .from(organisations)
      .where(eq(organisations.id, ctx.organisationId))
      // The lock the quota check counts after (given to it as taken, so it does not read the row again).
      .for("no key update");
    if (!organisation) throw notFound("organisation");
    if (!organisation.programManager) {
      throw permissionDenied(
        "Only program-manager organisations create programs; a platform administrator marks an organisation as one.",
      );
    }
    await enforceQuotas(tx, ctx, { programs: 1 }, organisation);
    const deliveryType = await deliveryTypeBySlug(tx, input.delivery_type);
    const [created] = await tx
      .insert(programs)
      .values({
        organisationId: ctx.organisationId,
        name: input.name,
        description: input.description,
        deliveryTypeId: deliveryType.id,
        currency: input.currency,
        country: input.country,
        budget: input.budget,
        startDate: input.start_date,
        endDate: input.end_date,
      })
      .returning();
    if (!created) throw new Error("program insert returned nothing");
    const { caller } = ctx;
    if (!caller.globalAccess) {
      await tx.insert(programGrants).values({
        organisationId: ctx.organisationId,
        programId: created.id,
        membershipId: caller.membershipId,
        serviceAccountId: caller.membershipId ? null : caller.serviceAccountId,
      });
    }
    const view = { program: created, deliveryType: deliveryType.slug, allocated: "0" };
    await recordChange(tx, ctx, {
      action: "program.created",
      resource: resourceOf(created),
      before: null,
      after: presentProgram(view),
    });
    return view;
  });
}

/**
 * Changes a program under its row lock. Currency, country and delivery type are fixed once it has an
 * opportunity (409 naming the field); the budget may not go below what its opportunities hold, nor the dates
 * stop containing theirs (409). A PATCH that changes nothing writes nothing.
 */
export async function updateProgram(ctx: OrgContext, id: string, input: ProgramChanges): Promise<ProgramView> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockProgram(tx, id);
    const current = await viewOf(tx, before);
    const fixed = (["currency", "country", "delivery_type"] as const).filter(
      (field) =>
        input[field] !== undefined &&
        input[field] !== (field === "delivery_type" ? current.deliveryType : before[field]),
    );
    if (fixed.length > 0) await assertNoOpportunity(tx, id, fixed[0] as string);
    const deliveryType =
      input.delivery_type !== undefined && input.delivery_type !== current.deliveryType
        ? await deliveryTypeBySlug(tx, input.delivery_type)
        : null;
    const next = {
      name: input.name ?? before.name,
      description: input.description ?? before.description,
      deliveryTypeId: deliveryType?.id ?? before.deliveryTypeId,
      currency: input.currency ?? before.currency,
      country: input.country ?? before.country,
      budget: input.budget ?? before.budget,
      startDate: input.start_date ?? before.startDate,
      endDate: input.end_date ?? before.endDate,
    } satisfies Partial<NewProgramRow>;
    assertFitsCurrency(input.budget !== undefined ? "budget" : "currency", next.budget, next.currency);
    if (next.endDate <= next.startDate) {
      const field = input.end_date !== undefined || input.start_date === undefined ? "end_date" : "start_date";
      throw validationError({ [field]: ["the end date must be after the start date"] });
    }
    if (input.budget !== undefined) await assertBudgetCovers(tx, id, next.budget, next.currency);
    if (next.startDate !== before.startDate || next.endDate !== before.endDate) {
      await assertDatesContain(tx, before, next.startDate, next.endDate);
    }
    const after = {
      ...current,
      program: { ...before, ...next },
      deliveryType: deliveryType?.slug ?? current.deliveryType,
    };
    const changed = await recordChange(tx, ctx, {
      action: "program.updated",
      resource: { type: "program", id, name: next.name },
      before: presentProgram(current),
      after: presentProgram(after),
    });
    if (!changed) return current;
    const [updated] = await tx.update(programs).set(next).where(eq(programs.id, id)).returning();
    if (!updated) throw notFound("program");
    return { ...after, program: updated };
  });
}

async function assertNoOpportunity(tx: Queryable, programId: string, field: string): Promise<void> {
  const [opportunity] = await tx
    .select({ id: opportunities.id, name: opportunities.name })
    .from(opportunities)
    .where(eq(opportunities.programId, programId))
    .limit(1);
  if (opportunity) {
    throw conflict(`${field} is fixed once the program has an opportunity ("${opportunity.name}" inherits it).`, {
      field,
      opportunity_id: toTypeId(ID_PREFIX.opportunity, opportunity.id),
    });
  }
}

/** Compared in SQL, exactly: the new budget against what the program's opportunities hold. */
async function assertBudgetCovers(tx: Queryable, programId: string, budget: string, currency: string): Promise<void> {
  const held = allocatedTo(PROGRAM_ID);
  const [row] = await tx
    .select({ held, short: sql<boolean>`${budget}::numeric < ${held}::numeric` })
    .from(programs)
    .where(eq(programs.id, programId));
  if (row?.short) {
    const allocated = formatMoney(row.held, currency);
    throw conflict(`The program's opportunities hold ${allocated} ${currency}; the budget cannot go below that.`, {
      field: "budget",
      allocated,
    });
  }
}

/**
 * Every opportunity's dates must stay inside the program's: it starts on or after the start and ends on or
 * before the end. One without an end date runs to the program's end, so that end cannot move earlier.
 */
async function assertDatesContain(tx: Queryable, before: Program, startDate: string, endDate: string) {
  const [outside] = await tx
    .select({
      id: opportunities.id,
      name: opportunities.name,
      startDate: opportunities.startDate,
      endDate: opportunities.endDate,
    })
    .from(opportunities)
    .where(
      and(
        eq(opportunities.programId, before.id),
        sql`(${opportunities.startDate} < ${startDate}::date or coalesce(${opportunities.endDate}, ${before.endDate}::date) > ${endDate}::date)`,
      ),
    )
    .limit(1);
  if (outside) {
    const runs = outside.endDate
      ? `${outside.startDate} to ${outside.endDate}`
      : `from ${outside.startDate} to the program's end`;
    throw conflict(`The opportunity "${outside.name}" runs ${runs}, outside the new dates.`, {
      field: outside.startDate < startDate ? "start_date" : "end_date",
      opportunity_id: toTypeId(ID_PREFIX.opportunity, outside.id),
    });
  }
}

/** A program without opportunities or accepted applications can be deleted; its other applications go with it. */
export async function deleteProgram(ctx: OrgContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const program = await lockProgram(tx, id);
    const [opportunity] = await tx
      .select({ id: opportunities.id, name: opportunities.name })
      .from(opportunities)
      .where(eq(opportunities.programId, id))
      .limit(1);
    if (opportunity) {
      throw conflict(`The program has opportunities ("${opportunity.name}"); delete or move them first.`, {
        opportunity_id: toTypeId(ID_PREFIX.opportunity, opportunity.id),
      });
    }
    const [accepted] = await tx
      .select({ id: programApplications.id, organisationName: organisations.name })
      .from(programApplications)
      .innerJoin(organisations, eq(organisations.id, programApplications.organisationId))
      .where(and(eq(programApplications.programId, id), eq(programApplications.status, "accepted")))
      .limit(1);
    if (accepted) {
      throw conflict(`"${accepted.organisationName}" has an accepted application to the program.`, {
        application_id: toTypeId(ID_PREFIX.program_application, accepted.id),
      });
    }
    const view = await viewOf(tx, program);
    await tx.delete(programs).where(eq(programs.id, id));
    await recordChange(tx, ctx, {
      action: "program.deleted",
      resource: resourceOf(program),
      before: presentProgram(view),
      after: null,
    });
  });
}
