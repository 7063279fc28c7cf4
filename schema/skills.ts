import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { primaryId, timestamps, weekMinutes } from "./columns";
import { opportunities, type WeeklySchedule } from "./opportunities";
import { users } from "./users";

/** The five communities of practice, fixed (their labels and job titles live with the skills domain). */
export const PRACTICE_AREAS = ["data_science", "engineering", "devops", "project_management", "ui_ux"] as const;
export type PracticeArea = (typeof PRACTICE_AREAS)[number];
export const SKILL_REQUIREMENTS = ["required", "preferred"] as const;
export type SkillRequirement = (typeof SKILL_REQUIREMENTS)[number];

/** A curated catalog; a deleted skill is retired (kept where it is used, refused in new matrices). */
export const skills = pgTable(
  "skills",
  {
    id: primaryId(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    practiceAreas: text("practice_areas").array().notNull().default([]),
    retiredAt: timestamp("retired_at", { withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("skills_name_key").on(sql`lower(${t.name})`),
    index("skills_practice_areas_idx").using("gin", t.practiceAreas),
  ],
);

export type Skill = typeof skills.$inferSelect;

/** A person's volunteer profile (self-only): practice area, hours, availability, where they work, discoverable. */
export const volunteerProfiles = pgTable(
  "volunteer_profiles",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    practiceArea: text("practice_area", { enum: PRACTICE_AREAS }),
    maxHoursPerWeek: integer("max_hours_per_week").notNull().default(0),
    availability: jsonb("availability").$type<WeeklySchedule>(),
    /** `availability` in UTC minutes of the week, kept in step by the domain on every write. */
    availableMinutes: weekMinutes("available_minutes"),
    workEnvironments: text("work_environments").array().notNull().default([]),
    discoverable: boolean("discoverable").notNull().default(false),
    bio: text("bio").notNull().default(""),
    /**
     * The skill matrix as two aligned arrays (by skill id), so a candidate is scored from its row alone, and what
     * matching finds candidates by: a GIN expression index over these ids, the practice area and the availability
     * (migration `matching_keys`). Written by the database itself (triggers on this table and on profile_skills):
     * never by the application.
     */
    matchSkillIds: uuid("match_skill_ids").array().notNull().default(sql`'{}'::uuid[]`),
    matchSkillLevels: smallint("match_skill_levels").array().notNull().default(sql`'{}'::smallint[]`),
    ...timestamps(),
  },
  (t) => [
    index("volunteer_profiles_discoverable_idx").on(t.userId).where(sql`discoverable`),
    check("volunteer_profiles_hours_check", sql`${t.maxHoursPerWeek} between 0 and 168`),
  ],
);

export type VolunteerProfile = typeof volunteerProfiles.$inferSelect;

/** The skill matrix of a profile, one row per skill: candidates for an opportunity come from `(skill_id, level)`. */
export const profileSkills = pgTable(
  "profile_skills",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => volunteerProfiles.userId, { onDelete: "cascade" }),
    skillId: uuid("skill_id")
      .notNull()
      .references(() => skills.id, { onDelete: "restrict" }),
    level: smallint("level").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.skillId] }),
    index("profile_skills_skill_level_idx").on(t.skillId, t.level, t.userId),
    check("profile_skills_level_check", sql`${t.level} between 1 and 5`),
  ],
);

/** The skills an opportunity requires or prefers, with the level. */
export const opportunitySkills = pgTable(
  "opportunity_skills",
  {
    opportunityId: uuid("opportunity_id")
      .notNull()
      .references(() => opportunities.id, { onDelete: "cascade" }),
    skillId: uuid("skill_id")
      .notNull()
      .references(() => skills.id, { onDelete: "restrict" }),
    requirement: text("requirement", { enum: SKILL_REQUIREMENTS }).notNull(),
    level: smallint("level").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.opportunityId, t.skillId] }),
    index("opportunity_skills_skill_idx").on(t.skillId, t.level, t.opportunityId),
    check("opportunity_skills_level_check", sql`${t.level} between 1 and 5`),
  ],
);

/** A volunteer's interest in an opportunity: where they chose to share their contact with its organisation. */
export const opportunityInterests = pgTable(
  "opportunity_interests",
  {
    id: primaryId(),
    opportunityId: uuid("opportunity_id")
      .notNull()
      .references(() => opportunities.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    message: text("message").notNull().default(""),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("opportunity_interests_opportunity_user_key").on(t.opportunityId, t.userId),
    index("opportunity_interests_opportunity_idx").on(t.opportunityId, t.id),
  ],
);

export type OpportunityInterest = typeof opportunityInterests.$inferSelect;
