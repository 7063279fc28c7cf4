import { and, eq, notInArray, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { profileSkills, type User, users, type VolunteerProfile, volunteerProfiles } from "../../schema";
import { personActor } from "../platform/actor";
import { PLATFORM_ORGANISATION_ID, recordChange } from "../platform/audit";
import type { Principal } from "../platform/auth";
import type { Database, Queryable } from "../platform/db";
import { notFound, permissionDenied } from "../platform/errors";
import { type AppEnv, principalOf, type RequestMeta, requestMeta } from "../platform/request";
import { weekMinutesOf } from "../platform/week-minutes";
import { assertSkillsUsable } from "../skills/matrix";
import { auditedProfile, type ProfileChanges, presentProfile, type SelfView, sortedSkills } from "./schemas";

export type PersonPrincipal = Extract<Principal, { kind: "user" }>;

/** A person acting on themselves: who they are by their token, before any read (their row is found in the query). */
export interface SelfContext {
  db: Database;
  principal: PersonPrincipal;
  meta: RequestMeta;
}

/** The calling person (no database round trip): a service account has no self, so 403 with the reason given. */
export function selfContext(c: Context<AppEnv>, refusal: string): SelfContext {
  const principal = principalOf(c);
  if (principal.kind !== "user") throw permissionDenied(refusal);
  return { db: c.get("db"), principal, meta: requestMeta(c) };
}

/** `users` row of the token's (issuer, subject). */
export const isPrincipal = (principal: PersonPrincipal): SQL =>
  and(eq(users.issuer, principal.issuer), eq(users.subject, principal.subject)) as SQL;

/** The person with their profile and skill matrix, in one statement. */
function selectSelf(db: Queryable, principal: PersonPrincipal, options: { id?: string } = {}) {
  const skills = sql<{ skillId: string; level: number }[]>`coalesce((select json_agg(json_build_object(
    'skillId', ${profileSkills.skillId}, 'level', ${profileSkills.level}) order by ${profileSkills.skillId})
    from ${profileSkills} where ${profileSkills.userId} = ${users.id}), '[]'::json)`;
  return db
    .select({ user: users, profile: volunteerProfiles, skills })
    .from(users)
    .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, users.id))
    .where(and(isPrincipal(principal), options.id ? eq(users.id, options.id) : undefined))
    .limit(1);
}

/**
 * The calling person and their profile (the empty one before their first PATCH), in one statement. With `id`:
 * only if it is theirs, else 404 — whoever else it names, so nobody learns whether another person exists.
 */
export async function readSelf(db: Queryable, principal: PersonPrincipal, id?: string): Promise<SelfView> {
  const [found] = await selectSelf(db, principal, { id });
  if (!found) throw notFound("user");
  return found;
}

