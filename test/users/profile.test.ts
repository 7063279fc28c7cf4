import { beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_ORGANISATION_ID } from "../../functions/platform/audit";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { weekMinutesOf } from "../../functions/platform/week-minutes";
import { auditEventsOf, call, personToken } from "../harness";
import { getMe, insertSkill, type MadeSkill, newPerson, patchMe, retireSkill, storedProfile } from "./helpers";

let python: MadeSkill;
let sql: MadeSkill;
let figma: MadeSkill;

beforeAll(async () => {
  [python, sql, figma] = await Promise.all([insertSkill(), insertSkill(), insertSkill()]);
});

const FULL = () => ({
  name: "Dana Okafor",
  practice_area: "data_science",
  skills: { [python.id]: 4, [sql.id]: 2 },
  max_hours_per_week: 6,
  availability: {
    time_zone: "UTC",
    slots: [
      { day: "tue", start: "00:00", end: "01:00" },
      { day: "mon", start: "09:00", end: "10:00" },
    ],
  },
  work_environments: ["remote", "hybrid"],
  discoverable: true,
  bio: "Data analyst.\nHappy to help small charities.",
});

describe("GET /v1/users/me", () => {
  it("someone who never set a profile gets themselves with the empty one, and no profile row exists", async () => {
    const person = await newPerson();
    const reply = await getMe(person.token);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ object: "user", email: person.email, email_verified: true, phone: null });
    expect(reply.body.id).toMatch(/^usr_/);
    expect(reply.body.profile).toEqual({
      practice_area: null,
      skills: {},
      max_hours_per_week: 0,
      availability: null,
      work_environments: [],
      discoverable: false,
      bio: "",
      updated_at: null,
    });
    expect((await storedProfile(reply.body.id)).profile).toBeNull();
  });
});

