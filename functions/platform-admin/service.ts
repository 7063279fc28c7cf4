import { eq } from "drizzle-orm";
import { type Organisation, organisations, type PlanName, type PlanOverrides } from "../../schema";
import { presentOrganisation } from "../organisations/schemas";
import { recordChange } from "../platform/audit";
import { notFound } from "../platform/errors";
import type { PersonContext } from "../platform/people";

/** What a platform administrator sets on an organisation. */
export interface OrganisationAdministration {
  program_manager?: boolean;
  plan?: PlanName;
  /** In normal form (ip-allowlist.ts). */
  allowed_ips?: string[];
  overrides?: {
    features?: Record<string, boolean | null | undefined>;
    quotas?: Record<string, number | "unlimited" | null | undefined>;
    rate_limit?: { limit: number; window_seconds: number } | null;
  } | null;
}

/** Overrides merged key by key: a value sets, null removes, a key left out stays. */
function mergeOverrides(current: PlanOverrides, patch: OrganisationAdministration["overrides"]): PlanOverrides {
  if (patch === null) return {};
  if (patch === undefined) return current;
  const merged: PlanOverrides = { ...current };
  const features = { ...(current.features ?? {}) };
  for (const [name, value] of Object.entries(patch.features ?? {})) {
    if (value === null) delete features[name];
    else if (value !== undefined) features[name] = value;
  }
  const quotas = { ...(current.quotas ?? {}) };
  for (const [name, value] of Object.entries(patch.quotas ?? {})) {
    if (value === null) delete quotas[name];
    else if (value !== undefined) quotas[name] = value === "unlimited" ? null : value;
  }
  merged.features = features;
  merged.quotas = quotas;
  if (patch.rate_limit === null) delete merged.rate_limit;
  else if (patch.rate_limit !== undefined) merged.rate_limit = patch.rate_limit;
  if (Object.keys(features).length === 0) delete merged.features;
  if (Object.keys(quotas).length === 0) delete merged.quotas;
  return merged;
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
    const next = {
      programManager: input.program_manager ?? before.programManager,
      plan: input.plan ?? before.plan,
      planOverrides: mergeOverrides(before.planOverrides ?? {}, input.overrides),
      allowedIps: input.allowed_ips ?? before.allowedIps,
    };
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
