import { z } from "@hono/zod-openapi";
import { PRACTICE_AREAS, type User, type VolunteerProfile, type WeeklySchedule, WORK_ENVIRONMENTS } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { MeetingTimesInput, MeetingTimesSchema } from "../platform/schedule";
import { displayText } from "../platform/text";
import { presentMatrix, skillMatrixInput } from "../skills/matrix";

export const MAX_PROFILE_SKILLS = 100;
export const MAX_BIO = 2000;
const EXAMPLE_SKILL = "skl_01h455vb4pex5vsknk084sn02q";
const EXAMPLE_AVAILABILITY = {
  time_zone: "Europe/London",
  slots: [
    { day: "mon" as const, start: "18:00", end: "20:00" },
    { day: "sat" as const, start: "09:00", end: "13:00" },
  ],
};

/** A person, their profile (the row, absent until their first PATCH) and its skill matrix, by skill id. */
export interface SelfView {
  user: User;
  profile: VolunteerProfile | null;
  skills: { skillId: string; level: number }[];
}

const practiceArea = z
  .enum(PRACTICE_AREAS)
  .openapi({ description: "A community of practice (GET /v1/practice-areas)." });
const workEnvironment = z.enum(WORK_ENVIRONMENTS);
const hours = z
  .number()
  .int("must be a whole number")
  .min(0, "must be at least 0")
  .max(168, "must be at most 168 (the hours in a week)")
  .openapi({ format: "int32", example: 6 });

export const UpdateMeBody = z
  .strictObject({
    name: displayText({ min: 1, max: 200 }).optional().openapi({ description: "Your name, as organisations see it." }),
    practice_area: practiceArea.nullable().optional(),
    skills: skillMatrixInput(
      MAX_PROFILE_SKILLS,
      `Your skill matrix, \`{skill_id: level}\` with levels 1–5, at most ${MAX_PROFILE_SKILLS} skills. Replaces the ` +
        "whole matrix when given (`{}` empties it). A skill of the catalog that is retired stays where you hold it " +
        "already but cannot be added.",
    ).optional(),
    max_hours_per_week: hours.optional().openapi({ description: "The most hours a week you want to give, 0-168." }),
    availability: MeetingTimesInput.nullable()
      .optional()
      .openapi({ description: "When you are free each week, in your time zone; `null` clears it." }),
    work_environments: z
      .array(workEnvironment)
      .max(10)
      .transform((given) => WORK_ENVIRONMENTS.filter((environment) => given.includes(environment)))
      .optional()
      .openapi({
        type: "array",
        items: { type: "string", enum: [...WORK_ENVIRONMENTS] },
        maxItems: 10,
        description: "Where you are willing to work; kept deduplicated, in the order remote, hybrid, in_person.",
      }),
    discoverable: z
      .boolean()
      .optional()
      .openapi({ description: "Whether organisations may find you among the volunteers matched to an opportunity." }),
    bio: displayText({ max: MAX_BIO, multiline: true })
      .optional()
      .openapi({ description: `A few words about you, up to ${MAX_BIO} characters; HTML is stripped.` }),
  })
  .openapi("UpdateMe", {
    example: {
      name: "Dana Okafor",
      practice_area: "data_science",
      max_hours_per_week: 6,
      availability: EXAMPLE_AVAILABILITY,
      work_environments: ["remote", "hybrid"],
      discoverable: true,
      bio: "Data analyst; happy to help small charities with their reporting.",
    },
  });

export type ProfileChanges = z.infer<typeof UpdateMeBody>;

const SkillMatrixSchema = z.record(z.string().max(90), z.number().int().min(1).max(5)).openapi({
  type: "object",
  description: "`{skill_id: level}`, levels 1–5 (a retired skill you hold stays here).",
  additionalProperties: { type: "integer", format: "int32", minimum: 1, maximum: 5 },
  maxProperties: MAX_PROFILE_SKILLS,
  example: { [EXAMPLE_SKILL]: 4 },
});