describe("PATCH /v1/users/me", () => {
  it("sets every field at once: the profile row, its skill rows and available_minutes in UTC minutes of the week", async () => {
    const person = await newPerson();
    const reply = await patchMe(person.token, FULL());
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.name).toBe("Dana Okafor");
    expect(reply.body.profile).toMatchObject({
      practice_area: "data_science",
      skills: { [python.id]: 4, [sql.id]: 2 },
      max_hours_per_week: 6,
      // Stored in week order.
      availability: {
        time_zone: "UTC",
        slots: [
          { day: "mon", start: "09:00", end: "10:00" },
          { day: "tue", start: "00:00", end: "01:00" },
        ],
      },
      work_environments: ["remote", "hybrid"],
      discoverable: true,
      bio: "Data analyst.\nHappy to help small charities.",
    });
    expect(reply.body.profile.updated_at).not.toBeNull();
    expect((await getMe(person.token)).body).toEqual(reply.body);

    const stored = await storedProfile(reply.body.id);
    expect(stored.profile?.availableMinutes).toBe("{[540,600),[1440,1500)}");
    expect(stored.skills.sort((a, b) => a.level - b.level)).toEqual([
      { skillId: sql.uuid, level: 2 },
      { skillId: python.uuid, level: 4 },
    ]);
  });

  it("availability in a time zone with summer time is stored as its UTC minutes of this week (weekMinutesOf)", async () => {
    const person = await newPerson();
    const availability = { time_zone: "Europe/London", slots: [{ day: "mon", start: "18:00", end: "20:00" }] };
    const reply = await patchMe(person.token, { availability });
    expect(reply.status, reply.text).toBe(200);
    const stored = await storedProfile(reply.body.id);
    expect(stored.profile?.availableMinutes).toBe(weekMinutesOf(availability as never));
    expect(["{[1020,1140)}", "{[1080,1200)}"]).toContain(stored.profile?.availableMinutes);

    const cleared = await patchMe(person.token, { availability: null });
    expect(cleared.body.profile.availability).toBeNull();
    expect((await storedProfile(reply.body.id)).profile?.availableMinutes).toBe("{}");
  });

  it("each field alone changes only itself", async () => {
    const person = await newPerson();
    const base = (await patchMe(person.token, FULL())).body.profile;
    const changes: [string, unknown][] = [
      ["practice_area", "ui_ux"],
      ["practice_area", null],
      ["max_hours_per_week", 0],
      ["max_hours_per_week", 168],
      ["work_environments", ["in_person"]],
      ["discoverable", false],
      ["bio", ""],
    ];
    let expected = { ...base };
    for (const [field, value] of changes) {
      const reply = await patchMe(person.token, { [field]: value });
      expect(reply.status, `${field}: ${reply.text}`).toBe(200);
      expected = { ...expected, [field]: value, updated_at: reply.body.profile.updated_at };
      expect(reply.body.profile, field).toEqual(expected);
    }
  });

  it("work environments are deduplicated, in the order remote, hybrid, in_person", async () => {
    const person = await newPerson();
    const reply = await patchMe(person.token, { work_environments: ["in_person", "remote", "in_person", "remote"] });
    expect(reply.body.profile.work_environments).toEqual(["remote", "in_person"]);
  });

  it("skills replace the whole matrix: dropped rows go, levels change, {} empties it", async () => {
    const person = await newPerson();
    const id = (await patchMe(person.token, { skills: { [python.id]: 4, [sql.id]: 2 } })).body.id;
    const replaced = await patchMe(person.token, { skills: { [sql.id]: 5, [figma.id]: 1 } });
    expect(replaced.body.profile.skills).toEqual({ [sql.id]: 5, [figma.id]: 1 });
    const rows = (await storedProfile(id)).skills.map((row) => [row.skillId, row.level]).sort();
    expect(rows).toEqual(
      [
        [sql.uuid, 5],
        [figma.uuid, 1],
      ].sort(),
    );
    const untouched = await patchMe(person.token, { bio: "skills left out stay" });
    expect(untouched.body.profile.skills).toEqual({ [sql.id]: 5, [figma.id]: 1 });
    const emptied = await patchMe(person.token, { skills: {} });
    expect(emptied.body.profile.skills).toEqual({});
    expect((await storedProfile(id)).skills).toEqual([]);
  });

  it("a retired skill already held stays (its level may change); adding it anew elsewhere is refused", async () => {
    const held = await insertSkill();
    const person = await newPerson();
    await patchMe(person.token, { skills: { [held.id]: 3 } });
    await retireSkill(held);
    const kept = await patchMe(person.token, { skills: { [held.id]: 4, [python.id]: 1 } });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.profile.skills).toEqual({ [held.id]: 4, [python.id]: 1 });

    const other = await newPerson();
    const refused = await patchMe(other.token, { skills: { [held.id]: 4 } });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.fields)).toEqual([`skills.${held.id}`]);
  });

  it("a PATCH that changes nothing writes nothing: no event, the same updated_at; {} creates no profile", async () => {
    const person = await newPerson();
    const first = await patchMe(person.token, FULL());
    const again = await patchMe(person.token, FULL());
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await auditEventsOf(again)).toEqual([]);

    const fresh = await newPerson();
    const empty = await patchMe(fresh.token, {});
    const defaults = await patchMe(fresh.token, { discoverable: false, skills: {}, work_environments: [] });
    expect(await auditEventsOf(empty)).toEqual([]);
    expect(await auditEventsOf(defaults)).toEqual([]);
    expect((await storedProfile(empty.body.id)).profile).toBeNull();
  });

  it("audits profile.updated in the platform's trail: the person as actor, the diff without email", async () => {
    const person = await newPerson();
    const reply = await patchMe(person.token, FULL());
    const [event, ...rest] = await auditEventsOf(reply);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      action: "profile.updated",
      organisationId: PLATFORM_ORGANISATION_ID,
      actorType: "user",
      actorId: parseTypeId(ID_PREFIX.user, reply.body.id),
      resourceType: "user",
      resourceId: parseTypeId(ID_PREFIX.user, reply.body.id),
    });
    expect(Object.keys(event!.changes).sort()).toEqual(
      ["availability", "bio", "discoverable", "max_hours_per_week", "name", "practice_area", "skills"].concat(
        "work_environments",
      ),
    );
    expect(event!.changes.skills).toEqual({ old: {}, new: { [python.id]: 4, [sql.id]: 2 } });
    expect(JSON.stringify(event!.changes)).not.toContain(person.email);
    expect(event!.resourceName).toBe("Dana Okafor");

    const one = await patchMe(person.token, { max_hours_per_week: 7 });
    const [second] = await auditEventsOf(one);
    expect(second!.changes).toEqual({ max_hours_per_week: { old: 6, new: 7 } });
  });

  it("name changes the user row, and a token's name claim no longer replaces it", async () => {
    const person = await newPerson("renamed");
    expect((await getMe(person.token)).body.name).toBe(person.email.split("@")[0]);
    const renamed = await patchMe(person.token, { name: "  Dana <b>K.</b>  " });
    expect(renamed.body.name).toBe("Dana K.");
    // Another token of the same person, with another name claim (and a phone): its first sight upserts the row.
    const other = await personToken({
      email: person.email,
      name: "Token Name",
      claims: { phone_number: "+447400123999" },
    });
    const seen = await call("GET", "/v1/users/me", { token: other });
    expect(seen.body.name).toBe("Dana K.");
    expect(seen.body.phone).toBe("+447400123999");
    expect((await storedProfile(renamed.body.id)).profile).toBeNull();
  });
});

describe("PATCH /v1/users/me at once", () => {
  it("concurrent PATCHes of one person apply one after the other: one matrix stored, the trail's diffs chain", async () => {
    for (let round = 0; round < 4; round++) {
      const person = await newPerson("racing");
      const matrices = [{ [python.id]: 1, [sql.id]: 1 }, { [sql.id]: 5, [figma.id]: 5 }, { [figma.id]: 3 }];
      const replies = await Promise.all(matrices.map((skills) => patchMe(person.token, { skills })));
      expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
      const stored = await storedProfile(replies[0]!.body.id);
      const asMatrix = Object.fromEntries(
        stored.skills.map((row) => [[python, sql, figma].find((s) => s.uuid === row.skillId)!.id, row.level]),
      );
      expect(matrices).toContainEqual(asMatrix);
      expect((await getMe(person.token)).body.profile.skills).toEqual(asMatrix);
      // Each change was made from what the one before left: the trail's diffs chain up to what is stored.
      // (Ids in one millisecond do not tell the order, so the chain is followed from the empty matrix.)
      const diffs = (await Promise.all(replies.map(auditEventsOf))).flat().map((event) => event.changes.skills);
      expect(diffs).toHaveLength(3);
      let previous: unknown = {};
      while (diffs.length > 0) {
        const next = diffs.findIndex((diff) => JSON.stringify(diff?.old) === JSON.stringify(previous));
        expect(next, `a change made from ${JSON.stringify(previous)}`).toBeGreaterThanOrEqual(0);
        previous = diffs.splice(next, 1)[0]?.new;
      }
      expect(previous).toEqual(asMatrix);
    }
  });
});
