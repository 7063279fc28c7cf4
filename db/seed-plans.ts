// Plans in the demo: the demo organisation is on pro, and a second organisation on free sits one seat below its
// members quota, so a newcomer meets a quota and a feature gate in two requests (README, "Plans").
import { and, eq } from "drizzle-orm";
import { createOrganisation } from "../functions/organisations/service";
import { personActor, systemActor } from "../functions/platform/actor";
import { recordChange } from "../functions/platform/audit";
import type { Database } from "../functions/platform/db";
import { memberships, organisations, roles } from "../schema";
import { upsertDemoUser } from "./seed-people";

const SYSTEM = systemActor("seed");

export const FREE_ORGANISATION = "Hobby Club";
export const FREE_PEOPLE = [
  { email: "fay@example.com", name: "Fay Free", role: "owner" },
  { email: "finn@example.com", name: "Finn Free", role: "admin" },
  { email: "flo@example.com", name: "Flo Free", role: "member" },
  { email: "fred@example.com", name: "Fred Free", role: "member" },
] as const;

/**
 * Once: moves the demo organisation to pro and creates the free one (four of its five member seats taken). A
 * later run finds the free organisation and changes nothing, so a plan changed by hand stays as it was.
 */
export async function seedPlans(db: Database, demoOrganisationId: string): Promise<void> {
  const people = await Promise.all(FREE_PEOPLE.map((person) => upsertDemoUser(db, person.email, person.name)));
  const owner = people[0];
  if (!owner) throw new Error("no owner");
  const [existing] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .innerJoin(memberships, and(eq(memberships.organisationId, organisations.id), eq(memberships.userId, owner.id)))
    .where(eq(organisations.name, FREE_ORGANISATION))
    .limit(1);
  if (existing) return;
  const organisation = await createOrganisation(
    { db, user: owner, actor: personActor(owner), meta: null },
    { name: FREE_ORGANISATION, exclusive_membership: false },
  );
  await db.transaction(async (tx) => {
    const orgRoles = await tx.select().from(roles).where(eq(roles.organisationId, organisation.id));
    for (const [index, user] of people.entries()) {
      const person = FREE_PEOPLE[index];
      if (!person || person.role === "owner") continue;
      const role = orgRoles.find((candidate) => candidate.key === person.role);
      if (!role) throw new Error(`role ${person.role} missing`);
      const [membership] = await tx
        .insert(memberships)
        .values({ organisationId: organisation.id, userId: user.id, roleId: role.id })
        .returning();
      if (!membership) throw new Error("membership insert failed");
      await recordChange(
        tx,
        { actor: SYSTEM, meta: null, organisationId: organisation.id },
        {
          action: "member.added",
          resource: { type: "member", id: membership.id, name: user.email },
          before: null,
          after: { role: person.role },
        },
      );
    }
    const [demo] = await tx.select().from(organisations).where(eq(organisations.id, demoOrganisationId)).for("update");
    if (demo && demo.plan !== "pro") {
      await tx.update(organisations).set({ plan: "pro" }).where(eq(organisations.id, demo.id));
      await recordChange(
        tx,
        { actor: SYSTEM, meta: null, organisationId: demo.id },
        {
          action: "organisation.updated",
          resource: { type: "organisation", id: demo.id, name: demo.name },
          before: { plan: demo.plan },
          after: { plan: "pro" },
        },
      );
    }
  });
}
