// What the unit suites share: a program-manager organisation with a program, a delivering organisation with an
// accepted application and a managed opportunity under it, a standalone opportunity, and the calls they make.

import { asc, eq } from "drizzle-orm";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { auditEvents, programGrants } from "../../schema";
import {
  addPerson,
  call,
  createTenant,
  insertApplication,
  insertOpportunity,
  insertProgram,
  type Made,
  makeProgramManager,
  type Person,
  type Reply,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "../harness";

export interface Arrangement {
  /** Runs the program. */
  funder: Tenant;
  /** Delivers the managed opportunity (accepted into the program) and a standalone one. */
  deliverer: Tenant;
  program: Made;
  /** Managed, EUR, 2026-01-01 .. 2026-12-31, draft. */
  managed: Made;
  /** Standalone, JPY, from 2026-01-01 with no end date. */
  standalone: Made;
}

export async function arrange(label: string): Promise<Arrangement> {
  const [funder, deliverer] = await Promise.all([createTenant(`${label}-funder`), createTenant(`${label}-deliverer`)]);
  await makeProgramManager(funder);
  const program = await insertProgram(funder);
  await insertApplication(program.uuid, deliverer, "accepted");
  const managed = await insertOpportunity(deliverer, {
    programId: program.uuid,
    currency: "EUR",
    country: "DE",
    status: "draft",
    startDate: "2026-01-01",
    endDate: "2026-12-31",
  });
  const standalone = await insertOpportunity(deliverer, { currency: "JPY", startDate: "2026-01-01", endDate: null });
  return { funder, deliverer, program, managed, standalone };
}

/** A valid payment unit body for an opportunity, with overrides. */
export const paymentUnitBody = (opportunityId: string, overrides: Record<string, unknown> = {}) => ({
  opportunity_id: opportunityId,
  name: `unit ${uniqueSuffix()}`,
  amount: "12.50",
  max_total: 100,
  max_daily: 5,
  ...overrides,
});

export async function createPaymentUnit(
  token: string,
  opportunityId: string,
  overrides: Record<string, unknown> = {},
): Promise<Reply> {
  return call("POST", "/v1/payment-units", { token, body: paymentUnitBody(opportunityId, overrides) });
}

/** Creates one and fails the test unless it was created. */
export async function madePaymentUnit(
  token: string,
  opportunityId: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const reply = await createPaymentUnit(token, opportunityId, overrides);
  if (reply.status !== 201) throw new Error(`payment unit not created: ${reply.status} ${reply.text}`);
  return reply.body.id;
}

export const deliverUnitBody = (opportunityId: string, overrides: Record<string, unknown> = {}) => ({
  opportunity_id: opportunityId,
  name: `deliverable ${uniqueSuffix()}`,
  slug: `deliverable-${uniqueSuffix()}`,
  ...overrides,
});

export async function createDeliverUnit(
  token: string,
  opportunityId: string,
  overrides: Record<string, unknown> = {},
): Promise<Reply> {
  return call("POST", "/v1/deliver-units", { token, body: deliverUnitBody(opportunityId, overrides) });
}

/** The audit events about one resource (by its TypeID), in whichever organisation, oldest first. */
export async function eventsAbout(typeId: string) {
  const [prefix] = typeId.split("_");
  const uuid = parseTypeId(prefix === "pu" ? ID_PREFIX.payment_unit : ID_PREFIX.deliver_unit, typeId);
  return withDb((db) =>
    db.select().from(auditEvents).where(eq(auditEvents.resourceId, uuid!)).orderBy(asc(auditEvents.id)),
  );
}

/** Puts a program on a member's access list, straight in the database (the access-list endpoints are elsewhere). */
export async function grantProgram(tenant: Tenant, person: Person, programUuid: string): Promise<void> {
  await withDb((db) =>
    db.insert(programGrants).values({
      organisationId: tenant.uuid,
      programId: programUuid,
      membershipId: parseTypeId(ID_PREFIX.membership, person.memberId)!,
    }),
  );
}

/** A person in a custom role of the tenant with global access and just these permissions. */
export async function personWith(tenant: Tenant, permissions: string[]): Promise<Person> {
  const role = await call("POST", "/v1/roles", {
    token: tenant.people.owner.token,
    body: {
      organisation_id: tenant.id,
      name: `only ${permissions.join(" ")} ${uniqueSuffix()}`,
      permissions,
      global_access: true,
    },
  });
  if (role.status !== 201) throw new Error(`role not created: ${role.text}`);
  return addPerson(tenant, role.body.id, "custom");
}
