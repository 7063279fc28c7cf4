import { and, eq } from "drizzle-orm";
import { createOrganisation } from "../functions/organisations/service";
import { personActor, systemActor } from "../functions/platform/actor";
import { type Change, recordChange } from "../functions/platform/audit";
import type { Database } from "../functions/platform/db";
import { ID_PREFIX, toTypeId } from "../functions/platform/ids";
import { SCOPES } from "../functions/platform/permissions";
import { generateSecret, hashSecret } from "../functions/platform/secrets";
import {
  type AuditAction,
  memberships,
  organisations,
  roles,
  serviceAccountCredentials,
  serviceAccounts,
} from "../schema";
import { seedDeliveryTypes, seedSkills } from "./seed-catalogs";
import { upsertDemoUser } from "./seed-people";
import { seedPlans } from "./seed-plans";
import { seedPrograms } from "./seed-programs";
import { seedVolunteers } from "./seed-volunteers";

export const DEMO_ORGANISATION = "Demo Organisation";
export const DEMO_PEOPLE = [
  { email: "alice@example.com", name: "Alice Owner", role: "owner" },
  { email: "bob@example.com", name: "Bob Admin", role: "admin" },
  { email: "carol@example.com", name: "Carol Member", role: "member" },
] as const;
/** Owns the partner organisation, which delivers an opportunity under the demo organisation's program. */
export const PARTNER_OWNER = { email: "pat@example.com", name: "Pat Partner" } as const;

const SYSTEM = systemActor("seed");

export interface DemoSeed {
  organisationId: string;
  clientId: string;
  /** Only when this run created the credential: secrets are shown once. */
  clientSecret: string | null;
}

/** Seeds the delivery types and skills, then the demo organisation once: an owner, an admin, a member and a service account with a credential. */
export async function seedDemo(db: Database): Promise<DemoSeed> {
  // The global catalogs first: what the demo's programs and opportunities name.
  await seedDeliveryTypes(db);
  await seedSkills(db);
  const [owner, ...others] = await Promise.all(DEMO_PEOPLE.map((p) => upsertDemoUser(db, p.email, p.name)));
  if (!owner) throw new Error("no owner");
  const [existing] = await db
    .select({ organisation: organisations })
    .from(organisations)
    .innerJoin(memberships, and(eq(memberships.organisationId, organisations.id), eq(memberships.userId, owner.id)))
    .where(eq(organisations.name, DEMO_ORGANISATION))
    .limit(1);
  if (existing) {
    await seedPrograms(db, existing.organisation.id, await upsertDemoUser(db, PARTNER_OWNER.email, PARTNER_OWNER.name));
    await seedVolunteers(db, existing.organisation.id);
    await seedPlans(db, existing.organisation.id);
    const [credential] = await db
      .select()
      .from(serviceAccountCredentials)
      .where(eq(serviceAccountCredentials.organisationId, existing.organisation.id))
      .limit(1);
    return {
      organisationId: existing.organisation.id,
      clientId: credential ? toTypeId(ID_PREFIX.credential, credential.id) : "(none)",
      clientSecret: null,
    };
  }
  const organisation = await createOrganisation(
    { db, user: owner, actor: personActor(owner), meta: null },
    { name: DEMO_ORGANISATION, exclusive_membership: false },
  );
  const secret = generateSecret("mst_secret_");
  const credentialId = await db.transaction(async (tx) => {
    // What the seed adds is on the trail like anything else, by the system.
    const seeded = (resource: Change["resource"], action: AuditAction, after: Record<string, unknown>) =>
      recordChange(
        tx,
        { actor: SYSTEM, meta: null, organisationId: organisation.id },
        { action, resource, before: null, after },
      );
    const orgRoles = await tx.select().from(roles).where(eq(roles.organisationId, organisation.id));
    const roleId = (key: string) => {
      const role = orgRoles.find((r) => r.key === key);
      if (!role) throw new Error(`role ${key} missing`);
      return role.id;
    };
    for (const [index, user] of others.entries()) {
      const person = DEMO_PEOPLE[index + 1];
      if (!person) continue;
      const [membership] = await tx
        .insert(memberships)
        .values({ organisationId: organisation.id, userId: user.id, roleId: roleId(person.role) })
        .returning();
      if (!membership) throw new Error("membership insert failed");
      await seeded({ type: "member", id: membership.id, name: user.email }, "member.added", { role: person.role });
    }
    const [account] = await tx
      .insert(serviceAccounts)
      .values({
        organisationId: organisation.id,
        name: "Demo integration",
        description: "Seeded",
        roleId: roleId("manager"),
      })
      .returning();
    if (!account) throw new Error("service account insert failed");
    const [credential] = await tx
      .insert(serviceAccountCredentials)
      .values({
        organisationId: organisation.id,
        serviceAccountId: account.id,
        name: "Demo credential",
        secretHash: await hashSecret(secret),
        secretHint: secret.slice(-4),
        scopes: [...SCOPES],
      })
      .returning();
    if (!credential) throw new Error("credential insert failed");
    await seeded({ type: "service_account", id: account.id, name: account.name }, "service_account.created", {
      name: account.name,
      role: "manager",
    });
    return credential.id;
  });
  await seedPrograms(db, organisation.id, await upsertDemoUser(db, PARTNER_OWNER.email, PARTNER_OWNER.name));
  await seedVolunteers(db, organisation.id);
  await seedPlans(db, organisation.id);
  return {
    organisationId: organisation.id,
    clientId: toTypeId(ID_PREFIX.credential, credentialId),
    clientSecret: secret,
  };
}
