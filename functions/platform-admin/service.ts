import { eq } from "drizzle-orm";
import { type Organisation, organisations } from "../../schema";
import { presentOrganisation } from "../organisations/schemas";
import { recordChange } from "../platform/audit";
import { notFound } from "../platform/errors";
import type { PersonContext } from "../platform/people";

/** What a platform administrator sets on an organisation (issue 11 adds the plan and its overrides). */
export interface OrganisationAdministration {
  program_manager?: boolean;
}

/**
 * A platform administrator's change to an organisation, audited in that organisation's own trail with the
 * administrator as the actor. Unknown organisation: 404. A change that changes nothing writes nothing.
 */
export async function administerOrganisation(
  ctx: PersonContext,
  id: string,
  input: OrganisationAdministration,
): Promise<Organisation> {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(organisations).where(eq(organisations.id, id)).for("update");
    if (!before) throw notFound("organisation");
    const next = { programManager: input.program_manager ?? before.programManager };
    const changed = await recordChange(
      tx,
      { actor: ctx.actor, meta: ctx.meta, organisationId: id },
      {
        action: "organisation.updated",
        resource: { type: "organisation", id, name: before.name },
        before: presentOrganisation(before),
        after: presentOrganisation({ ...before, ...next }),
      },
    );
    if (!changed) return before;
    const [after] = await tx.update(organisations).set(next).where(eq(organisations.id, id)).returning();
    if (!after) throw notFound("organisation");
    return after;
  });
}
