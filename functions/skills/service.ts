import { and, eq, ne, sql } from "drizzle-orm";
import { type PracticeArea, type Skill, skills } from "../../schema";
import { type AuditScope, PLATFORM_ORGANISATION_ID, recordChange } from "../platform/audit";
import type { Queryable } from "../platform/db";
import { conflict, notFound } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import type { PersonContext } from "../platform/people";
import { presentSkill } from "./schemas";

export interface NewSkill {
  name: string;
  description: string;
  practice_areas: PracticeArea[];
}

export interface SkillChanges extends Partial<NewSkill> {
  /** `true` retires the skill (as DELETE does), `false` brings a retired one back. */
  retired?: boolean;
}

/**
 * The skill catalog is global: its events go to the platform's trail (PLATFORM_ORGANISATION_ID), with the
 * platform administrator who curated it as the actor.
 */
const platformScope = (ctx: PersonContext): AuditScope => ({
  actor: ctx.actor,
  meta: ctx.meta,
  organisationId: PLATFORM_ORGANISATION_ID,
});
const resourceOf = (row: Skill) => ({ type: "skill", id: row.id, name: row.name });

/** The skill holding a name, case-insensitively (other than `except`). */
async function holderOf(tx: Queryable, name: string, except?: string) {
  const [holder] = await tx
    .select({ id: skills.id, name: skills.name })
    .from(skills)
    .where(and(sql`lower(${skills.name}) = lower(${name})`, except ? ne(skills.id, except) : undefined))
    .limit(1);
  return holder;
}

function nameTaken(holder: { id: string; name: string }): never {
  throw conflict(`The catalog already has the skill "${holder.name}" (names are unique, whatever their case).`, {
    existing_id: toTypeId(ID_PREFIX.skill, holder.id),
  });
}

/** A new skill; its name is unique case-insensitively (409 with the existing one's id). */
export async function createSkill(ctx: PersonContext, input: NewSkill): Promise<Skill> {
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(skills)
      .values({ name: input.name, description: input.description, practiceAreas: input.practice_areas })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      // The unique index on lower(name) refused it: the conflicting insert has committed, so it is visible now.
      const holder = await holderOf(tx, input.name);
      if (holder) nameTaken(holder);
      throw conflict("A skill with this name was just created; retry to see it.");
    }
    await recordChange(tx, platformScope(ctx), {
      action: "skill.created",
      resource: resourceOf(created),
      before: null,
      after: presentSkill(created),
    });
    return created;
  });
}

async function lockSkill(tx: Queryable, id: string): Promise<Skill> {
  const [row] = await tx.select().from(skills).where(eq(skills.id, id)).for("update");
  if (!row) throw notFound("skill");
  return row;
}

/**
 * Renames, redescribes, re-files, retires or restores a skill; a new name must be free (409). One event:
 * `skill.retired` when it retires it, `skill.updated` otherwise; a change that changes nothing writes nothing.
 * Matrices refer to skills by id: they keep the skill through a rename.
 */
export async function updateSkill(ctx: PersonContext, id: string, input: SkillChanges): Promise<Skill> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockSkill(tx, id);
    const next: Skill = {
      ...before,
      name: input.name ?? before.name,
      description: input.description ?? before.description,
      practiceAreas: input.practice_areas ?? before.practiceAreas,
      retiredAt:
        input.retired === undefined ? before.retiredAt : input.retired ? (before.retiredAt ?? new Date()) : null,
    };
    const retiring = before.retiredAt === null && next.retiredAt !== null;
    const changed = await recordChange(tx, platformScope(ctx), {
      action: retiring ? "skill.retired" : "skill.updated",
      resource: resourceOf(next),
      before: presentSkill(before),
      after: presentSkill(next),
    });
    if (!changed) return before;
    // The unique index decides a race for the same name; the check first gives the caller the existing id.
    if (next.name !== before.name) {
      const holder = await holderOf(tx, next.name, id);
      if (holder) nameTaken(holder);
    }
    const [after] = await tx
      .update(skills)
      .set({
        name: next.name,
        description: next.description,
        practiceAreas: next.practiceAreas,
        retiredAt: next.retiredAt,
      })
      .where(eq(skills.id, id))
      .returning();
    if (!after) throw notFound("skill");
    return after;
  });
}

/**
 * Retires a skill (what DELETE does): it stays in every matrix that holds it and is shown as retired, but no
 * new matrix may add it. Retiring a retired skill changes nothing (no event; its `retired_at` stays). The row
 * lock waits for matrices being written with it (assertSkillsUsable share-locks the skills it checks).
 */
export async function retireSkill(ctx: PersonContext, id: string): Promise<Skill> {
  return updateSkill(ctx, id, { retired: true });
}
