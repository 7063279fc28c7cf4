// Opportunities require and prefer skills: `{skill_id: level}` maps on create and PATCH, stored with the
// opportunity in one transaction, audited in its event, shown in every read. A retired skill stays where it is
// but cannot be added. And `meeting_minutes` is kept in step with `meeting_times`.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { opportunities, opportunitySkills } from "../../schema";
import { auditEventsOf, createTenant, insertSkill, retireSkill, type Tenant, withDb } from "../harness";
import { createOpportunity, getOpportunity, opportunityBody, opportunityUuid, patchOpportunity } from "./helpers";

let tenant: Tenant;
let python: { id: string; uuid: string };
let sql: { id: string; uuid: string };
let figma: { id: string; uuid: string };

beforeAll(async () => {
  tenant = await createTenant("opp-skills");
  [python, sql, figma] = await Promise.all([insertSkill(), insertSkill(), insertSkill(undefined, ["ui_ux"])]);
});

const token = () => tenant.people.owner.token;
const create = (extra: Record<string, unknown>) => createOpportunity(token(), opportunityBody(tenant, extra));
const patch = (id: string, body: Record<string, unknown>) => patchOpportunity(token(), id, body);
const storedSkills = (id: string) =>
  withDb((db) =>
    db
      .select({
        skillId: opportunitySkills.skillId,
        requirement: opportunitySkills.requirement,
        level: opportunitySkills.level,
      })
      .from(opportunitySkills)
      .where(eq(opportunitySkills.opportunityId, opportunityUuid(id)))
      .orderBy(opportunitySkills.skillId),
  );

describe("the skills of a new opportunity", () => {
  it("are stored, shown and audited with it; without them both maps are empty", async () => {
    const reply = await create({
      required_skills: { [python.id]: 4, [sql.id]: 2 },
      preferred_skills: { [figma.id]: 1 },
    });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.required_skills).toEqual({ [python.id]: 4, [sql.id]: 2 });
    expect(reply.body.preferred_skills).toEqual({ [figma.id]: 1 });
    expect(await storedSkills(reply.body.id)).toHaveLength(3);
    const [event] = await auditEventsOf(reply);
    expect(event!.action).toBe("opportunity.created");
    expect(event!.changes.required_skills).toEqual({ old: null, new: { [python.id]: 4, [sql.id]: 2 } });
    expect(event!.changes.preferred_skills).toEqual({ old: null, new: { [figma.id]: 1 } });
    const read = await getOpportunity(reply.body.id, token());
    expect(read.body).toMatchObject({
      required_skills: reply.body.required_skills,
      preferred_skills: { [figma.id]: 1 },
    });

    const bare = await create({});
    expect(bare.body).toMatchObject({ required_skills: {}, preferred_skills: {} });
    expect(await storedSkills(bare.body.id)).toEqual([]);
  });

  it("an unknown skill, a bad level or key, a skill in both maps or more than 30: 400 naming the field, nothing stored", async () => {
    const unknown = toTypeId(ID_PREFIX.skill, crypto.randomUUID());
    const many = Object.fromEntries(
      Array.from({ length: 31 }, () => [toTypeId(ID_PREFIX.skill, crypto.randomUUID()), 1]),
    );
    for (const [extra, field] of [
      [{ required_skills: { [unknown]: 3 } }, `required_skills.${unknown}`],
      [{ preferred_skills: { [python.id]: 0 } }, `preferred_skills.${python.id}`],
      [{ required_skills: { [python.id]: 6 } }, `required_skills.${python.id}`],
      [{ required_skills: { [python.id]: 2.5 } }, `required_skills.${python.id}`],
      [{ required_skills: { [toTypeId(ID_PREFIX.program, python.uuid)]: 3 } }, "required_skills"],
      [{ required_skills: { [python.id]: 3 }, preferred_skills: { [python.id]: 1 } }, `preferred_skills.${python.id}`],
      [{ required_skills: many }, "required_skills"],
      [{ required_skills: [python.id] }, "required_skills"],
    ] as const) {
      const reply = await create({ name: "Refused", ...extra });
      expect(reply.status, JSON.stringify(extra)).toBe(400);
      expect(
        Object.keys(reply.body.error.fields).some((key) => key.startsWith(field)),
        reply.text,
      ).toBe(true);
    }
    const refused = await withDb((db) => db.select().from(opportunities).where(eq(opportunities.name, "Refused")));
    expect(refused).toEqual([]);
  });
});

