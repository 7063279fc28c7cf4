// Tenants seeded with every built-in role and a service account, people added to them, and what they hold.

import { and, count, eq } from "drizzle-orm";
import { ID_PREFIX, parseTypeId, toTypeId } from "../../functions/platform/ids";
import { SCOPES } from "../../functions/platform/permissions";
import { invitations, memberships, organisations, type PlanName, type PlanOverrides, roles, users } from "../../schema";
import { call } from "./call";
import { auditTrail, withDb } from "./db";
import { BUILT_IN, type BuiltIn, testEnv, uniqueSuffix } from "./env";
import { personToken, serviceToken } from "./tokens";

export interface Person {
  email: string;
  memberId: string;
  userId: string;
  token: string;
}

export interface Tenant {
  id: string;
  uuid: string;
  name: string;
  roleIds: Record<BuiltIn, string>;
  people: Record<BuiltIn, Person>;
  serviceAccount: { id: string; roleId: string; clientId: string; clientSecret: string; token: string };
  /** A token for the person holding a built-in role, optionally with only some scopes. */
  tokenFor(role: BuiltIn, scopes?: string[]): Promise<string>;
}

/** How the suites' tenants are set up by default: every feature, no quota, and room for any suite's pace. */
export const SUITE_PLAN = {
  plan: "enterprise" as PlanName,
  planOverrides: { rate_limit: { limit: 100_000, window_seconds: 60 } } as PlanOverrides,
};

/**
 * An organisation with a person in every built-in role and a service account (manager role) with a credential,
 * on the suites' plan unless another is given (new organisations start on free; the plan tests ask for it).
 */
export async function createTenant(
  label: string,
  options: { plan?: PlanName; planOverrides?: PlanOverrides } = {},
): Promise<Tenant> {
  const suffix = uniqueSuffix();
  const emailFor = (role: BuiltIn) => `${role}-${suffix}@${label}.test`;
  const ownerToken = await personToken({ email: emailFor("owner") });
  const created = await call("POST", "/v1/organisations", { token: ownerToken, body: { name: `${label} ${suffix}` } });
  if (created.status !== 201) throw new Error(`tenant creation failed: ${created.status} ${created.text}`);
  const id: string = created.body.id;
  const uuid = parseTypeId(ID_PREFIX.organisation, id) as string;

  const people = {} as Record<BuiltIn, Person>;
  const roleIds = {} as Record<BuiltIn, string>;
  await withDb(async (db) => {
    await db
      .update(organisations)
      .set({
        plan: options.plan ?? SUITE_PLAN.plan,
        planOverrides: options.planOverrides ?? (options.plan ? {} : SUITE_PLAN.planOverrides),
      })
      .where(eq(organisations.id, uuid));
    const orgRoles = await db.select().from(roles).where(eq(roles.organisationId, uuid));
    for (const role of BUILT_IN) {
      const row = orgRoles.find((r) => r.key === role);
      if (!row) throw new Error(`missing role ${role}`);
      roleIds[role] = toTypeId(ID_PREFIX.role, row.id);
    }
    const [owner] = await db
      .select({ membership: memberships, user: users })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organisationId, uuid));
    if (!owner) throw new Error("owner membership missing");
    people.owner = {
      email: emailFor("owner"),
      memberId: toTypeId(ID_PREFIX.membership, owner.membership.id),
      userId: toTypeId(ID_PREFIX.user, owner.user.id),
      token: ownerToken,
    };
    for (const role of BUILT_IN.filter((r) => r !== "owner")) {
      const email = emailFor(role);
      const [user] = await db
        .insert(users)
        .values({ issuer: testEnv.AUTH_ISSUER, subject: `test|${email}`, email, emailVerified: true, name: role })
        .returning();
      const [membership] = await db
        .insert(memberships)
        .values({ organisationId: uuid, userId: user!.id, roleId: parseTypeId(ID_PREFIX.role, roleIds[role])! })
        .returning();
      people[role] = {
        email,
        memberId: toTypeId(ID_PREFIX.membership, membership!.id),
        userId: toTypeId(ID_PREFIX.user, user!.id),
        token: await personToken({ email }),
      };
    }
  });

  const account = await call("POST", "/v1/service-accounts", {
    token: ownerToken,
    body: { organisation_id: id, name: `robot ${suffix}`, role_id: roleIds.manager },
  });
  if (account.status !== 201) throw new Error(`service account creation failed: ${account.text}`);
  const credential = await call("POST", `/v1/service-accounts/${account.body.id}/credentials`, {
    token: ownerToken,
    body: { name: "test", scopes: SCOPES },
  });
  if (credential.status !== 201) throw new Error(`credential creation failed: ${credential.text}`);
  const token = await serviceToken(credential.body.client_id, credential.body.client_secret);

  return {
    id,
    uuid,
    name: created.body.name,
    roleIds,
    people,
    serviceAccount: {
      id: account.body.id,
      roleId: roleIds.manager,
      clientId: credential.body.client_id,
      clientSecret: credential.body.client_secret,
      token,
    },
    tokenFor: (role, scopes) => personToken({ email: emailFor(role), scopes }),
  };
}

/** Adds a person to a tenant directly (invitations come later), returning their membership and token. */
export async function addPerson(tenant: Tenant, role: BuiltIn | string, label = "extra"): Promise<Person> {
  const email = `${label}-${uniqueSuffix()}@${tenant.uuid.slice(0, 8)}.test`;
  const roleId = parseTypeId(ID_PREFIX.role, (tenant.roleIds as Record<string, string>)[role] ?? role);
  if (!roleId) throw new Error(`unknown role ${role}`);
  return withDb(async (db) => {
    const [user] = await db
      .insert(users)
      .values({ issuer: testEnv.AUTH_ISSUER, subject: `test|${email}`, email, emailVerified: true, name: label })
      .returning();
    const [membership] = await db
      .insert(memberships)
      .values({ organisationId: tenant.uuid, userId: user!.id, roleId })
      .returning();
    return {
      email,
      memberId: toTypeId(ID_PREFIX.membership, membership!.id),
      userId: toTypeId(ID_PREFIX.user, user!.id),
      token: await personToken({ email }),
    };
  });
}

/** How many invitations a tenant holds for an email, whatever their status. */
export async function invitationsTo(tenant: Tenant, email: string): Promise<number> {
  const [row] = await withDb((db) =>
    db
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.organisationId, tenant.uuid), eq(invitations.email, email))),
  );
  return row?.n ?? 0;
}

/** The audit events about one invitation, oldest first. */
export async function invitationTrail(tenant: Tenant, invitationId: string) {
  const uuid = parseTypeId(ID_PREFIX.invitation, invitationId);
  return (await auditTrail(tenant.uuid)).filter((event) => event.resourceId === uuid);
}
