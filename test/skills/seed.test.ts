// The seeded skill catalog: about a hundred realistic skills across the five practice areas, added once by the
// seed (audited on the platform's trail), leaving alone what platform administrators have edited since.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { SEEDED_SKILLS, seedSkills } from "../../db/seed-catalogs";
import { PLATFORM_ORGANISATION_ID } from "../../functions/platform/audit";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { PRACTICE_AREA_CATALOG } from "../../functions/skills/practice-areas";
import { PRACTICE_AREAS, skills } from "../../schema";
import { auditTrail, call, platformAdminToken, withDb } from "../harness";

describe("the seeded skill catalog", () => {
  it("is about a hundred skills, unique in any case, each in 1–5 known areas, every area well stocked", () => {
    expect(SEEDED_SKILLS.length).toBeGreaterThanOrEqual(90);
    expect(SEEDED_SKILLS.length).toBeLessThanOrEqual(150);
    const names = SEEDED_SKILLS.map((skill) => skill.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    for (const skill of SEEDED_SKILLS) {
      expect(skill.name.length, skill.name).toBeLessThanOrEqual(50);
      expect(skill.description.length, skill.name).toBeGreaterThan(0);
      expect(skill.practice_areas.length, skill.name).toBeGreaterThanOrEqual(1);
      expect(PRACTICE_AREAS.filter((area) => skill.practice_areas.includes(area))).toEqual(skill.practice_areas);
    }
    for (const area of PRACTICE_AREAS) {
      const count = SEEDED_SKILLS.filter((skill) => skill.practice_areas.includes(area)).length;
      expect(count, area).toBeGreaterThanOrEqual(15);
    }
    expect(names).toEqual(
      expect.arrayContaining(["python", "sql", "typescript", "kubernetes", "roadmapping", "figma", "ux writing"]),
    );
    expect(PRACTICE_AREA_CATALOG.map((area) => area.id)).toEqual([...PRACTICE_AREAS]);
  });

  it("seeding adds the missing skills once, audited by the seed, and leaves edited ones alone", async () => {
    const added = await withDb((db) => seedSkills(db));
    expect(await withDb((db) => seedSkills(db))).toEqual([]);
    const stored = await withDb((db) =>
      db
        .select()
        .from(skills)
        .where(sql`lower(${skills.name}) in ${SEEDED_SKILLS.map((skill) => skill.name.toLowerCase())}`),
    );
    expect(stored).toHaveLength(SEEDED_SKILLS.length);
    const trail = await auditTrail(PLATFORM_ORGANISATION_ID);
    for (const name of added) {
      const events = trail.filter((event) => event.resourceName === name && event.action === "skill.created");
      expect(
        events.map((event) => event.actorType),
        name,
      ).toEqual(["system"]);
    }

    const python = stored.find((skill) => skill.name === "Python")!;
    const id = toTypeId(ID_PREFIX.skill, python.id);
    const admin = await platformAdminToken();
    const edited = await call("PATCH", `/v1/skills/${id}`, { token: admin, body: { description: "Edited." } });
    expect(edited.status, edited.text).toBe(200);
    expect(await withDb((db) => seedSkills(db))).toEqual([]);
    const [after] = await withDb((db) => db.select().from(skills).where(eq(skills.id, python.id)));
    expect(after!.description).toBe("Edited.");
  });
});
