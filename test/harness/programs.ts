// Programs, applications, opportunities and units written straight into the database, so a suite can arrange
// the parents it needs without depending on the endpoints of another area.

import { eq } from "drizzle-orm";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import {
  deliverUnits,
  deliveryTypes,
  type NewOpportunityRow,
  type NewPaymentUnitRow,
  type NewProgramRow,
  opportunities,
  organisations,
  type ProgramApplicationStatus,
  paymentUnits,
  programApplications,
  programs,
} from "../../schema";
import { withDb } from "./db";
import { uniqueSuffix } from "./env";
import type { Tenant } from "./tenants";

export interface Made {
  /** The TypeID the API shows. */
  id: string;
  uuid: string;
}

/** Marks the tenant's organisation a program manager (what a platform administrator does). */
export async function makeProgramManager(tenant: Tenant, programManager = true): Promise<void> {
  await withDb((db) => db.update(organisations).set({ programManager }).where(eq(organisations.id, tenant.uuid)));
}

/** A delivery type (created once per slug). */
export async function deliveryType(slug = "test-delivery"): Promise<Made & { slug: string }> {
  return withDb(async (db) => {
    await db.insert(deliveryTypes).values({ slug, name: slug, description: "Made by a test." }).onConflictDoNothing();
    const [row] = await db.select().from(deliveryTypes).where(eq(deliveryTypes.slug, slug));
    return { id: toTypeId(ID_PREFIX.delivery_type, row!.id), uuid: row!.id, slug };
  });
}

/** A program of the tenant (EUR, DE, budget 10000.00, all of 2026–2027 unless overridden). */
export async function insertProgram(tenant: Tenant, values: Partial<NewProgramRow> = {}): Promise<Made> {
  const type = await deliveryType();
  return withDb(async (db) => {
    const [row] = await db
      .insert(programs)
      .values({
        organisationId: tenant.uuid,
        name: `program ${uniqueSuffix()}`,
        deliveryTypeId: type.uuid,
        currency: "EUR",
        country: "DE",
        budget: "10000.00",
        startDate: "2026-01-01",
        endDate: "2027-12-31",
        ...values,
      })
      .returning();
    return { id: toTypeId(ID_PREFIX.program, row!.id), uuid: row!.id };
  });
}

/** An application of `tenant` to a program, in the given status. */
export async function insertApplication(
  programUuid: string,
  tenant: Tenant,
  status: ProgramApplicationStatus = "accepted",
): Promise<Made> {
  return withDb(async (db) => {
    const [row] = await db
      .insert(programApplications)
      .values({ programId: programUuid, organisationId: tenant.uuid, status })
      .returning();
    return { id: toTypeId(ID_PREFIX.program_application, row!.id), uuid: row!.id };
  });
}

/**
 * An opportunity delivered by the tenant: standalone, open and public unless overridden. Pass `programId` (and
 * the program's currency, country and delivery type) for a managed one.
 */
export async function insertOpportunity(tenant: Tenant, values: Partial<NewOpportunityRow> = {}): Promise<Made> {
  return withDb(async (db) => {
    const [row] = await db
      .insert(opportunities)
      .values({
        organisationId: tenant.uuid,
        name: `opportunity ${uniqueSuffix()}`,
        visibility: "public",
        status: "open",
        startDate: "2026-01-01",
        workEnvironment: "remote",
        minHoursPerWeek: 5,
        ...values,
      })
      .returning();
    return { id: toTypeId(ID_PREFIX.opportunity, row!.id), uuid: row!.id };
  });
}

/** A payment unit of an opportunity (amount 10.00, at most 10 per person and 2 a day unless overridden). */
export async function insertPaymentUnit(opportunityUuid: string, values: Partial<NewPaymentUnitRow> = {}) {
  return withDb(async (db) => {
    const [row] = await db
      .insert(paymentUnits)
      .values({
        opportunityId: opportunityUuid,
        name: `unit ${uniqueSuffix()}`,
        amount: "10.00",
        maxTotal: 10,
        maxDaily: 2,
        ...values,
      })
      .returning();
    return { id: toTypeId(ID_PREFIX.payment_unit, row!.id), uuid: row!.id } satisfies Made;
  });
}

/** A deliver unit of an opportunity. */
export async function insertDeliverUnit(opportunityUuid: string, paymentUnitUuid: string | null = null) {
  return withDb(async (db) => {
    const slug = `unit-${uniqueSuffix()}`;
    const [row] = await db
      .insert(deliverUnits)
      .values({ opportunityId: opportunityUuid, paymentUnitId: paymentUnitUuid, name: slug, slug })
      .returning();
    return { id: toTypeId(ID_PREFIX.deliver_unit, row!.id), uuid: row!.id } satisfies Made;
  });
}
