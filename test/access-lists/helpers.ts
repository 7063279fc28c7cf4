// What the access-list suites share: a tenant with programs of its own, programs of another organisation (one it
// delivers under, one it is only invited to, one it has nothing to do with), callers without global access, and
// the grants as stored.

import { asc, eq } from "drizzle-orm";
import { ID_PREFIX, parseTypeId, toTypeId } from "../../functions/platform/ids";
import { programGrants } from "../../schema";
import {
  addPerson,
  call,
  createTenant,
  insertApplication,
  insertProgram,
  type Made,
  type Person,
  type Reply,
  serviceToken,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "../harness";

export interface World {
  tenant: Tenant;
  /** Another organisation: it runs `foreign`, `delivered` (tenant accepted) and `invitedOnly` (tenant invited). */
  partner: Tenant;
  own: [Made, Made, Made];
  foreign: Made;
  delivered: Made;
  invitedOnly: Made;
}

export async function world(label: string): Promise<World> {
  const [tenant, partner] = await Promise.all([createTenant(label), createTenant(`${label}-partner`)]);
  const own = (await Promise.all([
    insertProgram(tenant),
    insertProgram(tenant),
    insertProgram(tenant),
  ])) as World["own"];
  const [foreign, delivered, invitedOnly] = await Promise.all([
    insertProgram(partner),
    insertProgram(partner),
    insertProgram(partner),
  ]);
  await insertApplication(delivered.uuid, tenant, "accepted");
  await insertApplication(invitedOnly.uuid, tenant, "invited");
  return { tenant, partner, own, foreign, delivered, invitedOnly };
}

export type HolderPath = `/v1/members/${string}/access` | `/v1/service-accounts/${string}/access`;
export const memberAccess = (memberId: string): HolderPath => `/v1/members/${memberId}/access`;
export const accountAccess = (accountId: string): HolderPath => `/v1/service-accounts/${accountId}/access`;

export const putAccess = (path: HolderPath, token: string, programs: string[]): Promise<Reply> =>
  call("PUT", path, { token, body: { programs } });
export const getAccess = (path: HolderPath, token: string): Promise<Reply> => call("GET", path, { token });

/** The program ids a reply shows, in its order. */
export const shown = (reply: Reply): string[] => reply.body.programs.map((program: { id: string }) => program.id);

/** TypeIDs sorted as the API sorts them (oldest program first). */
export const sorted = (ids: string[]): string[] => [...ids].sort();

/** The grants stored for a member (`mem_…`) or a service account (`sa_…`), as sorted program TypeIDs. */
export async function storedGrants(holderId: string): Promise<string[]> {
  const member = parseTypeId(ID_PREFIX.membership, holderId);
  const column = member ? programGrants.membershipId : programGrants.serviceAccountId;
  const uuid = member ?? parseTypeId(ID_PREFIX.service_account, holderId);
  if (!uuid) throw new Error(`not a holder id: ${holderId}`);
  const rows = await withDb((db) =>
    db
      .select({ programId: programGrants.programId })
      .from(programGrants)
      .where(eq(column, uuid))
      .orderBy(asc(programGrants.programId)),
  );
  return rows.map((row) => toTypeId(ID_PREFIX.program, row.programId));
}

/** A custom role without global access that may change access lists (and run programs). */
export async function granterRole(tenant: Tenant): Promise<string> {
  const reply = await call("POST", "/v1/roles", {
    token: tenant.people.owner.token,
    body: {
      organisation_id: tenant.id,
      name: `granter ${uniqueSuffix()}`,
      permissions: ["members:write", "service_accounts:write", "programs:write", "opportunities:write"],
    },
  });
  if (reply.status !== 201) throw new Error(`role creation failed: ${reply.text}`);
  return reply.body.id;
}

/** A person in a role without global access who may change access lists, granted `programs` by the owner. */
export async function limitedGranter(tenant: Tenant, programs: string[]): Promise<Person> {
  const person = await addPerson(tenant, await granterRole(tenant), "granter");
  const granted = await putAccess(memberAccess(person.memberId), tenant.people.owner.token, programs);
  if (granted.status !== 200) throw new Error(`grant failed: ${granted.text}`);
  return person;
}

/** A service account in `roleId` with a credential and a token, granted `programs` by the owner. */
export async function serviceAccount(
  tenant: Tenant,
  roleId: string,
  programs: string[] = [],
): Promise<{ id: string; token: string }> {
  const owner = tenant.people.owner.token;
  const account = await call("POST", "/v1/service-accounts", {
    token: owner,
    body: { organisation_id: tenant.id, name: `robot ${uniqueSuffix()}`, role_id: roleId },
  });
  if (account.status !== 201) throw new Error(`service account creation failed: ${account.text}`);
  const credential = await call("POST", `/v1/service-accounts/${account.body.id}/credentials`, {
    token: owner,
    body: { name: "test", scopes: ["read", "create"] },
  });
  if (credential.status !== 201) throw new Error(`credential creation failed: ${credential.text}`);
  if (programs.length > 0) {
    const granted = await putAccess(accountAccess(account.body.id), owner, programs);
    if (granted.status !== 200) throw new Error(`grant failed: ${granted.text}`);
  }
  return { id: account.body.id, token: await serviceToken(credential.body.client_id, credential.body.client_secret) };
}