describe("changing the skills of an opportunity", () => {
  it("a map given replaces that map only; {} empties it; the event carries both sides", async () => {
    const made = await create({ required_skills: { [python.id]: 3 }, preferred_skills: { [figma.id]: 2 } });
    const reply = await patch(made.body.id, { required_skills: { [sql.id]: 5, [python.id]: 4 } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.required_skills).toEqual({ [python.id]: 4, [sql.id]: 5 });
    expect(reply.body.preferred_skills).toEqual({ [figma.id]: 2 });
    expect(reply.body.updated_at).not.toBe(made.body.updated_at);
    const [event, ...more] = await auditEventsOf(reply);
    expect(more).toEqual([]);
    expect(event!.action).toBe("opportunity.updated");
    expect(event!.changes.required_skills).toEqual({
      old: { [python.id]: 3 },
      new: { [python.id]: 4, [sql.id]: 5 },
    });
    expect(event!.changes).not.toHaveProperty("preferred_skills");

    const emptied = await patch(made.body.id, { preferred_skills: {} });
    expect(emptied.body).toMatchObject({ preferred_skills: {}, required_skills: { [python.id]: 4, [sql.id]: 5 } });
    expect((await storedSkills(made.body.id)).map((row) => row.requirement)).toEqual(["required", "required"]);
  });

  it("the same maps again write nothing; a skill kept in the other map is 400", async () => {
    const made = await create({ required_skills: { [python.id]: 3 }, preferred_skills: { [figma.id]: 2 } });
    const same = await patch(made.body.id, {
      required_skills: { [python.id]: 3 },
      preferred_skills: { [figma.id]: 2 },
    });
    expect(same.status).toBe(200);
    expect(same.body.updated_at).toBe(made.body.updated_at);
    expect(await auditEventsOf(same)).toEqual([]);
    const both = await patch(made.body.id, { required_skills: { [figma.id]: 1 } });
    expect(both.status).toBe(400);
    expect(both.body.error.fields).toHaveProperty([`required_skills.${figma.id}`]);
    // Moving it is one PATCH with both maps.
    const moved = await patch(made.body.id, { required_skills: { [figma.id]: 1 }, preferred_skills: {} });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ required_skills: { [figma.id]: 1 }, preferred_skills: {} });
  });
});

describe("a retired skill", () => {
  it("stays in the opportunities that hold it (even at a new level), and no opportunity may add it", async () => {
    const skill = await insertSkill();
    const holder = await create({ required_skills: { [skill.id]: 3 } });
    await retireSkill(skill);
    const read = await getOpportunity(holder.body.id, token());
    expect(read.body.required_skills).toEqual({ [skill.id]: 3 });
    const releveled = await patch(holder.body.id, { required_skills: { [skill.id]: 4, [python.id]: 1 } });
    expect(releveled.status, releveled.text).toBe(200);
    expect(releveled.body.required_skills).toEqual({ [skill.id]: 4, [python.id]: 1 });
    const sideways = await patch(holder.body.id, { required_skills: {}, preferred_skills: { [skill.id]: 2 } });
    expect(sideways.status, "still held: it may move").toBe(200);

    const fresh = await create({ name: "Retired refused", preferred_skills: { [skill.id]: 2 } });
    expect(fresh.status).toBe(400);
    expect(fresh.body.error.fields[`preferred_skills.${skill.id}`][0]).toMatch(/retired/);
    const other = await create({});
    const added = await patch(other.body.id, { required_skills: { [skill.id]: 1 } });
    expect(added.status).toBe(400);
    expect(added.body.error.fields).toHaveProperty([`required_skills.${skill.id}`]);
    expect(await storedSkills(other.body.id)).toEqual([]);
    // Once dropped, it is gone for good: adding it back is adding it.
    await patch(holder.body.id, { preferred_skills: {} });
    expect((await patch(holder.body.id, { preferred_skills: { [skill.id]: 2 } })).status).toBe(400);
  });
});

describe("meeting_minutes", () => {
  const minutesOf = (id: string) =>
    withDb(async (db) => {
      const [row] = await db
        .select({ minutes: opportunities.meetingMinutes })
        .from(opportunities)
        .where(eq(opportunities.id, opportunityUuid(id)));
      return row!.minutes;
    });

  it("follow meeting_times in UTC minutes of the week on create and PATCH; none is empty", async () => {
    const made = await create({
      meeting_times: {
        time_zone: "UTC",
        slots: [
          { day: "mon", start: "18:00", end: "20:00" },
          { day: "sun", start: "23:00", end: "24:00" },
        ],
      },
    });
    expect(made.status, made.text).toBe(201);
    expect(await minutesOf(made.body.id)).toBe("{[1080,1200),[10020,10080)}");
    // Tokyo is UTC+9 all year: Tuesday 03:00–04:00 there is Monday 18:00–19:00 UTC.
    const tokyo = { time_zone: "Asia/Tokyo", slots: [{ day: "tue", start: "03:00", end: "04:00" }] };
    expect((await patch(made.body.id, { meeting_times: tokyo })).status).toBe(200);
    expect(await minutesOf(made.body.id)).toBe("{[1080,1140)}");
    expect((await patch(made.body.id, { name: "Renamed, same times" })).status).toBe(200);
    expect(await minutesOf(made.body.id)).toBe("{[1080,1140)}");
    expect((await patch(made.body.id, { meeting_times: null })).status).toBe(200);
    expect(await minutesOf(made.body.id)).toBe("{}");
    expect(await minutesOf((await create({})).body.id)).toBe("{}");
  });
});
