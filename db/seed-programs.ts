// The demo's programs: the demo organisation runs a program (it is a program manager); a partner organisation
// (on pro, like the demo organisation) has an accepted application and delivers a managed, open, public
// opportunity with payment and deliver units; and a standalone public opportunity is open too, so the public
// catalog is not empty on a fresh `npm run dev`.
import { eq } from "drizzle-orm";
import { createOrganisation } from "../functions/organisations/service";
import { personActor, systemActor } from "../functions/platform/actor";
import { type Change, recordChange } from "../functions/platform/audit";
import type { Database, Queryable } from "../functions/platform/db";
import {
  type AuditAction,
  deliverUnits,
  deliveryTypes,
  opportunities,
  organisations,
  paymentUnits,
  programApplications,
  programs,
  type User,
} from "../schema";

export const PARTNER_ORGANISATION = "Partner Organisation";
export const DEMO_PROGRAM = "Community Literacy";

const SYSTEM = systemActor("seed");

/** A date `days` from today (UTC), so the demo's program and opportunities never lie in the past. */
const fromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Seeds the programs once (a second run finds the partner organisation and changes nothing). */
export async function seedPrograms(db: Database, demoOrganisationId: string, partnerOwner: User): Promise<void> {
  const [already] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.name, PARTNER_ORGANISATION))
    .limit(1);
  if (already) return;
  const partner = await createOrganisation(
    { db, user: partnerOwner, actor: personActor(partnerOwner), meta: null },
    { name: PARTNER_ORGANISATION, exclusive_membership: false },
  );
  await db.transaction(async (tx) => {
    const seeded = (
      organisationId: string,
      action: AuditAction,
      resource: Change["resource"],
      after: Record<string, unknown>,
    ) => recordChange(tx, { actor: SYSTEM, meta: null, organisationId }, { action, resource, before: null, after });
    const type = await deliveryType(tx);

    await tx.update(organisations).set({ programManager: true }).where(eq(organisations.id, demoOrganisationId));
    await recordChange(
      tx,
      { actor: SYSTEM, meta: null, organisationId: demoOrganisationId },
      {
        action: "organisation.updated",
        resource: { type: "organisation", id: demoOrganisationId, name: "Demo Organisation" },
        before: { program_manager: false },
        after: { program_manager: true },
      },
    );
    // The partner invites its opportunity's workers by SMS (README, "the whole flow"), a feature of pro.
    await tx.update(organisations).set({ plan: "pro" }).where(eq(organisations.id, partner.id));
    await recordChange(
      tx,
      { actor: SYSTEM, meta: null, organisationId: partner.id },
      {
        action: "organisation.updated",
        resource: { type: "organisation", id: partner.id, name: PARTNER_ORGANISATION },
        before: { plan: partner.plan },
        after: { plan: "pro" },
      },
    );
    const [program] = await tx
      .insert(programs)
      .values({
        organisationId: demoOrganisationId,
        name: DEMO_PROGRAM,
        description: "Volunteers read with children in after-school clubs, paid per session.",
        deliveryTypeId: type.id,
        currency: "EUR",
        country: "DE",
        budget: "25000.00",
        startDate: fromToday(-30),
        endDate: fromToday(365),
      })
      .returning();
    if (!program) throw new Error("program insert failed");
    await seeded(
      demoOrganisationId,
      "program.created",
      { type: "program", id: program.id, name: program.name },
      {
        name: program.name,
        currency: "EUR",
        budget: "25000.00",
      },
    );
    const [application] = await tx
      .insert(programApplications)
      .values({
        programId: program.id,
        organisationId: partner.id,
        status: "accepted",
        appliedAt: new Date(),
        decidedAt: new Date(),
      })
      .returning();
    if (!application) throw new Error("application insert failed");
    await seeded(
      demoOrganisationId,
      "program_application.accepted",
      { type: "program_application", id: application.id, name: PARTNER_ORGANISATION },
      { status: "accepted" },
    );

    const managed = await opportunity(tx, {
      organisationId: partner.id,
      programId: program.id,
      name: "Reading mentors",
      shortDescription: "Read with a child once a week",
      description: "Spend an hour a week reading with a primary-school child in a Berlin after-school club.",
      role: "Reading Mentor",
      workEnvironment: "in_person",
      minHoursPerWeek: 1,
      totalBudget: "6000.00",
      currency: "EUR",
      country: "DE",
      deliveryTypeId: type.id,
      startDate: fromToday(0),
      endDate: fromToday(300),
    });
    await seeded(
      partner.id,
      "opportunity.created",
      { type: "opportunity", id: managed.id, name: managed.name },
      {
        name: managed.name,
        status: "open",
      },
    );
    const [session] = await tx
      .insert(paymentUnits)
      .values({ opportunityId: managed.id, name: "Reading session", amount: "20.00", maxTotal: 40, maxDaily: 1 })
      .returning();
    const [report] = await tx
      .insert(paymentUnits)
      .values({
        opportunityId: managed.id,
        parentPaymentUnitId: session?.id,
        name: "Session report",
        amount: "5.00",
        orgAmount: "1.00",
        maxTotal: 40,
        maxDaily: 1,
      })
      .returning();
    if (!session || !report) throw new Error("payment unit insert failed");
    for (const unit of [session, report]) {
      await seeded(
        partner.id,
        "payment_unit.created",
        { type: "payment_unit", id: unit.id, name: unit.name },
        {
          name: unit.name,
          amount: unit.amount,
        },
      );
    }
    const units = await tx
      .insert(deliverUnits)
      .values([
        { opportunityId: managed.id, paymentUnitId: session.id, name: "Reading session", slug: "reading-session" },
        { opportunityId: managed.id, paymentUnitId: report.id, name: "Session report", slug: "session-report" },
        { opportunityId: managed.id, name: "Safeguarding training", slug: "safeguarding", optional: true },
      ])
      .returning();
    for (const unit of units) {
      await seeded(
        partner.id,
        "deliver_unit.created",
        { type: "deliver_unit", id: unit.id, name: unit.name },
        {
          name: unit.name,
          slug: unit.slug,
        },
      );
    }

    const standalone = await opportunity(tx, {
      organisationId: demoOrganisationId,
      name: "Open-source maintainer",
      shortDescription: "Triage issues for our public API client",
      description: "Review pull requests and triage issues of the Muster API client, remotely, two hours a week.",
      role: "Software Engineer",
      workEnvironment: "remote",
      minHoursPerWeek: 2,
      startDate: fromToday(0),
    });
    await seeded(
      demoOrganisationId,
      "opportunity.created",
      { type: "opportunity", id: standalone.id, name: standalone.name },
      { name: standalone.name, status: "open" },
    );
  });
}

/** One of the catalog's delivery types (seed-catalogs.ts runs first). */
async function deliveryType(tx: Queryable) {
  const [type] = await tx.select().from(deliveryTypes).where(eq(deliveryTypes.slug, "field-work"));
  if (!type) throw new Error('the delivery type "field-work" is not seeded');
  return type;
}

async function opportunity(tx: Queryable, values: typeof opportunities.$inferInsert) {
  const [row] = await tx
    .insert(opportunities)
    .values({ visibility: "public", status: "open", ...values })
    .returning();
  if (!row) throw new Error("opportunity insert failed");
  return row;
}
