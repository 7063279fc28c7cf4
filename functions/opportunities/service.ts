import { and, eq, gt, lt, or, sql } from "drizzle-orm";
import { deliveryTypes, type NewOpportunityRow, type Opportunity, opportunities, paymentUnits } from "../../schema";
import { deliveryTypeBySlug } from "../delivery-types/service";
import { recordChange } from "../platform/audit";
import { hasEnded } from "../platform/dates";
import type { Queryable } from "../platform/db";
import { conflict, notFound, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { assertFitsCurrency } from "../platform/money";
import { enforceQuotas } from "../platform/plans";
import type { OrgContext } from "../platform/tenancy";
import { weekMinutesOf } from "../platform/week-minutes";
import type { CreateOpportunityInput, OpportunityChanges } from "./bodies";
import type { ReachedOpportunity } from "./reach";
import {
  assertBudgetLeft,
  assertInherits,
  assertMayOpen,
  assertMove,
  assertWithinProgram,
  FINAL_STATUSES,
  type LockedProgram,
  lockProgram,
  lockProgramToDeliver,
} from "./rules";
import { type OpportunityView, presentOpportunity } from "./schemas";
import { nextSkills, skillsColumn, writeSkills } from "./skills";

const resourceOf = (o: Opportunity) => ({ type: "opportunity", id: o.id, name: o.name });

/** The fields of a create body that are columns as they are. */
function columnsOf(input: Omit<CreateOpportunityInput, "organisation_id" | "program_id"> | OpportunityChanges) {
  const row: Partial<NewOpportunityRow> = {};
  if (input.name !== undefined) row.name = input.name;
  if (input.description !== undefined) row.description = input.description;
  if (input.short_description !== undefined) row.shortDescription = input.short_description;
  if (input.visibility !== undefined) row.visibility = input.visibility;
  if (input.start_date !== undefined) row.startDate = input.start_date;
  if (input.end_date !== undefined) row.endDate = input.end_date;
  if (input.total_budget !== undefined) row.totalBudget = input.total_budget;
  if (input.role !== undefined) row.role = input.role;
  if (input.work_environment !== undefined) row.workEnvironment = input.work_environment;
  if (input.min_hours_per_week !== undefined) row.minHoursPerWeek = input.min_hours_per_week;
  if (input.min_experience_years !== undefined) row.minExperienceYears = input.min_experience_years;
  if (input.meeting_times !== undefined) row.meetingTimes = input.meeting_times;
  return row;
}

/** `meeting_minutes`, kept in step with `meeting_times` in the same statement: UTC minutes of the week. */
const meetingMinutesOf = (meetingTimes: Opportunity["meetingTimes"] | undefined) =>
  sql`${weekMinutesOf(meetingTimes)}::int4multirange`;

/** A standalone opportunity's money needs its currency, and its decimals must fit it. */
function assertStandaloneMoney(totalBudget: string | null, currency: string | null): void {
  if (totalBudget === null) return;
  if (currency === null) throw validationError({ currency: ["is required with total_budget"] });
  assertFitsCurrency("total_budget", totalBudget, currency);
}

/**
 * Creates an opportunity (a draft) delivered by `ctx`'s organisation: standalone, or managed under a program it
 * owns or has an accepted application to, inheriting the program's currency, country and delivery type, within
 * its dates (a missing end date is the program's) and what is left of its budget (under the program's row lock).
 */
export async function createOpportunity(ctx: OrgContext, input: CreateOpportunityInput): Promise<OpportunityView> {
  const { organisation_id: _, program_id: programId, required_skills, preferred_skills, ...fields } = input;
  return ctx.db.transaction(async (tx) => {
    const values: NewOpportunityRow = {
      ...(columnsOf(fields) as NewOpportunityRow),
      organisationId: ctx.organisationId,
      status: "draft",
    };
    let view: Omit<OpportunityView, "opportunity" | "skills">;
    if (programId) {
      const locked = await lockProgramToDeliver(tx, ctx, programId);
      assertInherits(fields, locked);
      const { program } = locked;
      values.endDate = fields.end_date === undefined ? program.endDate : fields.end_date;
      assertWithinProgram({ start: values.startDate, end: values.endDate ?? null }, program);
      Object.assign(values, {
        programId: program.id,
        currency: program.currency,
        country: program.country,
        deliveryTypeId: program.deliveryTypeId,
      });
      if (values.totalBudget != null) {
        assertFitsCurrency("total_budget", values.totalBudget, program.currency);
        await assertBudgetLeft(tx, program, values.totalBudget, null);
      }
      view = { programOrganisationId: program.organisationId, deliveryType: locked.deliveryType };
    } else {
      assertStandaloneMoney(values.totalBudget ?? null, fields.currency ?? null);
      const type = fields.delivery_type ? await deliveryTypeBySlug(tx, fields.delivery_type) : null;
      Object.assign(values, {
        currency: fields.currency ?? null,
        country: fields.country ?? null,
        deliveryTypeId: type?.id ?? null,
      });
      view = { programOrganisationId: null, deliveryType: type?.slug ?? null };
    }
    // After the program's lock, as a PATCH takes them: program, opportunity, then the skills (share-locked).
    const skills = await nextSkills(tx, [], { required_skills, preferred_skills });
    const [created] = await tx
      .insert(opportunities)
      .values({ ...values, meetingMinutes: meetingMinutesOf(values.meetingTimes) })
      .returning();
    if (!created) throw new Error("insert returned nothing");
    await writeSkills(tx, created.id, [], skills);
    const result = { opportunity: created, ...view, skills };
    await recordChange(tx, ctx, {
      action: "opportunity.created",
      resource: resourceOf(created),
      before: null,
      after: presentOpportunity(result),
    });
    return result;
  });
}

/** The opportunity row locked `FOR UPDATE`, with its delivery type's slug and its skills. */
async function lockOpportunity(tx: Queryable, id: string) {
  const [found] = await tx
    .select({ opportunity: opportunities, deliveryType: deliveryTypes.slug, skills: skillsColumn() })
    .from(opportunities)
    .leftJoin(deliveryTypes, eq(deliveryTypes.id, opportunities.deliveryTypeId))
    .where(eq(opportunities.id, id))
    .for("update", { of: opportunities });
  if (!found) throw notFound("opportunity");
  return found;
}

/** Payment units whose dates the new dates would no longer contain: 409 naming one. */
async function assertUnitsWithin(tx: Queryable, id: string, start: string, end: string | null): Promise<void> {
  const outside = or(
    lt(paymentUnits.startDate, start),
    lt(paymentUnits.endDate, start),
    end === null ? undefined : gt(paymentUnits.endDate, end),
    end === null ? undefined : gt(paymentUnits.startDate, end),
  );
  const [unit] = await tx
    .select({ id: paymentUnits.id })
    .from(paymentUnits)
    .where(and(eq(paymentUnits.opportunityId, id), outside))
    .limit(1);
  if (unit) {
    throw conflict("A payment unit's dates would fall outside the opportunity's; change the unit's dates first.", {
      payment_unit_id: toTypeId(ID_PREFIX.payment_unit, unit.id),
    });
  }
}

/** Why the currency of a standalone opportunity with payment units cannot change: their amounts are in it. */
async function assertNoUnits(tx: Queryable, id: string): Promise<void> {
  const [unit] = await tx
    .select({ id: paymentUnits.id })
    .from(paymentUnits)
    .where(eq(paymentUnits.opportunityId, id))
    .limit(1);
  if (unit) {
    throw conflict("The opportunity's payment units are priced in its currency, so it cannot change.", {
      payment_unit_id: toTypeId(ID_PREFIX.payment_unit, unit.id),
    });
  }
}

/**
 * Changes an opportunity and moves its status, from either side that may manage it. Locks the program first
 * (the budget lock, as create and program PATCH take it) and then the opportunity. `closed` and `filled` are
 * final. One audit event per request: `opportunity.status_changed` when the status moved (carrying every field
 * that changed with it), `opportunity.updated` otherwise; nothing at all for a change that changes nothing.
 */
export async function updateOpportunity(
  reached: ReachedOpportunity,
  input: OpportunityChanges,
): Promise<OpportunityView> {
  const { ctx } = reached;
  return ctx.db.transaction(async (tx) => {
    const locked: LockedProgram | null = reached.opportunity.programId
      ? await lockProgram(tx, reached.opportunity.programId)
      : null;
    const current = await lockOpportunity(tx, reached.opportunity.id);
    const before = current.opportunity;
    const beforeView: OpportunityView = {
      opportunity: before,
      programOrganisationId: locked?.program.organisationId ?? null,
      deliveryType: current.deliveryType,
      skills: current.skills,
    };
    if (FINAL_STATUSES.includes(before.status)) {
      throw conflict(`The opportunity is ${before.status}, which is final: it changes no more.`, {
        current_status: before.status,
        ...(input.status ? { requested_status: input.status } : {}),
      });
    }
    const next: Opportunity = { ...before, ...columnsOf(input) } as Opportunity;
    let deliveryType = current.deliveryType;
    if (locked) {
      assertInherits(input, locked);
      assertWithinProgram({ start: next.startDate, end: next.endDate }, locked.program);
      if (next.totalBudget !== null) assertFitsCurrency("total_budget", next.totalBudget, locked.program.currency);
      if (next.totalBudget !== null && input.total_budget !== undefined) {
        await assertBudgetLeft(tx, locked.program, next.totalBudget, before.id);
      }
    } else {
      if (input.currency !== undefined) next.currency = input.currency;
      if (input.country !== undefined) next.country = input.country;
      if (input.delivery_type !== undefined) {
        const type = input.delivery_type === null ? null : await deliveryTypeBySlug(tx, input.delivery_type);
        next.deliveryTypeId = type?.id ?? null;
        deliveryType = type?.slug ?? null;
      }
      assertStandaloneMoney(next.totalBudget, next.currency);
      if (next.currency !== before.currency) await assertNoUnits(tx, before.id);
    }
    if (next.endDate !== null && next.endDate < next.startDate) {
      throw validationError({ end_date: [`must not be before start_date (${next.startDate})`] });
    }
    if (next.startDate !== before.startDate || next.endDate !== before.endDate) {
      await assertUnitsWithin(tx, before.id, next.startDate, next.endDate);
    }
    const moving = input.status !== undefined && input.status !== before.status;
    if (moving && input.status) {
      assertMove(before.status, input.status);
      if (input.status === "open") {
        await assertMayOpen(tx, next, hasEnded(next.endDate));
        // The delivering organisation's quota, whichever side opens it.
        await enforceQuotas(
          tx,
          { organisationId: before.organisationId, upgradeUrl: ctx.upgradeUrl },
          { open_opportunities: 1 },
        );
      }
      next.status = input.status;
    }
    const skills = await nextSkills(tx, current.skills, input);
    const afterView: OpportunityView = { ...beforeView, opportunity: next, deliveryType, skills };
    const changed = await recordChange(tx, ctx, {
      action: moving ? "opportunity.status_changed" : "opportunity.updated",
      resource: resourceOf(next),
      before: presentOpportunity(beforeView),
      after: presentOpportunity(afterView),
    });
    // A PATCH that changes nothing writes nothing (no new updated_at, no audit event).
    if (!changed) return beforeView;
    const { id: _, createdAt: __, updatedAt: ___, search: ____, meetingMinutes, ...values } = next;
    const minutes = input.meeting_times === undefined ? meetingMinutes : meetingMinutesOf(input.meeting_times);
    const [after] = await tx
      .update(opportunities)
      .set({ ...values, meetingMinutes: minutes })
      .where(eq(opportunities.id, before.id))
      .returning();
    if (!after) throw notFound("opportunity");
    await writeSkills(tx, before.id, current.skills, skills);
    return { ...afterView, opportunity: after };
  });
}

/** Only a draft can be deleted (409 otherwise); its units and invitations go with it. */
export async function deleteOpportunity(reached: ReachedOpportunity): Promise<void> {
  const { ctx } = reached;
  await ctx.db.transaction(async (tx) => {
    const current = await lockOpportunity(tx, reached.opportunity.id);
    const row = current.opportunity;
    if (row.status !== "draft") {
      throw conflict(`Only a draft can be deleted; this opportunity is ${row.status} (close it instead).`, {
        current_status: row.status,
      });
    }
    await tx.delete(opportunities).where(eq(opportunities.id, row.id));
    await recordChange(tx, ctx, {
      action: "opportunity.deleted",
      resource: resourceOf(row),
      before: presentOpportunity({
        opportunity: row,
        programOrganisationId: reached.programOrganisationId,
        deliveryType: current.deliveryType,
        skills: current.skills,
      }),
      after: null,
    });
  });
}