/** The profile's stored fields once `input` is applied to what is there (defaults for a first profile). */
function nextProfile(before: SelfView, input: ProfileChanges) {
  const profile = before.profile;
  return {
    practiceArea: input.practice_area !== undefined ? input.practice_area : (profile?.practiceArea ?? null),
    maxHoursPerWeek: input.max_hours_per_week ?? profile?.maxHoursPerWeek ?? 0,
    availability: input.availability !== undefined ? input.availability : (profile?.availability ?? null),
    workEnvironments: input.work_environments ?? profile?.workEnvironments ?? [],
    discoverable: input.discoverable ?? profile?.discoverable ?? false,
    bio: input.bio ?? profile?.bio ?? "",
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const profilePart = (view: SelfView) => {
  const { updated_at: _, ...profile } = presentProfile(view);
  return profile;
};

/**
 * Sets the calling person's profile (created by the first PATCH that sets anything) and, with `name`, their
 * name. The skill matrix is replaced as a whole when given: unknown skills, and retired ones not already held,
 * are 400 on `skills.<id>`. The users row is locked first, so concurrent changes of one person apply one after
 * the other; the profile row (with `available_minutes` computed from `availability`), its `profile_skills` rows
 * and the `profile.updated` event (the platform's trail: a profile belongs to no organisation) commit together.
 * A PATCH that changes nothing writes nothing.
 */
export async function updateProfile(ctx: SelfContext, input: ProfileChanges): Promise<SelfView> {
  return ctx.db.transaction(async (tx) => {
    // Locked first, read after: a statement that waits for the lock still reads its own (older) snapshot.
    await tx.select({ id: users.id }).from(users).where(isPrincipal(ctx.principal)).for("update");
    const [before] = await selectSelf(tx, ctx.principal);
    if (!before) throw notFound("user");
    const held = new Set(before.skills.map((skill) => skill.skillId));
    if (input.skills) await assertSkillsUsable(tx, "skills", input.skills, held);

    const fields = nextProfile(before, input);
    const skills = input.skills
      ? sortedSkills([...input.skills].map(([skillId, level]) => ({ skillId, level })))
      : before.skills;
    const user: User = { ...before.user, name: input.name ?? before.user.name };
    const draft: VolunteerProfile = before.profile
      ? { ...before.profile, ...fields }
      : {
          userId: user.id,
          availableMinutes: null,
          // Kept by the database's triggers (matching); a draft only needs their shape.
          matchSkillIds: [],
          matchSkillLevels: [],
          createdAt: new Date(),
          updatedAt: new Date(),
          ...fields,
        };
    const after: SelfView = { user, profile: draft, skills };

    const changed = await recordChange(
      tx,
      { actor: personActor(before.user), meta: ctx.meta, organisationId: PLATFORM_ORGANISATION_ID },
      {
        action: "profile.updated",
        resource: { type: "user", id: user.id, name: user.name },
        before: auditedProfile(before),
        after: auditedProfile(after),
      },
    );
    if (!changed) return before;

    let savedUser = before.user;
    if (user.name !== before.user.name) {
      const [renamed] = await tx
        .update(users)
        .set({ name: user.name, nameChosen: true, updatedAt: sql`now()` })
        .where(eq(users.id, user.id))
        .returning();
      if (renamed) savedUser = renamed;
    }
    let savedProfile = before.profile;
    const skillsChanged = !sameJson(before.skills, skills);
    // The profile row is written when the profile changes (a name alone does not create one).
    if (skillsChanged || !sameJson(profilePart(before), profilePart(after))) {
      savedProfile = await saveProfile(tx, user.id, fields);
    }
    if (skillsChanged) await replaceSkills(tx, user.id, skills);
    return { user: savedUser, profile: savedProfile, skills };
  });
}

/** The profile row, created or updated, with `available_minutes` in step with `availability` (same statement). */
async function saveProfile(
  tx: Queryable,
  userId: string,
  fields: ReturnType<typeof nextProfile>,
): Promise<VolunteerProfile> {
  const values = {
    ...fields,
    availableMinutes: sql`${weekMinutesOf(fields.availability)}::int4multirange`,
    updatedAt: sql`now()`,
  };
  const [saved] = await tx
    .insert(volunteerProfiles)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: volunteerProfiles.userId, set: values })
    .returning();
  if (!saved) throw new Error("profile upsert returned nothing");
  return saved;
}

/** The skill matrix's rows made to be exactly `skills`: the ones dropped deleted, the rest upserted. */
async function replaceSkills(tx: Queryable, userId: string, skills: { skillId: string; level: number }[]) {
  const kept = skills.map((skill) => skill.skillId);
  await tx
    .delete(profileSkills)
    .where(
      and(eq(profileSkills.userId, userId), kept.length > 0 ? notInArray(profileSkills.skillId, kept) : undefined),
    );
  if (skills.length === 0) return;
  await tx
    .insert(profileSkills)
    .values(skills.map((skill) => ({ userId, ...skill })))
    .onConflictDoUpdate({
      target: [profileSkills.userId, profileSkills.skillId],
      set: { level: sql`excluded.level` },
    });
}
