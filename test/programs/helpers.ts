// What the program suites share: a valid program body, programs made through the API, and their rows.

import { eq } from "drizzle-orm";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { programGrants } from "../../schema";
import { call, deliveryType, type Tenant, uniqueSuffix, withDb } from "../harness";

export const DELIVERY_TYPE = "test-delivery";

/** A body the API accepts for the tenant (after `makeProgramManager`), with overrides. */
export async function programBody(tenant: Tenant, overrides: Record<string, unknown> = {}) {
  await deliveryType(DELIVERY_TYPE);
  return {
    organisation_id: tenant.id,
    name: `Program ${uniqueSuffix()}`,
    delivery_type: DELIVERY_TYPE,
    currency: "EUR",
    country: "DE",
    budget: "10000.00",
    start_date: "2026-01-01",
    end_date: "2026-12-31",
    ...overrides,
  };
}

export async function createProgram(tenant: Tenant, overrides: Record<string, unknown> = {}, token?: string) {
  return call("POST", "/v1/programs", {
    token: token ?? tenant.people.owner.token,
    body: await programBody(tenant, overrides),
  });
}

export const programUuid = (id: string) => parseTypeId(ID_PREFIX.program, id) as string;

/** The access-list grants to a program. */
export async function grantsOf(programId: string) {
  return withDb((db) =>
    db
      .select()
      .from(programGrants)
      .where(eq(programGrants.programId, programUuid(programId))),
  );
}

/** Adds a program to a member's access list, as PUT /v1/members/{id}/access would. */
export async function grant(tenant: Tenant, memberId: string, programId: string) {
  await withDb((db) =>
    db.insert(programGrants).values({
      organisationId: tenant.uuid,
      programId: programUuid(programId),
      membershipId: parseTypeId(ID_PREFIX.membership, memberId) as string,
    }),
  );
}
