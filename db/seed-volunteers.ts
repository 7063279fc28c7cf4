// The demo's volunteers: three discoverable profiles (and one that is not), and the skills the demo
// organisation's standalone opportunity asks for, so its ranked volunteers (GET /v1/opportunities/{id}/matches)
// and a volunteer's matches (GET /v1/users/me/matches) have something to show on a fresh `npm run dev`.
import { and, eq, inArray, sql } from "drizzle-orm";
import { systemActor } from "../functions/platform/actor";
import { PLATFORM_ORGANISATION_ID, recordChange } from "../functions/platform/audit";
import type { Database, Queryable } from "../functions/platform/db";
import { weekMinutesOf } from "../functions/platform/week-minutes";
import {
  opportunities,
  opportunitySkills,
  type PracticeArea,
  profileSkills,
  skills,
  users,
  volunteerProfiles,
  type WeeklySchedule,
  type WorkEnvironment,
} from "../schema";
import { DEV_ISSUER } from "./local/keys";

const SYSTEM = systemActor("seed");

interface DemoVolunteer {
  email: string;
  name: string;
  practiceArea: PracticeArea;
  skills: Record<string, number>;
  maxHoursPerWeek: number;
  availability: WeeklySchedule;
  workEnvironments: WorkEnvironment[];
  discoverable: boolean;
  bio: string;
}

export const DEMO_VOLUNTEERS: readonly DemoVolunteer[] = [
  {
    email: "victor@example.com",
    name: "Victor Volunteer",
    practiceArea: "engineering",
    skills: { TypeScript: 4, "Node.js": 4, Git: 4, "Automated Testing": 3, "REST API Design": 3 },
    maxHoursPerWeek: 4,
    availability: { time_zone: "Europe/Berlin", slots: [{ day: "tue", start: "17:00", end: "20:00" }] },
    workEnvironments: ["remote", "hybrid"],
    discoverable: true,
    bio: "Back-end developer; reviews pull requests in the evenings.",
  },
  {
    email: "vera@example.com",
    name: "Vera Volunteer",
    practiceArea: "engineering",
    skills: { TypeScript: 2, React: 4, Git: 3 },
    maxHoursPerWeek: 3,
    availability: { time_zone: "America/New_York", slots: [{ day: "tue", start: "11:00", end: "12:00" }] },
    workEnvironments: ["remote"],
    discoverable: true,
    bio: "Front-end developer learning TypeScript.",
  },
  {
    email: "wendy@example.com",
    name: "Wendy Volunteer",
    practiceArea: "ui_ux",
    skills: { Figma: 5, "User Research": 4, Prototyping: 4, "Accessibility (WCAG)": 3, Git: 2 },
    maxHoursPerWeek: 5,
    availability: { time_zone: "Europe/London", slots: [{ day: "sat", start: "09:00", end: "12:00" }] },
    workEnvironments: ["remote", "in_person"],
    discoverable: true,
    bio: "Designer; accessibility audits and usability tests.",
  },
  {
    email: "walter@example.com",
    name: "Walter Private",
    practiceArea: "engineering",
    skills: { TypeScript: 5, Git: 5, "Automated Testing": 5 },
    maxHoursPerWeek: 10,
    availability: { time_zone: "Europe/Berlin", slots: [{ day: "tue", start: "17:00", end: "19:00" }] },
    workEnvironments: ["remote"],
    discoverable: false,
    bio: "Not discoverable: never in an organisation's matches.",
  },
];

/** What the standalone demo opportunity asks for. */
const OPPORTUNITY_SKILLS = {
  name: "Open-source maintainer",
  required: { TypeScript: 3, Git: 3, "Automated Testing": 2 },
  preferred: { "REST API Design": 3, "Node.js": 2 },
  meetingTimes: { time_zone: "Europe/Berlin", slots: [{ day: "tue", start: "17:00", end: "19:00" }] } as WeeklySchedule,
};

async function skillIds(db: Queryable, names: string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: skills.id, name: skills.name })
    .from(skills)
    .where(
      inArray(
        sql`lower(${skills.name})`,
        names.map((name) => name.toLowerCase()),
      ),
    );
  return new Map(rows.map((row) => [row.name.toLowerCase(), row.id]));
}

const matrixOf = (byName: Map<string, string>, levels: Record<string, number>) =>
  Object.entries(levels).flatMap(([name, level]) => {
    const skillId = byName.get(name.toLowerCase());
    return skillId ? [{ skillId, level }] : [];
  });