export const ProfileSchema = z
  .object({
    practice_area: practiceArea.nullable(),
    skills: SkillMatrixSchema,
    max_hours_per_week: z
      .number()
      .int()
      .min(0)
      .max(168)
      .openapi({ format: "int32", description: "The most hours a week you want to give, 0-168; 0 before you set it." }),
    availability: MeetingTimesSchema.nullable(),
    work_environments: z.array(workEnvironment).max(WORK_ENVIRONMENTS.length).openapi({
      description: "Where you are willing to work (`remote`, `hybrid`, `in_person`); empty until you say.",
    }),
    discoverable: z.boolean().openapi({
      description: "Whether organisations may find you among the volunteers matched to an opportunity; default false.",
    }),
    bio: z.string().max(MAX_BIO).openapi({ description: "A few words about you; empty until you write some." }),
    updated_at: timestampOut().nullable().openapi({ description: "Null until the profile is first set." }),
  })
  .openapi("VolunteerProfile", {
    description: "Your volunteer profile: yours alone (no other person or organisation reads it).",
  });

export const UserSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.user).openapi({ description: "Your user id (`usr_...`)." }),
    object: z.literal("user").openapi({ description: "Always `user`." }),
    name: z.string().max(200).nullable().openapi({
      description: "The name you set (PATCH /v1/users/me), else your token's `name` claim; null if neither.",
    }),
    email: z.string().max(320).nullable().openapi({ description: "From your identity provider's token." }),
    email_verified: z.boolean().openapi({ description: "Whether your identity provider verified `email`." }),
    phone: z.string().max(20).nullable().openapi({ description: "E.164, from your identity provider's token." }),
    phone_verified: z.boolean().openapi({ description: "Whether your identity provider verified `phone`." }),
    profile: ProfileSchema,
    created_at: timestampOut().openapi({ description: "When the API first saw your token." }),
    updated_at: timestampOut().openapi({
      description: "When your name, email or phone last changed (`profile.updated_at` for the profile).",
    }),
  })
  .openapi("User", {
    example: {
      id: "usr_01h455vb4pex5vsknk084sn02q",
      object: "user",
      name: "Dana Okafor",
      email: "dana@example.com",
      email_verified: true,
      phone: null,
      phone_verified: false,
      profile: {
        practice_area: "data_science",
        skills: { [EXAMPLE_SKILL]: 4 },
        max_hours_per_week: 6,
        availability: EXAMPLE_AVAILABILITY,
        work_environments: ["remote", "hybrid"],
        discoverable: true,
        bio: "Data analyst; happy to help small charities with their reporting.",
        updated_at: "2026-06-01T09:30:00.000Z",
      },
      created_at: "2026-05-30T08:00:00.000Z",
      updated_at: "2026-06-01T09:30:00.000Z",
    },
  });

export const UserIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.user).openapi({
    param: { name: "id", in: "path" },
    description: "A user id (`usr_...`): yours, else 404.",
  }),
});

/** A matrix in skill-id order, so two matrices that say the same thing read (and compare) the same. */
export function sortedSkills(skills: { skillId: string; level: number }[]) {
  return [...skills].sort((a, b) => (a.skillId < b.skillId ? -1 : a.skillId > b.skillId ? 1 : 0));
}

/** A schedule with its keys in one order (jsonb reorders them), so equal schedules compare and diff equal. */
function canonicalSchedule(schedule: WeeklySchedule | null | undefined): WeeklySchedule | null {
  if (!schedule) return null;
  return {
    time_zone: schedule.time_zone,
    slots: schedule.slots.map(({ day, start, end }) => ({ day, start, end })),
  };
}

/** The profile as the API shows it; before the first PATCH, the empty one. */
export function presentProfile(view: Pick<SelfView, "profile" | "skills">) {
  const { profile } = view;
  return {
    practice_area: profile?.practiceArea ?? null,
    skills: presentMatrix(sortedSkills(view.skills)),
    max_hours_per_week: profile?.maxHoursPerWeek ?? 0,
    availability: canonicalSchedule(profile?.availability),
    work_environments: (profile?.workEnvironments ?? []) as (typeof WORK_ENVIRONMENTS)[number][],
    discoverable: profile?.discoverable ?? false,
    bio: profile?.bio ?? "",
    updated_at: profile?.updatedAt.toISOString() ?? null,
  };
}

export function presentUser(view: SelfView) {
  const { user } = view;
  return {
    id: toTypeId(ID_PREFIX.user, user.id),
    object: "user" as const,
    name: user.name,
    email: user.email,
    email_verified: user.emailVerified,
    phone: user.phone,
    phone_verified: user.phoneVerified,
    profile: presentProfile(view),
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

/** What the audit trail keeps of a profile change: the name and the profile, never the email or phone. */
export function auditedProfile(view: SelfView) {
  const { updated_at: _, ...profile } = presentProfile(view);
  return { name: view.user.name, ...profile };
}
