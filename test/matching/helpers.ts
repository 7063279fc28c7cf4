// Skills, volunteer profiles and opportunity skills written straight into the database, so matching is tested
// on hand-built cases without the profile and skill endpoints. Every skill is new (unique name), so only the
// volunteers and opportunities a suite makes can match each other, whatever else the database holds.

import { sql } from "drizzle-orm";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { weekMinutesOf } from "../../functions/platform/week-minutes";
import {
  type NewOpportunityRow,
  opportunitySkills,
  type PracticeArea,
  profileSkills,
  skills,
  users,
  volunteerProfiles,
  type WeeklySchedule,
  type WorkEnvironment,
} from "../../schema";
import { insertOpportunity, type Made, personToken, type Tenant, testEnv, uniqueSuffix, withDb } from "../harness";

/** A fixed week, so schedules in zones with summer time convert the same way whenever the suite runs. */
export const WINTER = new Date("2026-01-12T12:00:00Z");

export interface Skill extends Made {
  name: string;
}

export async function makeSkill(label: string, practiceAreas: PracticeArea[] = ["engineering"]): Promise<Skill> {
  const name = `${label} ${uniqueSuffix()}`;
  return withDb(async (db) => {
    const [row] = await db.insert(skills).values({ name, practiceAreas }).returning();
    return { id: toTypeId(ID_PREFIX.skill, row!.id), uuid: row!.id, name };
  });
}

export const slots = (timeZone: string, ...ranges: [WeeklySchedule["slots"][number]["day"], string, string][]) => ({
  time_zone: timeZone,
  slots: ranges.map(([day, start, end]) => ({ day, start, end })),
});

export interface VolunteerOptions {
  name?: string;
  skills?: [Skill, number][];
  practiceArea?: PracticeArea | null;
  maxHours?: number;
  environments?: WorkEnvironment[];
  availability?: WeeklySchedule | null;
  discoverable?: boolean;
}

export interface Volunteer extends Made {
  email: string;
  name: string;
  token: string;
}

/** A person with a volunteer profile (discoverable, remote, 10 h, free Mon 18–20 UTC unless told otherwise). */
export async function makeVolunteer(options: VolunteerOptions = {}): Promise<Volunteer> {
  const email = `volunteer-${uniqueSuffix()}@matching.test`;
  const name = options.name ?? email.split("@")[0]!;
  const availability =
    options.availability === undefined ? slots("UTC", ["mon", "18:00", "20:00"]) : options.availability;
  const uuid = await withDb(async (db) => {
    const [user] = await db
      .insert(users)
      .values({ issuer: testEnv.AUTH_ISSUER, subject: `test|${email}`, email, emailVerified: true, name })
      .returning();
    await db.insert(volunteerProfiles).values({
      userId: user!.id,
      practiceArea: options.practiceArea === undefined ? "engineering" : options.practiceArea,
      maxHoursPerWeek: options.maxHours ?? 10,
      availability,
      availableMinutes: sql`${weekMinutesOf(availability, WINTER)}::int4multirange`,
      workEnvironments: options.environments ?? ["remote"],
      discoverable: options.discoverable ?? true,
    });
    const held = options.skills ?? [];
    if (held.length > 0) {
      await db
        .insert(profileSkills)
        .values(held.map(([skill, level]) => ({ userId: user!.id, skillId: skill.uuid, level })));
    }
    return user!.id;
  });
  return { id: toTypeId(ID_PREFIX.user, uuid), uuid, email, name, token: await personToken({ email, name }) };
}

export interface OpportunityOptions extends Partial<NewOpportunityRow> {
  required?: [Skill, number][];
  preferred?: [Skill, number][];
  meeting?: WeeklySchedule | null;
}

/** An opportunity of the tenant (open, public, remote, at least 5 h, meeting Mon 18–20 UTC) with its skills. */
export async function makeOpportunity(tenant: Tenant, options: OpportunityOptions = {}): Promise<Made> {
  const { required = [], preferred = [], meeting: given, ...values } = options;
  const meeting = given === undefined ? slots("UTC", ["mon", "18:00", "20:00"]) : given;
  const made = await insertOpportunity(tenant, {
    meetingTimes: meeting,
    meetingMinutes: meeting ? sql`${weekMinutesOf(meeting, WINTER)}::int4multirange` : null,
    ...values,
  } as Partial<NewOpportunityRow>);
  const rows = [
    ...required.map(([skill, level]) => ({ skillId: skill.uuid, level, requirement: "required" as const })),
    ...preferred.map(([skill, level]) => ({ skillId: skill.uuid, level, requirement: "preferred" as const })),
  ];
  if (rows.length > 0) {
    await withDb((db) =>
      db.insert(opportunitySkills).values(rows.map((row) => ({ ...row, opportunityId: made.uuid }))),
    );
  }
  return made;
}

export interface FactorReply {
  factor: string;
  score: number;
  weight: number;
  detail: string;
}

/** What the factors add up to: 100 × Σ weight × score ÷ Σ weight. */
export function sumOfFactors(factors: FactorReply[]): number {
  const weights = factors.reduce((sum, f) => sum + f.weight, 0);
  return (100 * factors.reduce((sum, f) => sum + f.weight * f.score, 0)) / weights;
}

export const factorOf = (match: { factors: FactorReply[] }, name: string) =>
  match.factors.find((f) => f.factor === name)!;