/** Seeds the volunteers once (a second run finds the first one's profile and changes nothing). */
export async function seedVolunteers(db: Database, demoOrganisationId: string): Promise<void> {
  const names = [
    ...new Set([
      ...DEMO_VOLUNTEERS.flatMap((volunteer) => Object.keys(volunteer.skills)),
      ...Object.keys(OPPORTUNITY_SKILLS.required),
      ...Object.keys(OPPORTUNITY_SKILLS.preferred),
    ]),
  ];
  await db.transaction(async (tx) => {
    const [first] = await tx
      .select({ userId: volunteerProfiles.userId })
      .from(volunteerProfiles)
      .innerJoin(users, eq(users.id, volunteerProfiles.userId))
      .where(and(eq(users.issuer, DEV_ISSUER), eq(users.email, "victor@example.com")))
      .limit(1);
    if (first) return;
    const byName = await skillIds(tx, names);
    for (const volunteer of DEMO_VOLUNTEERS) {
      const [user] = await tx
        .insert(users)
        .values({
          issuer: DEV_ISSUER,
          subject: `dev|${volunteer.email}`,
          email: volunteer.email,
          emailVerified: true,
          name: volunteer.name,
          // Their profile's name, as if they had set it: a dev token's name claim does not replace it.
          nameChosen: true,
        })
        .onConflictDoUpdate({ target: [users.issuer, users.subject], set: { name: volunteer.name, nameChosen: true } })
        .returning();
      if (!user) throw new Error("volunteer insert failed");
      const profile = {
        practiceArea: volunteer.practiceArea,
        maxHoursPerWeek: volunteer.maxHoursPerWeek,
        availability: volunteer.availability,
        workEnvironments: volunteer.workEnvironments,
        discoverable: volunteer.discoverable,
        bio: volunteer.bio,
      };
      await tx
        .insert(volunteerProfiles)
        .values({ userId: user.id, ...profile, availableMinutes: weekMinutesOf(volunteer.availability) })
        .onConflictDoNothing();
      const matrix = matrixOf(byName, volunteer.skills);
      if (matrix.length > 0) {
        await tx
          .insert(profileSkills)
          .values(matrix.map((entry) => ({ userId: user.id, ...entry })))
          .onConflictDoNothing();
      }
      await recordChange(
        tx,
        { actor: SYSTEM, meta: null, organisationId: PLATFORM_ORGANISATION_ID },
        {
          action: "profile.updated",
          resource: { type: "user", id: user.id, name: volunteer.name },
          before: null,
          after: { ...profile, skills: volunteer.skills },
        },
      );
    }

    const [opportunity] = await tx
      .select({ id: opportunities.id })
      .from(opportunities)
      .where(and(eq(opportunities.organisationId, demoOrganisationId), eq(opportunities.name, OPPORTUNITY_SKILLS.name)))
      .limit(1);
    if (!opportunity) return;
    const required = matrixOf(byName, OPPORTUNITY_SKILLS.required);
    const preferred = matrixOf(byName, OPPORTUNITY_SKILLS.preferred);
    await tx
      .insert(opportunitySkills)
      .values([
        ...required.map((entry) => ({ opportunityId: opportunity.id, requirement: "required" as const, ...entry })),
        ...preferred.map((entry) => ({ opportunityId: opportunity.id, requirement: "preferred" as const, ...entry })),
      ])
      .onConflictDoNothing();
    await tx
      .update(opportunities)
      .set({
        meetingTimes: OPPORTUNITY_SKILLS.meetingTimes,
        meetingMinutes: weekMinutesOf(OPPORTUNITY_SKILLS.meetingTimes),
      })
      .where(eq(opportunities.id, opportunity.id));
    await recordChange(
      tx,
      { actor: SYSTEM, meta: null, organisationId: demoOrganisationId },
      {
        action: "opportunity.updated",
        resource: { type: "opportunity", id: opportunity.id, name: OPPORTUNITY_SKILLS.name },
        before: { required_skills: {}, preferred_skills: {}, meeting_times: null },
        after: {
          required_skills: OPPORTUNITY_SKILLS.required,
          preferred_skills: OPPORTUNITY_SKILLS.preferred,
          meeting_times: OPPORTUNITY_SKILLS.meetingTimes,
        },
      },
    );
  });
}
